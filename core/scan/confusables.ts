// Look-alike letters and the skeleton of a name. Tool names are ASCII by convention, so a name with a
// Cyrillic "е" or a Greek "ο" in it is there to be mistaken for another. The map covers the Cyrillic,
// Greek, Armenian and Latin-extension letters that render like ASCII letters in common fonts (after
// lower-casing); NFKC already folds fullwidth and mathematical letters. It is a skeleton for names,
// not the whole UTS #39 confusables table.

const CONFUSABLE_LETTERS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  г: 'r',
  д: 'd',
  е: 'e',
  ё: 'e',
  з: '3',
  и: 'u',
  к: 'k',
  л: 'n',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ь: 'b',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  һ: 'h',
  ӏ: 'l',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  ә: 'e',
  ɡ: 'g',
  // Greek
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  σ: 'o',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ϲ: 'c',
  ϳ: 'j',
  ζ: 'z',
  // Armenian
  օ: 'o',
  ս: 'u',
  հ: 'h',
  ո: 'n',
  զ: 'q',
  ց: 'g',
  // Latin letters that pass for plain ASCII ones
  ı: 'i',
  ȷ: 'j',
  ɑ: 'a',
  ɩ: 'i',
  ʏ: 'y',
  ᴠ: 'v',
  ᴡ: 'w',
  ꮃ: 'w',
};

/** The ASCII letter a look-alike imitates, or the character itself. Expects lower-case input. */
export function foldConfusable(ch: string): string {
  return CONFUSABLE_LETTERS[ch] ?? ch;
}

export function isConfusableLetter(ch: string): boolean {
  return ch.toLowerCase() in CONFUSABLE_LETTERS;
}

/** Case and punctuation fold: lower case, `-`, `_`, `.` and blanks removed. */
export function foldName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/**
 * The skeleton two look-alike names share: NFKC, case folded, look-alike letters mapped to the ASCII
 * letter they imitate, separators (`-`, `_`, `.`) removed.
 */
export function nameSkeleton(name: string): string {
  const lowered = name.normalize('NFKC').toLowerCase();
  return Array.from(lowered, foldConfusable)
    .join('')
    .replace(/[-_.\s]/g, '');
}

const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Cherokee',
  'Arabic',
  'Hebrew',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Devanagari',
  'Thai',
] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);

/** The scripts of the letters in `text` (Common and Inherited characters are ignored). */
export function scriptsOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    const hit = SCRIPT_PATTERNS.find(([, re]) => re.test(ch));
    found.add(hit ? hit[0] : 'Other');
  }
  return found;
}
