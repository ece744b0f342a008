// MCPL001: hidden and control characters, judged on the raw string. A model reads every code point;
// a reviewer sees none of these. Allowed: emoji ZWJ sequences, emoji presentation selectors, keycaps,
// well-formed flag tag sequences (U+1F3F4, 2–6 tag letters/digits, U+E007F), joiners inside scripts
// that need them (Persian, Indic) and one ideographic variation selector after a Han character.
// Also recovers what hidden characters carry (tag text, zero-width bits) for the other rules to read.

import { classifyCodePoint, type HiddenClass, hasHiddenCharacters } from '../../text/hidden-chars.ts';
import type { Hit } from '../context.ts';
import { RULES } from '../rules.ts';
import { type Severity, severityRank } from '../severity.ts';

const EXTENDED_PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const JOINING_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Mongolian}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const HAN = /\p{Script=Han}/u;

interface CodePoint {
  cp: number;
  index: number;
}

function codePoints(text: string): CodePoint[] {
  const out: CodePoint[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    out.push({ cp, index: i });
    if (cp > 0xffff) i++;
  }
  return out;
}

const isTagSpec = (cp: number) => (cp >= 0xe0030 && cp <= 0xe0039) || (cp >= 0xe0061 && cp <= 0xe007a);
const isSkinTone = (cp: number) => cp >= 0x1f3fb && cp <= 0x1f3ff;
const isPictographic = (cp: number) => EXTENDED_PICTOGRAPHIC.test(String.fromCodePoint(cp));
const isLetterOrMark = (cp: number) => /[\p{L}\p{M}]/u.test(String.fromCodePoint(cp));
const isWordChar = (cp: number | undefined) => cp !== undefined && /[\p{L}\p{N}]/u.test(String.fromCodePoint(cp));

/** Indices (in the code point list) of tag characters that belong to well-formed flag sequences. */
function allowedFlagTags(cps: CodePoint[]): Set<number> {
  const allowed = new Set<number>();
  for (let i = 0; i < cps.length; i++) {
    if (cps[i]!.cp !== 0x1f3f4) continue;
    let j = i + 1;
    while (j < cps.length && isTagSpec(cps[j]!.cp) && j - i <= 7) j++;
    const count = j - i - 1;
    if (count >= 2 && count <= 6 && cps[j]?.cp === 0xe007f) {
      for (let k = i + 1; k <= j; k++) allowed.add(k);
    }
  }
  return allowed;
}

/** Is the hidden code point at position i of cps part of legitimate text? */
function isAllowed(cps: CodePoint[], i: number, flagTags: Set<number>): boolean {
  const { cp } = cps[i]!;
  const prev = cps[i - 1]?.cp;
  const next = cps[i + 1]?.cp;
  if (cp >= 0xe0000 && cp <= 0xe007f) return flagTags.has(i);
  if (cp === 0x200d) {
    // Emoji ZWJ sequence: pictograph (optionally with VS16 or a skin tone) ZWJ pictograph.
    let k = i - 1;
    while (k >= 0 && (cps[k]!.cp === 0xfe0f || isSkinTone(cps[k]!.cp))) k--;
    const base = cps[k]?.cp;
    if (base !== undefined && isPictographic(base) && next !== undefined && isPictographic(next)) return true;
  }
  if (cp === 0x200d || cp === 0x200c) {
    const a = prev === undefined ? '' : String.fromCodePoint(prev);
    const b = next === undefined ? '' : String.fromCodePoint(next);
    if (JOINING_SCRIPT.test(a) && (JOINING_SCRIPT.test(b) || (next !== undefined && isLetterOrMark(next)))) return true;
  }
  if (cp === 0xfe0f || cp === 0xfe0e) {
    if (prev !== undefined && (isPictographic(prev) || /^[0-9#*]$/.test(String.fromCodePoint(prev)))) {
      return cps[i - 2]?.cp === undefined || !(cps[i - 2]!.cp === 0xfe0f || cps[i - 2]!.cp === 0xfe0e);
    }
  }
  if (cp >= 0xe0100 && cp <= 0xe01ef) {
    if (prev !== undefined && HAN.test(String.fromCodePoint(prev)))
      return !(next !== undefined && next >= 0xe0100 && next <= 0xe01ef);
  }
  return false;
}

interface Judged {
  severity: Severity;
  label: string;
}

function judge(cls: HiddenClass, cps: CodePoint[], i: number, zeroWidthRun: number): Judged {
  const { cp } = cps[i]!;
  const prev = cps[i - 1]?.cp;
  const next = cps[i + 1]?.cp;
  switch (cls) {
    case 'tag':
      return { severity: 'critical', label: 'Unicode tag characters' };
    case 'escape': {
      const following = cps[i + 1]?.cp;
      return following === 0x5b || following === 0x5d
        ? { severity: 'critical', label: 'ANSI escape sequences' }
        : { severity: 'high', label: 'ESC characters' };
    }
    case 'c1-control':
      return cp === 0x9b || cp === 0x9d
        ? { severity: 'critical', label: 'C1 control sequences (CSI/OSC)' }
        : { severity: 'high', label: 'C1 control characters' };
    case 'control':
      return { severity: 'high', label: 'control characters' };
    case 'bidi':
      if (cp === 0x202e || cp === 0x202d) return { severity: 'critical', label: 'bidi overrides' };
      if (cp === 0x200e || cp === 0x200f || cp === 0x061c) return { severity: 'info', label: 'bidi marks' };
      return { severity: 'high', label: 'bidi embeddings or isolates' };
    case 'zero-width':
      if (zeroWidthRun >= 8) return { severity: 'critical', label: 'runs of zero-width characters' };
      if (cp === 0xfeff && i === 0) return { severity: 'low', label: 'a byte order mark' };
      if (isWordChar(prev) && isWordChar(next))
        return { severity: 'high', label: 'zero-width characters inside words' };
      return { severity: 'medium', label: 'zero-width characters' };
    case 'variation-selector':
      return cp >= 0xe0100
        ? { severity: 'high', label: 'supplementary variation selectors' }
        : { severity: 'medium', label: 'stray variation selectors' };
    case 'invisible':
      if (cp === 0x00ad && isWordChar(prev) && isWordChar(next)) return { severity: 'low', label: 'soft hyphens' };
      return { severity: 'medium', label: 'invisible characters' };
    case 'line-separator':
      return { severity: 'low', label: 'line or paragraph separators' };
    case 'private-use':
      return { severity: 'medium', label: 'private-use characters' };
    case 'lone-surrogate':
      return { severity: 'high', label: 'lone surrogates' };
  }
}

const ZW_RUN = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x2061, 0x2062, 0x2063, 0x2064]);

