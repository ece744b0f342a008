// canonicalSha256Hex streams the canonical text into the hash instead of building it (a manifest of
// 20,000 tools), so it must give exactly sha256(canonicalJson(v)) for every I-JSON value: random values
// (fast-check, including astral and escaped characters, deep nesting, numbers at the edges), every
// real server surface in the benign fixtures, values larger than one 64 KiB piece, and the same errors
// for what cannot be hashed.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256Hex, sha256Hex } from '../../../core/canonical/digest.ts';
import { expectCode } from '../../helpers/expect-code.ts';

const reference = (v: unknown) => sha256Hex(Buffer.from(canonicalJson(v), 'utf8'));
const FIXTURES = new URL('../../fixtures/benign-servers/servers/', import.meta.url).pathname;

describe('canonicalSha256Hex (streamed) equals sha256 of canonicalJson', () => {
  it('for random JSON values', () => {
    const value = fc.jsonValue({ maxDepth: 8 });
    fc.assert(
      fc.property(value, (v) => {
        const clean = JSON.parse(JSON.stringify(v).replace(/-0(?![.\d])/g, '0'));
        let expected: string;
        try {
          expected = reference(clean);
        } catch {
          // What canonicalJson refuses (a forbidden key such as "prototype"), the streamed form refuses too.
          expect(() => canonicalSha256Hex(clean)).toThrow();
          return;
        }
        expect(canonicalSha256Hex(clean)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('for strings with escapes, astral characters and keys that sort by UTF-16 code units', () => {
    const v = {
      '\u{1F600}': 'smile \u{1F600}',
      '\uFB33': ['\u0000\u001f\u007f"\\/', '\u2028\u2029', 1e21, 1e-7, -0.5, 5e-324],
      a: { b: [true, false, null, {}, []], A: 'é' },
      '': 0,
    };
    expect(canonicalSha256Hex(v)).toBe(reference(v));
  });

  it('for every real server surface in the benign fixtures, and for one far larger than a piece', () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .slice(0, 20);
    expect(files.length).toBe(20);
    const all: unknown[] = [];
    for (const f of files) {
      const v = JSON.parse(readFileSync(join(FIXTURES, f), 'utf8'));
      all.push(v);
      expect(canonicalSha256Hex(v), f).toBe(reference(v));
    }
    const big = { servers: all };
    expect(canonicalJson(big).length).toBeGreaterThan(4 * 64 * 1024);
    expect(canonicalSha256Hex(big)).toBe(reference(big));
  });

  it('refuses what canonicalJson refuses, with the same codes', () => {
    expectCode(() => canonicalSha256Hex({ a: Number.NaN }), 'JSON_NOT_CANONICALIZABLE');
    expectCode(() => canonicalSha256Hex({ a: -0 }), 'JSON_NOT_CANONICALIZABLE');
    expectCode(() => canonicalSha256Hex({ a: '\ud800' }), 'JSON_LONE_SURROGATE');
    expectCode(() => canonicalSha256Hex({ a: undefined }), 'JSON_NOT_CANONICALIZABLE');
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expectCode(() => canonicalSha256Hex(deep), 'JSON_TOO_DEEP');
  });
});
