import { describe, expect, it } from 'vitest';
import { MAX_NUMBER_LITERAL_CHARS, scanNumberLiteral } from '../../../core/json/json-number.ts';
import { numberRoundTrips, parseStrictJson } from '../../../core/json/strict-json.ts';
import { expectCode } from '../../helpers/expect-code.ts';

describe('parseStrictJson accepts ordinary JSON', () => {
  it('parses objects, arrays, strings, numbers and literals like JSON.parse', () => {
    const text = '{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"d\\u00e9\\n"},"e":"😀"}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });
  it('accepts bytes in UTF-8 and whitespace around values', () => {
    expect(parseStrictJson(Buffer.from(' \n{ "k" : [ ] }\t', 'utf8'))).toEqual({ k: [] });
  });
  it('accepts a properly paired surrogate escape', () => {
    expect(parseStrictJson('"\\ud83d\\ude00"')).toBe('😀');
  });
  it('keeps keys that merely look dangerous but are not (e.g. "proto", "__proto")', () => {
    expect(parseStrictJson('{"proto":1,"__proto":2}')).toEqual({ proto: 1, __proto: 2 });
  });
});

describe('parseStrictJson rejects ambiguity with a code', () => {
  it('duplicate keys', () => {
    const err = expectCode(
      () => parseStrictJson('{"description":"benign","description":"evil"}'),
      'JSON_DUPLICATE_KEY',
    );
    expect(err.data?.path).toBe('$.description');
  });
  it('duplicate keys deep inside', () => {
    const err = expectCode(
      () => parseStrictJson('{"tools":[{"name":"a"},{"name":"b","name":"c"}]}'),
      'JSON_DUPLICATE_KEY',
    );
    expect(err.data?.path).toBe('$.tools[1].name');
  });
  it.each(['__proto__', 'constructor', 'prototype'])('the key %s', (key) => {
    expectCode(() => parseStrictJson(`{"x":{"${key}":{"admin":true}}}`), 'JSON_FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
  it('lone surrogates, escaped or raw', () => {
    expectCode(() => parseStrictJson('"\\ud800"'), 'JSON_LONE_SURROGATE');
    expectCode(() => parseStrictJson('"\\udc00x"'), 'JSON_LONE_SURROGATE');
    expectCode(() => parseStrictJson('"\\ud800\\u0041"'), 'JSON_LONE_SURROGATE');
    expectCode(() => parseStrictJson('"a\ud800b"'), 'JSON_LONE_SURROGATE');
    expectCode(() => parseStrictJson('{"\\udfff":1}'), 'JSON_LONE_SURROGATE');
  });
  it('noncharacters', () => {
    expectCode(() => parseStrictJson('"\\uffff"'), 'JSON_NONCHARACTER');
    expectCode(() => parseStrictJson('"\\ufdd0"'), 'JSON_NONCHARACTER');
  });
  it('numbers that do not mean exactly one double', () => {
    for (const n of [
      '1e400',
      '-1e400',
      '9007199254740993',
      '-9007199254740993',
      '-0',
      '-0.0',
      '1e-400',
      '0.1000000000000000055511151231257827',
    ]) {
      expectCode(() => parseStrictJson(`[${n}]`), 'JSON_INEXACT_NUMBER');
    }
  });
  it('nesting beyond the depth limit, but not at it', () => {
    const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(parseStrictJson(nested(64))).toBeDefined();
    expectCode(() => parseStrictJson(nested(65)), 'JSON_TOO_DEEP');
    expectCode(() => parseStrictJson(nested(100_000)), 'JSON_TOO_DEEP');
  });
  it('documents over the size limit, before parsing', () => {
    expectCode(() => parseStrictJson(Buffer.alloc(2048, 0x20), 'doc', { maxBytes: 1024 }), 'JSON_TOO_LARGE');
    expect(parseStrictJson(`"${'a'.repeat(1000)}"`, 'doc', { maxBytes: 1024 })).toHaveLength(1000);
  });
  it('invalid UTF-8 and a byte order mark', () => {
    expectCode(() => parseStrictJson(Buffer.from([0x22, 0xff, 0x22])), 'JSON_INVALID_UTF8');
    expectCode(() => parseStrictJson(Buffer.from([0xef, 0xbb, 0xbf, 0x31])), 'JSON_SYNTAX');
  });
  it.each([
    '',
    '{',
    '{"a":1,}',
    '[1,]',
    "{'a':1}",
    '01',
    '1.',
    'NaN',
    'tru',
    '"\\x41"',
    '"a\nb"',
    '{"a":1}x',
    '{"a" 1}',
  ])('syntax errors: %j', (text) => {
    expectCode(() => parseStrictJson(text), 'JSON_SYNTAX');
  });
});

describe('numberRoundTrips', () => {
  it('accepts numbers with up to 17 significant digits and exact integers', () => {
    for (const t of [
      '0',
      '1.0',
      '1e2',
      '0.1',
      '333333333.33333329',
      '9007199254740991',
      '5e-324',
      '9007199254740991.0',
      '-9007199254740991e0',
    ]) {
      expect(numberRoundTrips(t, Number(t)), t).toBe(true);
    }
  });
});

describe('number literals are bounded and judged by value', () => {
  it('refuses a 100,000-digit literal by its length, before converting or comparing digits', () => {
    // Today's regex trailing-zero strip made this ~40 s of CPU; the cap refuses it after 513 characters.
    const huge = `1${'0'.repeat(99_998)}1`;
    const err = expectCode(() => parseStrictJson(`[${huge}]`), 'JSON_NUMBER_TOO_LONG');
    expect(err.data?.path).toBe('$[0]');
    expect(err.message.length).toBeLessThan(200);
    expectCode(() => parseStrictJson(`{"n":0.${'0'.repeat(99_999)}1}`), 'JSON_NUMBER_TOO_LONG');
    expectCode(() => parseStrictJson(`[1e${'0'.repeat(99_999)}1]`), 'JSON_NUMBER_TOO_LONG');
  });
  it('accepts a literal of exactly the cap, refuses one character more', () => {
    const at = `0.${'0'.repeat(MAX_NUMBER_LITERAL_CHARS - 3)}1`; // 1e-510: underflows, so inexact
    expect(at.length).toBe(MAX_NUMBER_LITERAL_CHARS);
    expectCode(() => parseStrictJson(`[${at}]`), 'JSON_INEXACT_NUMBER');
    const exactAtCap = `1.${'0'.repeat(MAX_NUMBER_LITERAL_CHARS - 2)}`;
    expect(parseStrictJson(`[${exactAtCap}]`)).toEqual([1]);
    expectCode(() => parseStrictJson(`[${exactAtCap}0]`), 'JSON_NUMBER_TOO_LONG');
  });
  it('scans a literal in one pass that stops at the cap', () => {
    const text = `-12.5e+3,${'9'.repeat(10_000)}`;
    expect(scanNumberLiteral(text, 0)).toBe(8);
    expect(scanNumberLiteral(text, 9)).toBe(9 + MAX_NUMBER_LITERAL_CHARS + 1);
    for (const bad of ['-', '-x', '1.', '1.e3', '1e', '1e+', '.5']) {
      expect(scanNumberLiteral(`${bad},`, 0), bad).toBe(-1);
    }
  });
  it.each([
    '9007199254740993.0',
    '9007199254740993e0',
    '90071992547409930e-1',
    '0.9007199254740993e16',
    '-9007199254740993.000',
    '9007199254740992',
    '9007199254740992.0',
    '1e16',
    '1E30',
    '1.7976931348623157e308',
    '-1.5e300',
  ])('refuses %s: an integer beyond ±(2^53−1) however it is written', (n) => {
    expectCode(() => parseStrictJson(`[${n}]`), 'JSON_INEXACT_NUMBER');
  });
  it.each([
    ['1e3', 1000],
    ['1.5', 1.5],
    ['9007199254740991.0', Number.MAX_SAFE_INTEGER],
    ['90071992547409910e-1', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991E+0', -Number.MAX_SAFE_INTEGER],
    ['0.5e1', 5],
    ['12.50', 12.5],
    ['1e-300', 1e-300],
  ])('benign twin %s is accepted as %d', (n, value) => {
    expect(parseStrictJson(`[${n}]`)).toEqual([value]);
  });
});
