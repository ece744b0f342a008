// JSON output that keeps every string exactly as received (parse it back and you get the raw text) but
// never writes an invisible or control character raw: JSON.stringify already escapes C0 controls; this
// also escapes DEL, C1 (U+009B CSI), bidi, zero-width, tag, variation-selector and other hidden code
// points as \uXXXX, so `cat report.json` cannot drive a terminal or hide text. Every --json output uses it.

import { classifyCodePoint } from './hidden-chars.ts';

const hex4 = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;

/** JSON.stringify, then hidden code points (which can only occur inside strings) escaped. */
export function safeJsonStringify(value: unknown, indent = 2): string {
  const text = JSON.stringify(value, null, indent);
  let out = '';
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const wide = cp > 0xffff;
    if (classifyCodePoint(cp)) {
      out += text.slice(run, i);
      out += wide ? hex4(text.charCodeAt(i)) + hex4(text.charCodeAt(i + 1)) : hex4(cp);
      run = i + (wide ? 2 : 1);
    }
    if (wide) i++;
  }
  return out + text.slice(run);
}
