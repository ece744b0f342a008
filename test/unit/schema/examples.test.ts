// The schemas are the contract: every example in schemas/examples/valid passes (schema and, for
// manifests, self-consistency), every one in invalid/ fails its schema; and the TypeScript types
// generated from the schemas have not drifted.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLock } from '../../../core/lockfile/lockfile.ts';
import { parseManifest } from '../../../core/manifest/manifest.ts';
import { parsePolicy } from '../../../core/policy/parse-policy.ts';
import { checkLockSchema, checkManifestSchema, checkPolicySchema } from '../../../core/schema/validate.ts';

const dir = new URL('../../../schemas/examples/', import.meta.url).pathname;
const files = (sub: string) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.json'));
const isLock = (f: string) => f.startsWith('lock') || f.startsWith('mcp-lock');
const isPolicy = (f: string) => f.startsWith('policy');
const kindOf = (f: string) => (isPolicy(f) ? 'policy' : isLock(f) ? 'lock' : 'manifest');
const parsers = { policy: parsePolicy, lock: parseLock, manifest: parseManifest };
const checkers = {
  policy: [checkPolicySchema, 'POLICY_INVALID'],
  lock: [checkLockSchema, 'LOCK_INVALID'],
  manifest: [checkManifestSchema, 'MANIFEST_INVALID'],
} as const;

describe('schema examples', () => {
  it.each(files('valid'))('valid/%s is accepted', (file) => {
    const bytes = readFileSync(join(dir, 'valid', file));
    expect(() => parsers[kindOf(file)](bytes)).not.toThrow();
  });
  it.each(files('invalid'))('invalid/%s is rejected by its schema', (file) => {
    const value = JSON.parse(readFileSync(join(dir, 'invalid', file), 'utf8'));
    const [check, code] = checkers[kindOf(file)];
    const findings = check(value);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]!.code).toBe(code);
  });
  it('has examples of every kind', () => {
    expect(files('valid').length).toBeGreaterThanOrEqual(3);
    expect(files('invalid').length).toBeGreaterThanOrEqual(10);
    expect(files('valid').filter(isPolicy).length).toBeGreaterThanOrEqual(2);
    expect(files('invalid').filter(isPolicy).length).toBeGreaterThanOrEqual(5);
  });
});

describe('generated types', () => {
  it('match the schemas (scripts/gen-types.ts --check)', () => {
    const script = new URL('../../../scripts/gen-types.ts', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});
