// tools/call arguments checked against the pinned inputSchema before anything reaches the server: Ajv,
// strict about the schema (unknown keywords are an error, not silently ignored), and never rewriting the
// arguments (no coercion, no defaults injected, nothing removed), so what is checked is exactly what the
// server would get. Formats are annotations (as in JSON Schema 2020-12), not validated. A schema that does
// not compile refuses every call to its tool: the pin cannot be enforced, so nothing passes (fail closed).
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
let compilers: { draft7: Compiler; draft2020: Compiler } | undefined;

function compilerFor(schema: JsonObject): Compiler {
  if (!compilers) {
    // Loaded on the first tools/call: most sessions of other kinds never need the compiler.
    const load = createRequire(import.meta.url);
    const { Ajv } = load('ajv') as typeof import('ajv');
    const { Ajv2020 } = load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    compilers = { draft7: new Ajv({ ...OPTIONS }), draft2020: new Ajv2020({ ...OPTIONS }) };
  }
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  // MCP's default dialect is 2020-12; older servers declare draft-07 (what zod-to-json-schema writes).
  const draft7 = /draft-0[67]\/schema/.test(dialect);
  // A schema with its own $id is registered under it: give it a compiler of its own, so two tools that
  // share an $id cannot collide (or resolve each other's $refs).
  if (schema.$id !== undefined) {
    const load = createRequire(import.meta.url);
    if (draft7) return new (load('ajv') as typeof import('ajv')).Ajv({ ...OPTIONS });
    return new (load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020({ ...OPTIONS });
  }
  return draft7 ? compilers.draft7 : compilers.draft2020;
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

/** Compiled validators of one server's pinned tools, built on first use and kept for the session. */
export class ArgumentChecker {
  private readonly validators = new Map<string, ValidateFunction | { error: string }>();
  private readonly definitions: ReadonlyMap<string, JsonObject>;

  constructor(definitions: ReadonlyMap<string, JsonObject>) {
    this.definitions = definitions;
  }

  /** The problems of a pinned tool's arguments; empty when they satisfy its pinned inputSchema. */
  check(tool: string, args: JsonValue | undefined): ArgumentProblem[] {
    const validate = this.validator(tool);
    if ('error' in validate) return [{ field: '', message: validate.error }];
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
      return [{ field: '', message: 'arguments must be an object' }];
    }
    if (validate(args ?? {})) return [];
    return (validate.errors ?? []).slice(0, MAX_PROBLEMS).map((e) => ({ field: fieldOf(e), message: messageOf(e) }));
  }

  private validator(tool: string): ValidateFunction | { error: string } {
    let v = this.validators.get(tool);
    if (v) return v;
    const schema = this.definitions.get(tool)?.inputSchema;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      v = { error: 'the pinned tool has no inputSchema object, so no call can be checked' };
    } else {
      try {
        v = compilerFor(schema).compile(structuredClone(schema));
      } catch (error) {
        v = { error: `the pinned inputSchema cannot be enforced: ${(error as Error).message}` };
      }
    }
    this.validators.set(tool, v);
    return v;
  }
}
