// Text as the phrase rules read it, with a way back to the raw string. Rules match on a normalised form
// (hidden characters and ANSI sequences dropped, NFKC, lower case, one space for any run of blanks), so
// an instruction split by zero-width joiners or wrapped in escape codes reads like the plain text a model
// sees; every character of that form remembers where it came from, so a finding can quote the raw text.

import { classifyCodePoint } from '../text/hidden-chars.ts';
import { execAll } from './regex.ts';

export interface PreparedText {
  /** The normalised text the rules match on. */
  text: string;
  /** For each UTF-16 unit of `text`, the index in the raw string it came from. */
  origin: number[];
  /** The raw string. */
  raw: string;
}

/** ESC and C1 CSI sequences (SGR, cursor moves, erase), OSC strings, and two-byte ESC sequences. */
const ANSI_SEQUENCE =
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)|\x1b[@-Z\\-_]/g;

/** Blank code points beyond ASCII space that renderers show as nothing or as a gap. */
const BLANKS = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0x2800, 0x3164, 0x115f, 0x1160, 0xffa0,
]);

export function isBlank(cp: number): boolean {
  return BLANKS.has(cp);
}

const QUOTES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
};

/** Raw indices covered by ANSI escape sequences (so their parameter bytes are dropped too). */
function ansiMask(raw: string): Uint8Array | null {
  if (!/[\x1b\x9b\x9d]/.test(raw)) return null;
  const mask = new Uint8Array(raw.length);
  for (const m of execAll(ANSI_SEQUENCE, raw)) mask.fill(1, m.index, m.index + m[0].length);
  return mask;
}

export interface PrepareOptions {
  /** Keep letter case (identifiers, base64); default lower-cases. */
  keepCase?: boolean;
  /** Treat `_`, `-` and camelCase humps as spaces (for property names and other keys). */
  splitIdentifiers?: boolean;
  /** Map confusable look-alike letters to the Latin letter they imitate. */
  fold?: (ch: string) => string;
}

/**
 * Normalise `raw` for matching: drop hidden characters and ANSI sequences, NFKC each character, unify
 * quotes and dashes, lower-case, strip Markdown emphasis, and collapse blanks (a run containing a line
 * break becomes "\n", any other run one space).
 */
export function prepareText(raw: string, options: PrepareOptions = {}): PreparedText {
  // Most definitions are plain ASCII; they take a loop over char codes that gives the same result.
  return (ASCII_TEXT.test(raw) ? prepareAscii(raw, options) : null) ?? prepareGeneral(raw, options);
}

/** Printable ASCII and ASCII blanks: nothing hidden, NFKC is the identity, no quote or dash to unify. */
const ASCII_TEXT = /^[\t-\r -~]*$/;

/** prepareGeneral restricted to ASCII input; null if a fold function maps outside one ASCII unit. */
function prepareAscii(raw: string, options: PrepareOptions): PreparedText | null {
  const codes: number[] = [];
  const origin: number[] = [];
  let pendingBlank = 0; // 0, 0x20 (a space) or 0x0a (a line break)
  let pendingAt = 0;
  let prevLower = false;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      const kind = c === 0x0a || c === 0x0d ? 0x0a : 0x20;
      if (!pendingBlank) pendingAt = i;
      if (pendingBlank !== 0x0a) pendingBlank = kind;
      prevLower = false;
      continue;
    }
    if (options.splitIdentifiers) {
      if (c === 0x5f || c === 0x2d) {
        if (!pendingBlank) pendingAt = i;
        if (pendingBlank !== 0x0a) pendingBlank = 0x20;
        prevLower = false;
        continue;
      }
      const upper = c >= 0x41 && c <= 0x5a;
      if (upper && prevLower && !pendingBlank) {
        pendingBlank = 0x20;
        pendingAt = i;
      }
      prevLower = c >= 0x61 && c <= 0x7a;
    }
    if (!options.keepCase && c >= 0x41 && c <= 0x5a) c += 32;
    if (options.fold) {
      const folded = options.fold(String.fromCharCode(c));
      if (folded.length !== 1 || folded.charCodeAt(0) > 0x7e) return null;
      c = folded.charCodeAt(0);
    }
    if (!options.keepCase && (c === 0x2a || c === 0x60)) continue;
    if (pendingBlank && codes.length > 0) {
      codes.push(pendingBlank);
      origin.push(pendingAt);
    }
    pendingBlank = 0;
    codes.push(c);
    origin.push(i);
  }
  let text = '';
  for (let k = 0; k < codes.length; k += 8192) text += String.fromCharCode(...codes.slice(k, k + 8192));
  return { text, origin, raw };
}

