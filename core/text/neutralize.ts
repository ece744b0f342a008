// Hidden instructions neutralised in text that reaches a model (tool results, resource contents, prompt
// messages). What is removed, and why:
// - Unicode tag characters U+E0000–E007F: invisible ASCII smuggling ("ASCII in tags"), except a valid emoji
//   tag sequence (U+1F3F4 followed by tags and the cancel tag U+E007F: the flags of England, Scotland, Wales);
// - bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): reorder what a reviewer sees;
// - zero-width and invisible characters (U+200B, U+2060–U+2064, U+FEFF, U+180E), and ZWJ/ZWNJ (U+200D,
//   U+200C) unless they join two letters or two emoji (emoji ZWJ sequences, Persian and Indic text keep them);
// - ANSI escape sequences (CSI, OSC, and other ESC sequences), C1 controls U+0080–U+009F and C0 controls other
//   than tab, newline and carriage return: they rewrite what a terminal shows.
// Everything else (accents, CJK, emoji with ZWJ and variation selectors) is left byte for byte.
// In `escape` mode the same characters are replaced by a visible `\u{E0041}` form instead of removed
// (an ANSI sequence keeps its printable part: `\u{1B}[31m`), so a reader sees that something was there. Pure.

export type NeutralizedClass = 'tag' | 'bidi' | 'zero-width' | 'ansi' | 'control';
/** remove: delete them; escape: replace each by its visible `\u{…}` form. */
export type NeutralizeMode = 'remove' | 'escape';

export interface Neutralized {
  text: string;
  /** How many of each were removed or escaped (an ANSI sequence counts once). */
  removed: Partial<Record<NeutralizedClass, number>>;
}

// A fast test: no character any rule below could remove.
const SUSPECT =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u{e0000}-\u{e007f}]/u;
// ESC [ params intermediates final | ESC ] … (BEL | ESC \) | ESC and one more character.
const ANSI =
  /\u001b(?:\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\][^\u0007\u001b]{0,4096}(?:\u0007|\u001b\\)?|[\u0020-\u007e]?)/gu;
const LETTER_OR_EMOJI = /^(?:\p{L}|\p{M}|\p{Extended_Pictographic})$/u;

/** A character a ZWJ or ZWNJ may legitimately join: a letter, a mark, an emoji, a skin tone or VS16. */
function joinable(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  if (cp === 0xfe0f || (cp >= 0x1f3fb && cp <= 0x1f3ff)) return true;
  return LETTER_OR_EMOJI.test(String.fromCodePoint(cp));
}

function classOf(cp: number): NeutralizedClass | null {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d ? null : 'control';
  if (cp >= 0x7f && cp <= 0x9f) return 'control';
  if (
    cp === 0x061c ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  )
    return 'bidi';
  if (
    cp === 0x200b ||
    cp === 0x200c ||
    cp === 0x200d ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    cp === 0xfeff ||
    cp === 0x180e
  )
    return 'zero-width';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  return null;
}

/** Length (in UTF-16 units) of a valid emoji tag sequence's tags starting at i, or 0. */
function emojiTagRun(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const cp = text.codePointAt(j)!;
    if (cp === 0xe007f) return j + 2 - i;
    if (cp < 0xe0020 || cp > 0xe007e) return 0;
    j += 2;
  }
  return 0;
}

/** The visible form of one code point: `\u{E0041}`. */
export function escapedCodePoint(cp: number): string {
  return `\\u{${cp.toString(16).toUpperCase()}}`;
}

const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

export function neutralizeText(input: string, mode: NeutralizeMode = 'remove'): Neutralized {
  if (!SUSPECT.test(input)) return { text: input, removed: {} };
  const removed: Partial<Record<NeutralizedClass, number>> = {};
  const count = (c: NeutralizedClass) => {
    removed[c] = (removed[c] ?? 0) + 1;
  };
  const escaping = mode === 'escape';
  const text = input.replace(ANSI, (sequence) => {
    count('ansi');
    return escaping ? sequence.replace(CONTROLS, (c) => escapedCodePoint(c.charCodeAt(0))) : '';
  });
  let out = '';
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const cls = classOf(cp);
    if (cls === null) {
      out += text.slice(i, i + width);
      i += width;
      continue;
    }
    if (cls === 'tag' && out.endsWith('\u{1f3f4}')) {
      const run = emojiTagRun(text, i);
      if (run > 0) {
        out += text.slice(i, i + run);
        i += run;
        continue;
      }
    }
    if ((cp === 0x200d || cp === 0x200c) && i > 0) {
      const before = Array.from(out.slice(-2)).pop()?.codePointAt(0);
      if (joinable(before) && joinable(text.codePointAt(i + 1))) {
        out += text[i];
        i += 1;
        continue;
      }
    }
    count(cls);
    if (escaping) out += escapedCodePoint(cp);
    i += width;
  }
  return { text: out, removed };
}
