// JSON with comments and trailing commas (VS Code's mcp.json) read without losing a byte: the comments and
// trailing commas are blanked to spaces in a copy of the same length, so that copy is strict JSON (checked
// with parseStrictJson) and every offset in it is an offset in the original text. Edits then splice the
// original, and everything outside an edited range, comments included, stays exactly as it was.

import { McpLockError } from '../errors.ts';

function invalid(what: string, message: string, offset: number): McpLockError {
  return new McpLockError('CONFIG_INVALID', `${what}: ${message} at offset ${offset}`, {
    hint: 'Fix the file in an editor (it must be JSON, with comments only where the client allows them).',
    data: { offset },
  });
}

/**
 * The same text with `//` and `/* *\/` comments and trailing commas replaced by spaces (newlines kept).
 * With `allowComments` false, a comment or trailing comma is an error instead: the client reads strict JSON.
 */
export function blankJsonc(text: string, what: string, allowComments: boolean): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  // A byte-order mark is not JSON; treat it as whitespace so the original keeps it.
  if (text.charCodeAt(0) === 0xfeff) out[0] = ' ';
  let lastComma = -1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      lastComma = -1;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw invalid(what, 'unterminated string', text.length);
      i++;
      continue;
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      if (!allowComments) throw invalid(what, 'comments are not allowed in this file', i);
      const line = text[i + 1] === '/';
      const end = line ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
      if (!line && end < 0) throw invalid(what, 'unterminated comment', i);
      const stop = line ? (end < 0 ? text.length : end) : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === ',') {
      lastComma = i;
    } else if (c === '}' || c === ']') {
      if (lastComma >= 0) {
        if (!allowComments) throw invalid(what, 'trailing commas are not allowed in this file', lastComma);
        out[lastComma] = ' ';
      }
      lastComma = -1;
    } else if (!/\s/.test(c)) {
      lastComma = -1;
    }
    i++;
  }
  return out.join('');
}
