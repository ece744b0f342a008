// JSON for the strict parser's properties: clean documents (every value I-JSON, so strict parsing must
// agree with JSON.parse) and ambiguous pieces (each names the codes that must refuse it), nested at random
// depth among clean siblings.

import fc from 'fast-check';
import type { Json } from './mutate.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function hasNoncharacter(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return true;
  }
  return false;
}

/** Strings of any Unicode scalar values (no lone surrogates), minus the noncharacters I-JSON forbids. */
export const cleanString = fc
  .oneof(fc.string({ unit: 'binary', maxLength: 24 }), fc.string({ maxLength: 24 }))
  .filter((s) => !hasNoncharacter(s));

const cleanKey = cleanString.filter((s) => !FORBIDDEN.has(s));

export const cleanNumber = fc.oneof(
  fc.integer({ min: -MAX_SAFE, max: MAX_SAFE }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -MAX_SAFE, max: MAX_SAFE }).filter((x) => !Object.is(x, -0)),
  fc.constantFrom(0, 1, -1, 0.1, 5e-324, MAX_SAFE, -MAX_SAFE, 1e-7, 123456.789),
);

export const cleanJson: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    cleanNumber,
    cleanString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.uniqueArray(fc.tuple(cleanKey, tie('value')), { maxLength: 5, selector: ([k]) => k }).map((entries) => {
      const o: Record<string, Json> = {};
      for (const [k, v] of entries) o[k] = v;
      return o;
    }),
  ),
})).value;

/** Serialise with JSON.stringify and, sometimes, insignificant whitespace between tokens. */
export const cleanText = fc
  .tuple(cleanJson, fc.constantFrom(undefined, 0, 1, 2, '\t', ' \r\n'))
  .map(([value, space]) => JSON.stringify(value, null, space));

/** An integer beyond ±(2^53−1), written one of the ways that all mean it. */
const unsafeInteger = fc
  .tuple(
    fc.bigInt({ min: BigInt(MAX_SAFE) + 1n, max: 10n ** 30n }),
    fc.boolean(),
    fc.nat({ max: 4 }),
    fc.nat({ max: 3 }),
  )
  .map(([n, negative, form, zeros]) => {
    const digits = n.toString();
    const sign = negative ? '-' : '';
    switch (form) {
      case 0:
        return `${sign}${digits}`;
      case 1:
        return `${sign}${digits}.${'0'.repeat(zeros + 1)}`;
      case 2:
        return `${sign}${digits}e0`;
      case 3:
        return `${sign}${digits}${'0'.repeat(zeros + 1)}e-${zeros + 1}`;
      default:
        return `${sign}0.${digits}e${digits.length}`;
    }
  });

export interface Ambiguity {
  text: string;
  codes: readonly string[];
}

const JSON_VALUE_TEXT = cleanJson.map((v) => JSON.stringify(v));

/** One ambiguous piece of JSON text and the codes allowed to refuse it. */
export const ambiguousPiece: fc.Arbitrary<Ambiguity> = fc.oneof(
  fc.tuple(cleanKey, JSON_VALUE_TEXT, JSON_VALUE_TEXT).map(([k, a, b]) => ({
    text: `{${JSON.stringify(k)}:${a},${JSON.stringify(k)}:${b}}`,
    codes: ['JSON_DUPLICATE_KEY'],
  })),
  fc
    .tuple(
      fc.constantFrom('"__proto__"', '"constructor"', '"prototype"', '"\\u005f_proto__"', '"proto\\u0074ype"'),
      JSON_VALUE_TEXT,
    )
    .map(([k, v]) => ({ text: `{${k}:${v}}`, codes: ['JSON_FORBIDDEN_KEY'] })),
  fc
    .tuple(fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 4, unit: 'grapheme-ascii' }))
    .map(([unit, tail]) => ({
      text: `"\\u${unit.toString(16)}${tail.replace(/["\\]/g, '')}"`,
      codes: ['JSON_LONE_SURROGATE'],
    })),
  fc
    .integer({ min: 0xd800, max: 0xdfff })
    .map((unit) => ({ text: `"x${String.fromCharCode(unit)}y"`, codes: ['JSON_LONE_SURROGATE'] })),
  fc.constantFrom('fdd0', 'fdef', 'fffe', 'ffff').map((h) => ({ text: `"\\u${h}"`, codes: ['JSON_NONCHARACTER'] })),
  unsafeInteger.map((text) => ({ text, codes: ['JSON_INEXACT_NUMBER'] })),
  fc.constantFrom('-0', '-0.0', '-0e7', '-0.000E-2').map((text) => ({ text, codes: ['JSON_INEXACT_NUMBER'] })),
  fc.constantFrom('1e400', '-1e309', '1e-400', '0.1000000000000000055511151231257827').map((text) => ({
    text,
    codes: ['JSON_INEXACT_NUMBER'],
  })),
  fc.integer({ min: 513, max: 5_000 }).map((n) => ({ text: `1${'0'.repeat(n)}`, codes: ['JSON_NUMBER_TOO_LONG'] })),
  fc
    .integer({ min: 65, max: 400 })
    .map((n) => ({ text: `${'['.repeat(n)}${']'.repeat(n)}`, codes: ['JSON_TOO_DEEP'] })),
);

/** A document holding one ambiguous piece at random depth among clean siblings. */
export const ambiguousDocument: fc.Arbitrary<Ambiguity> = fc
  .tuple(ambiguousPiece, fc.nat({ max: 4 }), JSON_VALUE_TEXT, JSON_VALUE_TEXT, fc.boolean())
  .map(([piece, depth, before, after, inObject]) => {
    let text = piece.text;
    for (let i = 0; i < depth; i++) text = inObject ? `{"a":${before},"b":${text}}` : `[${before},${text},${after}]`;
    // Deep nesting pieces must still be too deep once wrapped; other codes never depend on depth here.
    return { text, codes: piece.codes };
  });
