// tools/call arguments checked against the pinned inputSchema before anything reaches the server: Ajv in
// strict mode, never rewriting the arguments (no coercion, no defaults injected, nothing removed), so what
// is checked is exactly what the server would get. Formats are annotations (as in JSON Schema 2020-12). A
// schema that does not compile refuses every call to its tool: the pin cannot be enforced, so nothing
// passes (fail closed). An unknown keyword is the one exception to strict mode: JSON Schema says to ignore
// it and real servers ship them (a misplaced "parent" in one of 43 real servers), so it is ignored, and
// reported once per tool so a reviewer sees what is not enforced.
// Pure: a definition and arguments in, the problems (field paths, never values) out.

import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonObject, JsonValue } from '../json/strict-json.ts';

export interface ArgumentProblem {
  /** The argument, as a path below `arguments` (`to`, `options.priority`, `items[2]`); empty for the whole. */
  field: string;
  message: string;
}

const OPTIONS = {
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allErrors: false,
  useDefaults: false,
  coerceTypes: false,
  removeAdditional: false,
  validateFormats: false,
  logger: false,
} as const;

const MAX_PROBLEMS = 10;

type Compiler = { compile(schema: object): ValidateFunction };
const compilers = new Map<string, Compiler>();

function newCompiler(draft7: boolean, strictSchema: boolean): Compiler {
  // Loaded on the first tools/call: most sessions of other kinds never need the compiler.
  const load = createRequire(import.meta.url);
  const options = { ...OPTIONS, strictSchema };
  if (draft7) return new (load('ajv') as typeof import('ajv')).Ajv(options);
  return new (load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020(options);
}

function compilerFor(schema: JsonObject, strictSchema: boolean): Compiler {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  // MCP's default dialect is 2020-12; older servers declare draft-07 (what zod-to-json-schema writes).
  const draft7 = /draft-0[67]\/schema/.test(dialect);
  // A schema with its own $id is registered under it: give it a compiler of its own, so two tools that
  // share an $id cannot collide (or resolve each other's $refs).
  if (schema.$id !== undefined) return newCompiler(draft7, strictSchema);
  const key = `${draft7}:${strictSchema}`;
  let compiler = compilers.get(key);
  if (!compiler) {
    compiler = newCompiler(draft7, strictSchema);
    compilers.set(key, compiler);
  }
  return compiler;
}

function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra =
    typeof error.params.missingProperty === 'string'
      ? error.params.missingProperty
      : typeof error.params.additionalProperty === 'string'
        ? error.params.additionalProperty
        : undefined;
  if (extra !== undefined) parts.push(extra);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not allowed by the schema';
  return error.message ?? `fails ${error.keyword}`;
}

export type Compiled = { validate: ValidateFunction; ignored: string | null } | { error: string };

/** The problems Ajv found, as fields and messages (never values). */
export function problemsOf(validate: ValidateFunction): ArgumentProblem[] {
  return (validate.errors ?? []).slice(0, MAX_PROBLEMS).map((e) => ({ field: fieldOf(e), message: messageOf(e) }));
}

/** Compile a pinned tool schema (inputSchema or outputSchema) with the guard's Ajv options. Throws if it cannot. */
export function compileToolSchema(schema: JsonObject): Compiled {
  try {
    return { validate: compilerFor(schema, true).compile(structuredClone(schema)), ignored: null };
  } catch (error) {
    const message = (error as Error).message;
    if (!/^strict mode: unknown keyword/.test(message)) throw error;
    return { validate: compilerFor(schema, false).compile(structuredClone(schema)), ignored: message };
  }
}

/** Compiled validators of one server's pinned tools, built on first use and kept for the session. */
export class ArgumentChecker {
  private readonly validators = new Map<string, Compiled>();
  private readonly reported = new Set<string>();
  private readonly definitions: ReadonlyMap<string, JsonObject>;

  constructor(definitions: ReadonlyMap<string, JsonObject>) {
    this.definitions = definitions;
  }

  /** The problems of a pinned tool's arguments; empty when they satisfy its pinned inputSchema. */
  check(tool: string, args: JsonValue | undefined): ArgumentProblem[] {
    const compiled = this.validator(tool);
    if ('error' in compiled) return [{ field: '', message: compiled.error }];
    const { validate } = compiled;
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
      return [{ field: '', message: 'arguments must be an object' }];
    }
    if (validate(args ?? {})) return [];
    return problemsOf(validate);
  }

  /** What the pinned inputSchema of a tool has that is not enforced (unknown keywords), once per tool. */
  takeIgnored(tool: string): string | null {
    const compiled = this.validators.get(tool);
    if (!compiled || 'error' in compiled || !compiled.ignored || this.reported.has(tool)) return null;
    this.reported.add(tool);
    return compiled.ignored;
  }

  private validator(tool: string): Compiled {
    let v = this.validators.get(tool);
    if (v) return v;
    const schema = this.definitions.get(tool)?.inputSchema;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      v = { error: 'the pinned tool has no inputSchema object, so no call can be checked' };
    } else {
      try {
        v = compileToolSchema(schema);
      } catch (error) {
        v = { error: `the pinned inputSchema cannot be enforced: ${(error as Error).message}` };
      }
    }
    this.validators.set(tool, v);
    return v;
  }
}
