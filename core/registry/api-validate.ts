// One Ajv setup for the registry API schemas, shared by the server (responses and bodies) and the client
// (every response it reads). Like core/schema/validate.ts it never rewrites a value: no defaults, no
// coercion, no removal.

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { McpLockError } from '../errors.ts';
import { schemas } from '../schema/validate.ts';
import { API_SCHEMA_ID, type ApiDefName, apiSchema } from './api-schema.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

export function isRfc3339(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

/** A fresh non-mutating Ajv that knows the manifest schema and the API schema. */
export function createApiAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: false,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    useDefaults: false,
    coerceTypes: false,
    removeAdditional: false,
  });
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  ajv.addSchema(schemas.manifest);
  ajv.addSchema(apiSchema);
  return ajv;
}

let shared: Ajv2020 | undefined;
const byDef = new Map<string, ValidateFunction>();

export function apiValidator(def: ApiDefName): ValidateFunction {
  let fn = byDef.get(def);
  if (!fn) {
    shared ??= createApiAjv();
    fn = shared.getSchema(`${API_SCHEMA_ID}#/$defs/${def}`);
    if (!fn) throw new McpLockError('INTERNAL', `no API schema ${def}`);
    byDef.set(def, fn);
  }
  return fn;
}

/** The first problem of `value` against an API object schema, or null when it matches. */
export function apiProblem(def: ApiDefName, value: unknown): string | null {
  const validate = apiValidator(def);
  if (validate(value)) return null;
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || '/'} ${e.message ?? 'is invalid'}` : 'is invalid';
}
