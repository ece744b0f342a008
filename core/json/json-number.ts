// JSON number literals at a trust boundary: scanning one in linear time with a cap on its length, and
// deciding whether it means exactly one double. A literal's verdict depends on its value, never on how
// it is written: 9007199254740993, 9007199254740993.0 and 90071992547409930e-1 are one number.

/** Longest number literal accepted, in characters. No honest document needs more than a few dozen. */
export const MAX_NUMBER_LITERAL_CHARS = 512;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * End of the number literal that starts at `start` (a `-` or a digit), or -1 when the text there is not
 * a JSON number. One pass, and it stops reading at `maxChars + 1` characters, so a huge literal costs no
 * more than a short one before it is refused.
 */
export function scanNumberLiteral(text: string, start: number, maxChars = MAX_NUMBER_LITERAL_CHARS): number {
  const cap = start + maxChars + 1;
  const stop = Math.min(text.length, cap);
  let pos = start;
  const digitsFrom = (from: number): number => {
    let p = from;
    while (p < stop && isDigit(text.charCodeAt(p))) p++;
    return p;
  };
  if (text.charCodeAt(pos) === 0x2d /* - */) pos++;
  const c = text.charCodeAt(pos);
  if (c === 0x30 /* 0 */) pos++;
  else if (c >= 0x31 && c <= 0x39) pos = digitsFrom(pos + 1);
  else return -1;
  if (text.charCodeAt(pos) === 0x2e /* . */ && pos < stop) {
    const end = digitsFrom(pos + 1);
    if (end === pos + 1) return end >= cap ? end : -1;
    pos = end;
  }
  const e = text.charCodeAt(pos);
  if ((e === 0x65 || e === 0x45) /* e E */ && pos < stop) {
    let p = pos + 1;
    const sign = text.charCodeAt(p);
    if (sign === 0x2b || sign === 0x2d) p++;
    const end = digitsFrom(p);
    if (end === p) return end >= cap ? end : -1;
    pos = end;
  }
  return pos;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * True when the number written as `token` means exactly one double, so parsing and canonicalisation
 * cannot change what it says. Rejected: overflow to Infinity, underflow of a non-zero literal to 0, -0,
 * any magnitude beyond 2^53−1 however it is written (every double that large is an integer, and I-JSON
 * integers beyond ±(2^53−1) are not exact), and literals with more than 17 significant digits that are
 * not the double's shortest form (digits a double cannot hold). 17 digits always identify a double
 * uniquely, so serialisers that print them (like RFC 8785's own 333333333.33333329) are accepted.
 * Linear in the length of `token`.
 */
export function numberRoundTrips(token: string, value: number): boolean {
  if (!Number.isFinite(value) || Object.is(value, -0)) return false;
  const parts = decimalParts(token);
  if (value === 0) return parts.digits === '';
  // Rounding is monotonic and 2^53−1 is a double, so an exact value beyond it never parses to one within.
  if (Math.abs(value) > MAX_SAFE) return false;
  if (parts.digits.length <= 17) return true;
  return sameDecimal(parts, decimalParts(String(value)));
}

interface DecimalParts {
  negative: boolean;
  digits: string; // no leading or trailing zeros; '' means zero
  exponent: number; // value = 0.digits × 10^exponent
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function decimalParts(text: string): DecimalParts {
  const m = DECIMAL.exec(text);
  if (!m) return { negative: false, digits: 'x', exponent: 0 }; // never equal to a real number
  const all = (m[2] ?? '') + (m[3] ?? '');
  // Counted with loops, not /0+$/: a regex anchored at the end backtracks quadratically on 1000…0001.
  let lead = 0;
  while (lead < all.length && all.charCodeAt(lead) === 0x30) lead++;
  let end = all.length;
  while (end > lead && all.charCodeAt(end - 1) === 0x30) end--;
  if (end === lead) return { negative: false, digits: '', exponent: 0 };
  const exponent = (m[2] ?? '').length + Number(m[4] ?? 0) - lead;
  return { negative: m[1] === '-', digits: all.slice(lead, end), exponent };
}

function sameDecimal(a: DecimalParts, b: DecimalParts): boolean {
  return a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;
}
