// The readme a generated manifest carries (adapters/manifest/readme.ts): README.md is preferred over other
// README files, a missing or blank one gives none, a long one is cut at 64 KiB of code points (never
// through a character) and says so, and a directory or symlink named README is ignored.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { README_MAX_CHARS, readPackageReadme } from '../../../adapters/manifest/readme.ts';
import { checkManifestSchema } from '../../../core/schema/validate.ts';
import { syntheticManifest } from '../../helpers/synthetic.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mcp-lock-readme-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('readPackageReadme', () => {
  test('prefers README.md, and gives none without a README or with a blank one', () => {
    const d = dir();
    expect(readPackageReadme(d)).toBeUndefined();
    writeFileSync(join(d, 'README.txt'), 'plain');
    writeFileSync(join(d, 'readme.md'), '# Title');
    expect(readPackageReadme(d)).toEqual({ source: 'npm-package', file: 'readme.md', markdown: '# Title' });
    const blank = dir();
    writeFileSync(join(blank, 'README.md'), ' \n\t\n');
    expect(readPackageReadme(blank)).toBeUndefined();
  });

  test('cuts a long README at 64 KiB of code points without splitting a character', () => {
    const d = dir();
    // Astral characters (4 bytes in UTF-8, 2 UTF-16 units) across the cut.
    writeFileSync(join(d, 'README.md'), `${'😀'.repeat(README_MAX_CHARS + 10)}`);
    const readme = readPackageReadme(d)!;
    expect(readme.truncated).toBe(true);
    const points = [...readme.markdown];
    expect(points.length).toBeLessThanOrEqual(README_MAX_CHARS);
    expect(points.every((c) => c === '😀')).toBe(true);
    // What it cut still fits the manifest schema.
    const manifest = { ...syntheticManifest(), readme };
    expect(checkManifestSchema(manifest)).toEqual([]);
  });

  test('ignores a directory or a symlink named README', () => {
    const d = dir();
    mkdirSync(join(d, 'README.md'));
    writeFileSync(join(d, 'secret'), 'do not read');
    symlinkSync(join(d, 'secret'), join(d, 'README'));
    expect(readPackageReadme(d)).toBeUndefined();
  });
});
