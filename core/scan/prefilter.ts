// A cheap first pass before a regular expression runs: the literals one of which every match must contain
// (required-literals.ts), checked against an index of the text's 3- and 4-character runs built once per
// text. Most strings of a benign definition hold none of a rule's words, and an index lookup costs far less
// than a regex pass. A regex with no known literals always runs; a hash collision can only let a regex run.

import { requiredLiterals, strength } from './required-literals.ts';

export { requiredLiterals } from './required-literals.ts';

// ---------------------------------------------------------------- the text index

// One pass per text hashes every 3- and 4-character run into a table of generation stamps (clearing is
// free), and marks every prefilter one of whose keys is among those runs. A prefilter then answers with
// one load. A key is the hash of one run of each literal; a collision can only let a regex run.
const BITS = 16;
const stamps = new Uint32Array(1 << BITS);
/** Per hash, the first entry of the list of prefilters with that key (-1: none). */
const heads = new Int32Array(1 << BITS).fill(-1);
let entryNext = new Int32Array(256);
let entryOwner = new Int32Array(256);
let entries = 0;
let marks = new Uint32Array(256);
let filters = 0;
let generation = 0;
let indexed: string | null = null;

const hash3 = (a: number, b: number, c: number) =>
  (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> (32 - BITS);
const hash4 = (a: number, b: number, c: number, d: number) =>
  (Math.imul(a, 0x27d4eb2f) ^ Math.imul(b, 0x165667b1) ^ Math.imul(c, 0xd3a2646c) ^ Math.imul(d, 0xfd7046c5)) >>>
  (32 - BITS);

function visit(h: number, g: number): void {
  stamps[h] = g;
  for (let e = heads[h]!; e >= 0; e = entryNext[e]!) marks[entryOwner[e]!] = g;
}

function indexText(text: string): void {
  if (indexed === text) return;
  generation++;
  if (generation === 0xffffffff) {
    stamps.fill(0);
    marks.fill(0);
    generation = 1;
  }
  const g = generation;
  const n = text.length;
  if (n >= 3) {
    let a = text.charCodeAt(0);
    let b = text.charCodeAt(1);
    let c = text.charCodeAt(2);
    visit(hash3(a, b, c), g);
    for (let i = 3; i < n; i++) {
      const d = text.charCodeAt(i);
      visit(hash4(a, b, c, d), g);
      visit(hash3(b, c, d), g);
      a = b;
      b = c;
      c = d;
    }
  }
  indexed = text;
}

function grow<T extends Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(a: T, n: number): T {
  if (n < a.length) return a;
  const b = new (a.constructor as new (length: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Letters and blanks that are in most texts: a run made of them filters least. */
const COMMON = new Set([...' etaoinsrhl']);

/** The key of one literal of 3+ units: the hash of its least common 4-character run (or of the literal, if 3 long). */
function keyOf(literal: string): number {
  const c = (i: number) => literal.charCodeAt(i);
  if (literal.length === 3) return hash3(c(0), c(1), c(2));
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 4 <= literal.length; i++) {
    let score = 0;
    for (let k = i; k < i + 4; k++) if (COMMON.has(literal[k]!)) score++;
    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return hash4(c(best), c(best + 1), c(best + 2), c(best + 3));
}

/**
 * A regex with its cheap first pass. Create one per regex, once (at module level): the literals are read
 * from the source on first use. `may(text)` is false only when the regex cannot match `text` nor any
 * part of it (a sentence or clause cut from it); `test` and `exec` run the regex only when it may match.
 */
export class Prefilter {
  readonly re: RegExp;
  /** -1: not read yet; -2: no gate (always run); otherwise the index of this prefilter's marks. */
  private id = -1;
  /** Literals of one or two units, looked up with includes(). */
  private short: string[] = [];
  private shortAt = 0;
  private shortAnswer = false;

  constructor(re: RegExp) {
    this.re = re;
  }

  private init(): void {
    const literals = requiredLiterals(this.re);
    // A letter or a blank alone would pass nearly every text: not worth a look-up.
    if (!literals || literals.some((l) => strength(l) === 0)) {
      this.id = -2;
      return;
    }
    const id = filters++;
    marks = grow(marks, filters);
    this.short = literals.filter((l) => l.length < 3);
    const keys = new Set(literals.filter((l) => l.length >= 3).map(keyOf));
    for (const k of keys) {
      entryNext = grow(entryNext, entries + 1);
      entryOwner = grow(entryOwner, entries + 1);
      entryOwner[entries] = id;
      entryNext[entries] = heads[k]!;
      heads[k] = entries++;
    }
    // The text indexed before this prefilter existed: mark it from the stamps.
    marks[id] = [...keys].some((k) => stamps[k] === generation) ? generation : 0;
    this.id = id;
  }

  may(text: string): boolean {
    if (this.id === -1) this.init();
    if (this.id === -2) return true;
    indexText(text);
    const g = generation;
    if (marks[this.id] === g) return true;
    if (this.short.length === 0) return false;
    if (this.shortAt !== g) {
      this.shortAt = g;
      this.shortAnswer = this.short.some((s) => text.includes(s));
    }
    return this.shortAnswer;
  }

  /** `re.test(text)` when it may match (from the start of the text for a global regex too). */
  test(text: string): boolean {
    if (!this.may(text)) return false;
    this.re.lastIndex = 0;
    return this.re.test(text);
  }

  /** `re.exec(text)` when it may match (from the start of the text for a global regex too). */
  exec(text: string): RegExpExecArray | null {
    if (!this.may(text)) return null;
    this.re.lastIndex = 0;
    return this.re.exec(text);
  }
}

export const prefilter = (re: RegExp): Prefilter => new Prefilter(re);
