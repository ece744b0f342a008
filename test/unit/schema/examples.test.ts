// The schemas are the contract: every example in schemas/examples/valid passes (schema and, for
// manifests, self-consistency), every one in invalid/ fails its schema; and the TypeScript types
// generated from the schemas have not drifted.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLock } from '../../../core/lockfile/lockfile.ts';
import { parseManifest } from '../../../core/manifest/manifest.ts';
import { checkLockSchema, checkManifestSchema } from '../../../core/schema/validate.ts';

const dir = new URL('../../../schemas/examples/', import.meta.url).pathname;
const files = (sub: string) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.json'));
const isLock = (f: string) => f.startsWith('lock') || f.startsWith('mcp-lock');

describe('schema examples', () => {
  it.each(files('valid'))('valid/%s is accepted', (file) => {
    const bytes = readFileSync(join(dir, 'valid', file));
    if (isLock(file)) expect(() => parseLock(bytes)).not.toThrow();
    else expect(() => parseManifest(bytes)).not.toThrow();
  });
  it.each(files('invalid'))('invalid/%s is rejected by its schema', (file) => {
    const value = JSON.parse(readFileSync(join(dir, 'invalid', file), 'utf8'));
    const findings = isLock(file) ? checkLockSchema(value) : checkManifestSchema(value);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]!.code).toBe(isLock(file) ? 'LOCK_INVALID' : 'MANIFEST_INVALID');
  });
  it('has examples of both kinds', () => {
    expect(files('valid').length).toBeGreaterThanOrEqual(3);
    expect(files('invalid').length).toBeGreaterThanOrEqual(10);
  });
});

describe('generated types', () => {
  it('match the schemas (scripts/gen-types.ts --check)', () => {
    const script = new URL('../../../scripts/gen-types.ts', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});
