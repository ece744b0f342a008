// tools/call results checked against the pinned tool's outputSchema (MCP: a tool that declares one MUST
// return structuredContent conforming to it). Same Ajv options as the argument check, compiled once per
// tool and kept for the session. A schema that cannot be compiled cannot be enforced, which is a problem
// too (fail closed, as for inputSchema). Error results (isError: true) are not checked. Pure.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { type ArgumentProblem, type Compiled, compileToolSchema, problemsOf } from './argument-check.ts';

export type OutputProblem = ArgumentProblem;

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class OutputChecker {
  private readonly validators = new Map<string, Compiled | null>();
  private readonly definitions: ReadonlyMap<string, JsonObject>;

  constructor(definitions: ReadonlyMap<string, JsonObject>) {
    this.definitions = definitions;
  }

  /** The problems of a tool's result against its pinned outputSchema; empty when fine or not declared. */
  check(tool: string, result: JsonValue): OutputProblem[] {
    const compiled = this.validator(tool);
    if (compiled === null || !isObject(result) || result.isError === true) return [];
    if ('error' in compiled) return [{ field: '', message: compiled.error }];
    if (!Object.hasOwn(result, 'structuredContent')) {
      return [{ field: '', message: 'has no structuredContent, but the pinned tool declares an outputSchema' }];
    }
    return compiled.validate(result.structuredContent) ? [] : problemsOf(compiled.validate);
  }

  private validator(tool: string): Compiled | null {
    if (this.validators.has(tool)) return this.validators.get(tool)!;
    const schema = this.definitions.get(tool)?.outputSchema;
    let v: Compiled | null;
    if (schema === undefined) v = null;
    else if (!isObject(schema)) v = { error: 'the pinned outputSchema is not an object, so it cannot be enforced' };
    else {
      try {
        v = compileToolSchema(schema);
      } catch (error) {
        v = { error: `the pinned outputSchema cannot be enforced: ${(error as Error).message}` };
      }
    }
    this.validators.set(tool, v);
    return v;
  }
}
