// Expected canonical strings come from RFC 8785 itself; expected digests were computed with Python's
// hashlib over those strings, independently of this implementation.
import { describe, expect, it } from 'vitest';
import { canonicalDigest, canonicalJson } from '../../../core/canonical/digest.ts';
import { parseStrictJson } from '../../../core/json/strict-json.ts';
import { expectCode } from '../../helpers/expect-code.ts';

const fromHex = (hex: string) => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('RFC 8785 number serialization (Appendix B)', () => {
  const table: [string, string][] = [
    ['0000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  it.each(table)('%s → %s', (hex, expected) => {
    expect(canonicalJson(fromHex(hex))).toBe(expected);
  });
  it('rejects what I-JSON cannot carry: NaN, Infinity, -0', () => {
    expectCode(() => canonicalJson(fromHex('7fffffffffffffff')), 'JSON_NOT_CANONICALIZABLE');
    expectCode(() => canonicalJson(fromHex('7ff0000000000000')), 'JSON_NOT_CANONICALIZABLE');
    expectCode(() => canonicalJson(fromHex('8000000000000000')), 'JSON_NOT_CANONICALIZABLE');
  });
});

describe('RFC 8785 examples and independent digests', () => {
  it('§3.2.2 sample: numbers, escapes and literals', () => {
    const text =
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
      '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}';
    // 1E30 is an integer beyond ±(2^53−1), which the strict parser refuses at a trust boundary; the
    // canonicaliser itself must still serialise any double the RFC way.
    expectCode(() => parseStrictJson(text), 'JSON_INEXACT_NUMBER');
    const input = JSON.parse(text);
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    expect(canonicalDigest(input)).toBe('sha256:2d5e01a318d0f0879ab568c4be289c8b1f64ef8921a53c6277d5e069978baacb');
  });
  it('§3.2.3 sample: key order by UTF-16 code units, non-ASCII keys', () => {
    const input = parseStrictJson(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
        '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    expect(canonicalDigest(input)).toBe('sha256:5e321556d22018a9656991a9e94f77ec175fa193e52a2429d312f8419ec8b08c');
  });
});

describe('tool definitions', () => {
  const tool = {
    name: 'add',
    description: 'Adds two numbers',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  };
  const plain = 'sha256:5cefecfac1d27934dc573126c831d7da11805520cbba2124083681d28b74ce61';
  it('hashes to the independently computed digest', () => {
    expect(canonicalDigest(tool)).toBe(plain);
  });
  it('does not depend on key order or whitespace', () => {
    const reordered = parseStrictJson(
      '{ "inputSchema": {"required":["a","b"], "type":"object", "properties":{"b":{"type":"number"},"a":{"type":"number"}}},\n "name":"add", "description":"Adds two numbers" }',
    );
    expect(canonicalDigest(reordered)).toBe(plain);
  });
  it('changes when a zero-width space is hidden in the description', () => {
    expect(canonicalDigest({ ...tool, description: 'Adds two\u200b numbers' })).toBe(
      'sha256:caab528b3fc9489fcf77b76e541d4bd114e03a7a573c568987972a29b1e784e3',
    );
  });
  it('changes when Unicode tag characters are appended', () => {
    expect(canonicalDigest({ ...tool, description: 'Adds two numbers\u{E0049}\u{E0047}\u{E004E}' })).toBe(
      'sha256:957c2d3504c346d87e4ba8ca9e6ce06b6243a41e6184739ac0c919ecbd513faa',
    );
  });
  it('covers unknown fields and does not normalise Unicode', () => {
    expect(canonicalDigest({ ...tool, x: 1 })).not.toBe(plain);
    expect(canonicalDigest('caf\u00e9')).toBe(
      'sha256:28380feb8724d669bc8d4cf5b5a5bb1adbdc61b81ebd06f3fabc567b4f3b0fc5',
    );
    expect(canonicalDigest('cafe\u0301')).toBe(
      'sha256:c7d7e72b8ad0dd91beb4044a4bb17c6c8a9672cc620c4c76e6584f3525d400d1',
    );
  });
  it('array order is meaningful', () => {
    expect(canonicalDigest({ ...tool, inputSchema: { ...tool.inputSchema, required: ['b', 'a'] } })).not.toBe(plain);
  });
});

describe('values that are not I-JSON are refused, never normalised', () => {
  it('lone surrogates in strings and keys', () => {
    expectCode(() => canonicalDigest({ a: '\ud800' }), 'JSON_LONE_SURROGATE');
    expectCode(() => canonicalDigest({ '\udc00': 1 }), 'JSON_LONE_SURROGATE');
  });
  it('undefined, functions, class instances, forbidden keys, deep nesting', () => {
    expectCode(() => canonicalDigest({ a: undefined }), 'JSON_NOT_CANONICALIZABLE');
    expectCode(() => canonicalDigest({ a: () => 1 }), 'JSON_NOT_CANONICALIZABLE');
    expectCode(() => canonicalDigest(new Date(0)), 'JSON_NOT_CANONICALIZABLE');
    expectCode(() => canonicalDigest(JSON.parse('{"__proto__":{"x":1}}')), 'JSON_NOT_CANONICALIZABLE');
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    expectCode(() => canonicalDigest(deep), 'JSON_TOO_DEEP');
  });
});
