// Look-alike server names (server spoofing): two names a person reading a config or a marketplace page
// could take for each other. A name's skeleton folds what the eye does not distinguish (case, Unicode
// compatibility forms, separators, the classic ASCII confusables); a new name whose skeleton equals an
// existing other name's skeleton is refused. This is a skeleton, not the full Unicode confusables table.

/** Multi-character sequences that render like one letter, applied before single-character folding. */
const SEQUENCES: readonly [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];

/** Single characters that look like another (after casefolding). */
const SINGLES: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  i: 'l',
  '|': 'l',
  '5': 's',
  '8': 'b',
  '3': 'e',
  // Common non-Latin homoglyphs, in case a name ever gets past the ASCII pattern.
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'l',
  ј: 'j',
  ѕ: 's',
  ο: 'o',
  ι: 'l',
  ν: 'v',
};

/** The skeleton two look-alike names share: NFKC, casefold, confusables folded, separators removed. */
export function nameSkeleton(name: string): string {
  let s = name.normalize('NFKC').toLowerCase().normalize('NFKC');
  s = Array.from(s, (ch) => SINGLES[ch] ?? ch).join('');
  for (const [pattern, replacement] of SEQUENCES) s = s.replace(pattern, replacement);
  return s.replace(/[-_.]/g, '');
}

/** The first existing name (other than `name` itself) that looks like `name`, or null. */
export function findLookalike(name: string, existing: Iterable<string>): string | null {
  const skeleton = nameSkeleton(name);
  for (const other of existing) {
    if (other !== name && nameSkeleton(other) === skeleton) return other;
  }
  return null;
}
