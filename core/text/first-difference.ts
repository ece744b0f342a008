// Where two texts first differ, cut to a window a person can read: the same region of both texts around
// the first differing character, so two long strings that differ only near the end (or only by an
// invisible character) do not look identical when shown shortened. Windows never split a surrogate pair.
// Pure; the caller makes the windows visible (hidden characters escaped) before printing them.

export interface DifferenceWindow {
  /** UTF-16 offset of the first difference (the length of the common prefix). */
  offset: number;
  before: string;
  after: string;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Move an offset back off the second half of a surrogate pair. */
function boundary(text: string, offset: number): number {
  return offset > 0 && offset < text.length && isLowSurrogate(text.charCodeAt(offset)) ? offset - 1 : offset;
}

function cut(text: string, start: number, end: number): string {
  const from = boundary(text, start);
  const to = boundary(text, Math.min(end, text.length));
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

/**
 * The region around the first difference of two texts: up to `context` UTF-16 units before it and
 * `context * 2` from it on each side, with `…` where a side was cut. Null when the texts are equal.
 */
export function firstDifference(before: string, after: string, context = 40): DifferenceWindow | null {
  if (before === after) return null;
  const common = Math.min(before.length, after.length);
  let i = 0;
  while (i < common && before.charCodeAt(i) === after.charCodeAt(i)) i++;
  const offset = boundary(before, i);
  const start = Math.max(0, offset - context);
  const end = offset + context * 2;
  return { offset, before: cut(before, start, end), after: cut(after, start, end) };
}
