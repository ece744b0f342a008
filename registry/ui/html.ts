// Safe HTML by construction: the `html` tag escapes every interpolated value unless it is already `Html`
// (made by this tag, or by `text`/`json` in text.ts). Interpolated strings also have their hidden and
// control characters replaced by a plain `\u{…}` label, so they are safe in element content and in quoted
// attribute values alike, and nothing invisible reaches the page. Never interpolate into unquoted
// attributes, URLs or script/style; the UI has no inline script or style at all (its CSP forbids them).

import { classifyCodePoint, codePointLabel } from '../../core/text/hidden-chars.ts';

/** A fragment of HTML that is already safe to insert. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape `& < > " '`; nothing else. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Replace hidden characters (and CR) with their `\u{…}` label as plain text, then escape. */
export function escapeVisible(text: string): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const wide = cp > 0xffff;
    if (cp === 0x0d || classifyCodePoint(cp)) {
      out += escapeHtml(text.slice(runStart, i)) + escapeHtml(codePointLabel(cp));
      runStart = i + (wide ? 2 : 1);
    }
    if (wide) i++;
  }
  return out + escapeHtml(text.slice(runStart));
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return escapeHtml(String(value));
  return escapeVisible(value as string);
}

/** Tagged template: literal parts are trusted markup, every `${value}` is escaped (see the header). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  // An invalid escape in a tagged template (say a literal "\u{…}") cooks to undefined: fail loudly.
  if ((strings as readonly (string | undefined)[]).includes(undefined)) throw new Error('html``: invalid escape');
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Join fragments with a separator (itself escaped unless Html). */
export function join(parts: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  return new Html(parts.map(render).join(render(separator)));
}

/** A URL path with query parameters, every part percent-encoded (for href and action attributes). */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
