// JSONC blanking and value location: comments and trailing commas become spaces at the same offsets,
// strings are never touched, strict formats refuse comments; located ranges slice out exactly each value.

import { describe, expect, it } from 'vitest';
import { locateJson, memberOf } from '../../core/clients/json-locate.ts';
import { blankJsonc } from '../../core/clients/jsonc.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import { expectCode } from '../helpers/expect-code.ts';

const JSONC = `{
  // line comment
  "a": "http://x//y", /* block
  comment */ "b": [1, 2,],
  "c": "quote \\" // still a string",
}
`;

describe('blankJsonc', () => {
  it('blanks comments and trailing commas at the same offsets, leaving strict JSON', () => {
    const blanked = blankJsonc(JSONC, 'test', true);
    expect(blanked.length).toBe(JSONC.length);
    expect(blanked.split('\n').length).toBe(JSONC.split('\n').length);
    expect(parseStrictJson(blanked)).toEqual({ a: 'http://x//y', b: [1, 2], c: 'quote " // still a string' });
  });

  it('leaves strict JSON unchanged (benign twin) and keeps a byte-order mark offset', () => {
    const strict = '{"a": "// not a comment", "b": [1, {"c": "/* nor this */"}]}';
    expect(blankJsonc(strict, 'test', false)).toBe(strict);
    expect(blankJsonc(`\uFEFF${strict}`, 'test', false)).toBe(` ${strict}`);
  });

  it('refuses comments and trailing commas where the client reads strict JSON', () => {
    expectCode(() => blankJsonc('{"a": 1 // no\n}', 'test', false), 'CONFIG_INVALID');
    expectCode(() => blankJsonc('{"a": [1,]}', 'test', false), 'CONFIG_INVALID');
  });

  it('reads quotes inside comments and backslashes at the end of strings as jsonc-parser does', () => {
    const text = '{\n  // it\'s "quoted"\n  "a": "ends in \\\\", /* "b": 1 */ "c": [1,],\n}';
    const blanked = blankJsonc(text, 'test', true);
    expect(blanked.length).toBe(text.length);
    expect(parseStrictJson(blanked)).toEqual({ a: 'ends in \\', c: [1] });
  });

  it('refuses an unterminated comment or string', () => {
    expectCode(() => blankJsonc('{"a": 1 /* open', 'test', true), 'CONFIG_INVALID');
    expectCode(() => blankJsonc('{"a": "open', 'test', true), 'CONFIG_INVALID');
  });
});

describe('locateJson', () => {
  it('finds each member and the exact text of its value', () => {
    const text = blankJsonc(JSONC, 'test', true);
    const root = locateJson(text);
    expect(root.members!.map((m) => m.key)).toEqual(['a', 'b', 'c']);
    const b = memberOf(root, 'b')!;
    expect(JSONC.slice(b.value.start, b.value.end)).toBe('[1, 2,]');
    expect(JSONC.slice(b.keyStart, b.keyStart + 3)).toBe('"b"');
    const c = memberOf(root, 'c')!;
    expect(JSON.parse(text.slice(c.value.start, c.value.end))).toBe('quote " // still a string');
  });

  it('reads escaped keys as the parser does', () => {
    const text = '{ "we\\u0061ther" : { "x" : -1.5e3 , "y" : [ ] , "z" : null } }';
    const root = locateJson(text);
    const weather = memberOf(root, 'weather')!;
    expect(weather.value.members!.map((m) => [m.key, text.slice(m.value.start, m.value.end)])).toEqual([
      ['x', '-1.5e3'],
      ['y', '[ ]'],
      ['z', 'null'],
    ]);
  });
});
