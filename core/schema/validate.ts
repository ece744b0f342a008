// JSON Schema validation against the schemas in schemas/ (the contract). Ajv never rewrites the value:
// no defaults, no coercion, no removal, because what we validate is what was (or will be) signed.

import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import manifestSchema from '../../schemas/manifest.schema.json' with { type: 'json' };
import lockSchema from '../../schemas/mcp-lock.schema.json' with { type: 'json' };
import policySchema from '../../schemas/policy.schema.json' with { type: 'json' };
import { type ErrorCode, type Finding, McpLockError } from '../errors.ts';
import type { McpLockFile } from '../generated/lockfile.ts';
import type { McpLockManifest } from '../generated/manifest.ts';
import type { PrecompiledValidator } from '../generated/validators.js';
import * as precompiled from '../generated/validators.js';
import { AJV_OPTIONS } from './ajv-options.ts';

export const MANIFEST_SCHEMA_ID = manifestSchema.$id;
export const LOCK_SCHEMA_ID = lockSchema.$id;
export const POLICY_SCHEMA_ID = policySchema.$id;
export const schemas = { manifest: manifestSchema, lock: lockSchema, policy: policySchema } as const;

let ajv: Ajv2020 | undefined;
// The root schemas are precompiled (core/generated/validators.js, generated from schemas/ and
// checked for drift); anything else (a $defs pointer) is compiled on first use.
const compiled = new Map<string, ValidateFunction | PrecompiledValidator>([
  [manifestSchema.$id, precompiled.manifest],
  [lockSchema.$id, precompiled.lock],
  [policySchema.$id, precompiled.policy],
]);

function validatorFor(id: string): ValidateFunction | PrecompiledValidator {
  let fn = compiled.get(id);
  if (fn) return fn;
  if (!ajv) {
    // Loaded only here: the compiler is large and every common path uses the precompiled validators.
    const { Ajv2020: Compiler } = createRequire(import.meta.url)(
      'ajv/dist/2020.js',
    ) as typeof import('ajv/dist/2020.js');
    ajv = new Compiler({ ...AJV_OPTIONS });
    ajv.addSchema(manifestSchema);
    ajv.addSchema(lockSchema);
    ajv.addSchema(policySchema);
  }
  fn = ajv.getSchema(id);
  if (!fn) throw new McpLockError('INTERNAL', `no schema registered for ${id}`);
  compiled.set(id, fn);
  return fn;
}

const MAX_REPORTED = 20;

function toFindings(errors: ErrorObject[] | null | undefined, code: ErrorCode): Finding[] {
  return (errors ?? []).slice(0, MAX_REPORTED).map((e) => ({
    code,
    path: `$${e.instancePath.replace(/\/([^/]*)/g, (_m, p: string) => (/^\d+$/.test(p) ? `[${p}]` : `.${p.replace(/~1/g, '/').replace(/~0/g, '~')}`))}`,
    message: e.message ?? 'is invalid',
    severity: 'error' as const,
  }));
}

/** Check a value against a schema by $id (or a $defs pointer like `<id>#/$defs/ServerDetail`). */
export function checkSchema(id: string, value: unknown, code: ErrorCode = 'SCHEMA_INVALID'): Finding[] {
  const validate = validatorFor(id);
  return validate(value) ? [] : toFindings(validate.errors, code);
}

function assertSchema(id: string, value: unknown, code: ErrorCode, what: string, hint: string): void {
  const findings = checkSchema(id, value, code);
  if (findings.length === 0) return;
  const first = findings[0]!;
  throw new McpLockError(code, `${what} does not match its schema: ${first.path} ${first.message}`, {
    hint,
    data: { findings },
  });
}

export function checkManifestSchema(value: unknown): Finding[] {
  return checkSchema(MANIFEST_SCHEMA_ID, value, 'MANIFEST_INVALID');
}

/** A value checked against its schema: typed when it matches, else the findings that say why not. */
export type Checked<T> = { value: T; findings: [] } | { value: null; findings: Finding[] };

/**
 * The converter from a parsed value to a typed manifest: the one place the type is granted, right after
 * the validator that justifies it (callers never cast parsed JSON to McpLockManifest themselves).
 */
export function checkedManifest(value: unknown): Checked<McpLockManifest> {
  const findings = checkManifestSchema(value);
  return findings.length > 0 ? { value: null, findings } : { value: value as McpLockManifest, findings: [] };
}

export function assertManifestSchema(value: unknown): asserts value is McpLockManifest {
  assertSchema(
    MANIFEST_SCHEMA_ID,
    value,
    'MANIFEST_INVALID',
    'the manifest',
    'Regenerate it with `mcp-lock manifest`.',
  );
}

export function checkLockSchema(value: unknown): Finding[] {
  return checkSchema(LOCK_SCHEMA_ID, value, 'LOCK_INVALID');
}

export function assertLockSchema(value: unknown): asserts value is McpLockFile {
  assertSchema(
    LOCK_SCHEMA_ID,
    value,
    'LOCK_INVALID',
    'mcp-lock.json',
    'The lock is written by mcp-lock; restore it from version control or re-run `mcp-lock add`.',
  );
}

/**
 * The policy's findings carry `data.pointer`, the JSON pointer of the bad field (for an unknown key, the
 * key itself), besides the `$.a.b` path.
 */
export function checkPolicySchema(value: unknown): Finding[] {
  const validate = validatorFor(POLICY_SCHEMA_ID);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).slice(0, MAX_REPORTED);
  return toFindings(errors, 'POLICY_INVALID').map((f, i) => {
    const e = errors[i]!;
    if (e.keyword !== 'additionalProperties') return { ...f, data: { pointer: e.instancePath } };
    const key = String(e.params.additionalProperty);
    const pointer = `${e.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return { ...f, message: 'is not a known setting', data: { pointer } };
  });
}