export function hiddenCharsRule(raw: string): Hit[] {
  if (!hasHiddenCharacters(raw)) return [];
  const cps = codePoints(raw);
  const flagTags = allowedFlagTags(cps);
  const labels = new Map<string, number>();
  let worst: Judged | null = null;
  let first = -1;
  let last = -1;
  const runLength = new Array<number>(cps.length).fill(0);
  for (let i = 0; i < cps.length; ) {
    if (!ZW_RUN.has(cps[i]!.cp)) {
      i++;
      continue;
    }
    let j = i;
    while (j < cps.length && ZW_RUN.has(cps[j]!.cp)) j++;
    runLength.fill(j - i, i, j);
    i = j;
  }
  for (let i = 0; i < cps.length; i++) {
    const { cp, index } = cps[i]!;
    const cls = classifyCodePoint(cp);
    if (!cls || isAllowed(cps, i, flagTags)) continue;
    const judged = judge(cls, cps, i, runLength[i]!);
    labels.set(judged.label, (labels.get(judged.label) ?? 0) + 1);
    if (!worst || severityRank(judged.severity) > severityRank(worst.severity)) worst = judged;
    if (first < 0) first = index;
    last = index + (cp > 0xffff ? 2 : 1);
  }
  if (!worst) return [];
  const parts = [...labels.entries()].map(([label, n]) => `${n} × ${label}`);
  return [
    {
      rule: RULES.hiddenChars,
      severity: worst.severity,
      message: `contains hidden characters: ${parts.join(', ')}`,
      start: first,
      end: Math.min(last, first + 200),
    },
  ];
}

/** The ASCII text carried by tag characters outside well-formed flags, or null. */
export function decodeTagText(raw: string): string | null {
  if (!/[\udb40][\udc00-\udc7f]/.test(raw)) return null;
  const cps = codePoints(raw);
  const flagTags = allowedFlagTags(cps);
  let out = '';
  cps.forEach(({ cp }, i) => {
    if (cp >= 0xe0020 && cp <= 0xe007e && !flagTags.has(i)) out += String.fromCharCode(cp - 0xe0000);
    else if (out && !out.endsWith(' ') && cp >= 0xe0000 && cp <= 0xe007f) out += ' ';
  });
  return out.trim() ? out : null;
}

/** Text encoded as bits in runs of zero-width characters (U+200B/U+200C as 0/1), or null. */
export function decodeZeroWidthBits(raw: string): string | null {
  const runs = raw.match(/[\u200b\u200c]{16,}/g);
  if (!runs) return null;
  const decoded: string[] = [];
  for (const run of runs) {
    for (const zero of ['\u200b', '\u200c']) {
      const bits = Array.from(run, (ch) => (ch === zero ? '0' : '1')).join('');
      let text = '';
      for (let i = 0; i + 8 <= bits.length; i += 8)
        text += String.fromCharCode(Number.parseInt(bits.slice(i, i + 8), 2));
      const printable = [...text].filter((c) => c >= ' ' && c <= '~').length;
      if (text.length >= 2 && printable / text.length >= 0.9) {
        decoded.push(text);
        break;
      }
    }
  }
  return decoded.length > 0 ? decoded.join(' ') : null;
}