/** The general normalisation, for any input (exported so tests can check the ASCII path against it). */
export function prepareGeneral(raw: string, options: PrepareOptions = {}): PreparedText {
  const mask = ansiMask(raw);
  let text = '';
  const origin: number[] = [];
  let pendingBlank: '' | ' ' | '\n' = '';
  let pendingAt = 0;
  const emit = (s: string, at: number) => {
    if (pendingBlank && text.length > 0) {
      text += pendingBlank;
      origin.push(pendingAt);
    }
    pendingBlank = '';
    for (let k = 0; k < s.length; k++) origin.push(at);
    text += s;
  };
  let prevLower = false;
  for (let i = 0; i < raw.length; i++) {
    const cp = raw.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const at = i;
    if (width === 2) i++;
    if (mask?.[at]) continue;
    if (BLANKS.has(cp)) {
      const kind = cp === 0x0a || cp === 0x0d || cp === 0x2028 || cp === 0x2029 || cp === 0x85 ? '\n' : ' ';
      if (!pendingBlank) pendingAt = at;
      if (pendingBlank !== '\n') pendingBlank = kind;
      prevLower = false;
      continue;
    }
    if (classifyCodePoint(cp)) continue;
    let ch = String.fromCodePoint(cp);
    if (options.splitIdentifiers) {
      if (ch === '_' || ch === '-') {
        if (!pendingBlank) pendingAt = at;
        if (pendingBlank !== '\n') pendingBlank = ' ';
        prevLower = false;
        continue;
      }
      const upper = ch !== ch.toLowerCase();
      if (upper && prevLower && !pendingBlank) {
        pendingBlank = ' ';
        pendingAt = at;
      }
      prevLower = !upper && /\p{L}/u.test(ch);
    }
    ch = QUOTES[ch] ?? ch.normalize('NFKC');
    if (!options.keepCase) ch = ch.toLowerCase();
    if (options.fold) ch = options.fold(ch);
    // Markdown emphasis and code spans hide nothing from a model.
    if (!options.keepCase && (ch === '*' || ch === '`')) continue;
    emit(ch, at);
  }
  return { text, origin, raw };
}

/** Raw start and end indices for a match [start, end) in prepared text. */
export function rawSpan(prepared: PreparedText, start: number, end: number): [number, number] {
  if (prepared.origin.length === 0) return [0, 0];
  const s = prepared.origin[Math.min(start, prepared.origin.length - 1)] ?? 0;
  const lastIndex = Math.max(start, Math.min(end, prepared.origin.length) - 1);
  const e = (prepared.origin[lastIndex] ?? s) + 1;
  return [s, Math.max(s, e)];
}

/** Raw text around [start, end) of the raw string, with up to `context` characters either side. */
export function excerptAround(raw: string, start: number, end: number, context = 40, maxLength = 240): string {
  let s = Math.max(0, start - context);
  let e = Math.min(raw.length, end + context);
  if (e - s > maxLength) e = Math.min(raw.length, Math.max(end, s + maxLength));
  if (e - s > maxLength) s = Math.max(0, e - maxLength);
  // Never cut a surrogate pair in half: a lone surrogate would not survive JSON.
  if (s > 0 && /[\udc00-\udfff]/.test(raw[s] ?? '')) s--;
  if (e < raw.length && /[\ud800-\udbff]/.test(raw[e - 1] ?? '')) e++;
  return (s > 0 ? '…' : '') + raw.slice(s, e) + (e < raw.length ? '…' : '');
}
