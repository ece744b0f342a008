// Iterating the matches of a shared global regex without cloning it: String.prototype.matchAll copies
// the regex on every call, which dominated the scan's profile. Bounded by `max` matches.

export function* execAll(re: RegExp, text: string, max = 10_000): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let count = 0;
  while (count++ < max) {
    const m = re.exec(text);
    if (!m) return;
    if (m[0].length === 0) re.lastIndex++;
    yield m;
  }
}
