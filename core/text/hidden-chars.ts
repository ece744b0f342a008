// Characters a reader does not see but a model reads: the classification every display path and the
// lint share. Hashes always cover the raw text; this module only decides how to *show* it.

export type HiddenClass =
  | 'control' // C0 controls other than tab and newline, DEL
  | 'c1-control' // U+0080..U+009F, including the 8-bit CSI U+009B
  | 'escape' // ESC, the start of ANSI sequences
  | 'bidi' // embeddings, overrides, isolates and marks that reorder text
  | 'zero-width' // zero-width spaces and joiners, word joiner, BOM, invisible operators
  | 'tag' // Unicode tag block U+E0000..U+E007F ("ASCII smuggling")
  | 'variation-selector' // U+FE00..U+FE0F and U+E0100..U+E01EF
  | 'invisible' // other default-ignorable or blank code points (soft hyphen, Hangul fillers, …)
  | 'line-separator' // U+2028/U+2029, which break lines in some renderers only
  | 'private-use'
  | 'lone-surrogate';

/** Classify one code point, or return null when it is ordinary visible text (or tab/newline). */
export function classifyCodePoint(cp: number): HiddenClass | null {
  if (cp === 0x1b) return 'escape';
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d ? null : 'control';
  if (cp === 0x7f) return 'control';
  if (cp >= 0x80 && cp <= 0x9f) return 'c1-control';
  if (cp < 0xa0) return null;
  if (cp === 0x061c || cp === 0x200e || cp === 0x200f) return 'bidi';
  if (cp >= 0x202a && cp <= 0x202e) return 'bidi';
  if (cp >= 0x2066 && cp <= 0x2069) return 'bidi';
  if ((cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0x180e) {
    return 'zero-width';
  }
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 'variation-selector';
  if (
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x3164 ||
    cp === 0xffa0 ||
    (cp >= 0x2065 && cp <= 0x2065) ||
    (cp >= 0xfff0 && cp <= 0xfff8) ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0080 && cp <= 0xe00ff) ||
    (cp >= 0xe01f0 && cp <= 0xe0fff)
  ) {
    return 'invisible';
  }
  if (cp === 0x2028 || cp === 0x2029) return 'line-separator';
  if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return 'private-use';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'lone-surrogate';
  return null;
}

export interface HiddenCharacter {
  /** UTF-16 index in the string. */
  index: number;
  codePoint: number;
  class: HiddenClass;
}

/** Every hidden character in `text`, in order. */
export function findHiddenCharacters(text: string): HiddenCharacter[] {
  const found: HiddenCharacter[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const cls = classifyCodePoint(cp);
    if (cls) found.push({ index: i, codePoint: cp, class: cls });
    if (cp > 0xffff) i++;
  }
  return found;
}

export function hasHiddenCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (classifyCodePoint(cp)) return true;
    if (cp > 0xffff) i++;
  }
  return false;
}

/** `\u{1B}` — the notation hidden characters are shown in. */
export function codePointLabel(cp: number): string {
  return `\\u{${cp
    .toString(16)
    .toUpperCase()
    .padStart(cp > 0xffff ? 5 : 4, '0')}}`;
}

export interface VisibleOptions {
  /** Keep newlines and tabs as they are (for multi-line descriptions); otherwise show them as \n and \t. */
  multiline?: boolean;
}

/**
 * Untrusted text made safe and honest for a terminal or a log: every hidden, control, bidi, tag and
 * invisible character is replaced by its `\u{…}` label, so nothing is rendered silently and no escape
 * sequence reaches the terminal. Ordinary text (any script, emoji) is unchanged.
 */
export function visible(text: string, options: VisibleOptions = {}): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const wide = cp > 0xffff;
    let replacement: string | null = null;
    if (!options.multiline && (cp === 0x0a || cp === 0x09 || cp === 0x0d)) {
      replacement = cp === 0x0a ? '\\n' : cp === 0x09 ? '\\t' : '\\r';
    } else if (options.multiline && cp === 0x0d) {
      replacement = '\\r';
    } else if (classifyCodePoint(cp)) {
      replacement = codePointLabel(cp);
    }
    if (replacement !== null) {
      out += text.slice(runStart, i) + replacement;
      runStart = i + (wide ? 2 : 1);
    }
    if (wide) i++;
  }
  return out + text.slice(runStart);
}
