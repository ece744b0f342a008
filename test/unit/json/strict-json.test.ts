import { describe, expect, it } from 'vitest';
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
      '1.7976931348623157e308',
    ]) {
      expect(numberRoundTrips(t, Number(t)), t).toBe(true);
    }
  });
});
