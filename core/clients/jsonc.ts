// JSON with comments and trailing commas (VS Code's mcp.json) read without losing a byte. jsonc-parser's
// scanner (the one VS Code itself uses) finds the comments and trailing commas; they are blanked to spaces
// in a copy of the same length, so that copy is strict JSON (checked with parseStrictJson: duplicate keys,
// __proto__ and the rest refused) and every offset in it is an offset in the original text. Edits then
// splice the original, and everything outside an edited range, comments included, stays exactly as it was.

import { createScanner } from 'jsonc-parser';
import { McpLockError } from '../errors.ts';

// jsonc-parser declares these as const enums, which type stripping cannot inline: its documented values.
const SyntaxKind = {
  CloseBraceToken: 2,
  CloseBracketToken: 4,
  CommaToken: 5,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  EOF: 17,
} as const;
const SCAN_ERRORS: Record<number, string> = {
  1: 'unterminated comment',
  2: 'unterminated string',
  3: 'unterminated number',
  4: 'invalid \\u escape',
  5: 'invalid escape',
  6: 'invalid character',
};

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
  // A byte-order mark is not JSON; treat it as whitespace so the original keeps it.
  if (text.charCodeAt(0) === 0xfeff) out[0] = ' ';
  const scanner = createScanner(out.join(''), false);
  let lastComma = -1;
  for (let kind: number = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const offset = scanner.getTokenOffset();
    const error = SCAN_ERRORS[scanner.getTokenError()];
    if (error) throw invalid(what, error, offset);
    switch (kind) {
      case SyntaxKind.LineCommentTrivia:
      case SyntaxKind.BlockCommentTrivia:
        if (!allowComments) throw invalid(what, 'comments are not allowed in this file', offset);
        for (let i = offset; i < offset + scanner.getTokenLength(); i++) {
          if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
        }
        break;
      case SyntaxKind.CommaToken:
        lastComma = offset;
        break;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        if (lastComma >= 0) {
          if (!allowComments) throw invalid(what, 'trailing commas are not allowed in this file', lastComma);
          out[lastComma] = ' ';
        }
        lastComma = -1;
        break;
      case SyntaxKind.Trivia:
      case SyntaxKind.LineBreakTrivia:
        break;
      default:
        lastComma = -1;
    }
  }
  return out.join('');
}
