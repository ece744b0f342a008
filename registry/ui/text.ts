// Untrusted text made visible in HTML: every hidden, control, bidi, tag and invisible character becomes a
// highlighted `\u{…}` chip (a <mark> with its class in the title), runs of Unicode tag characters are also
// decoded ("ASCII smuggling" shown as the text it spells), and JSON definitions are pretty-printed with the
// same chips inside their strings. The raw characters never reach the DOM, so nothing renders silently
// and no bidi control can reorder what a curator reads.

import { classifyCodePoint, codePointLabel, type HiddenClass } from '../../core/text/hidden-chars.ts';
import { escapeHtml, Html } from './html.ts';

const CLASS_LABEL: Record<HiddenClass, string> = {
  control: 'control character',
  'c1-control': 'C1 control character',
  escape: 'escape (starts an ANSI sequence)',
  bidi: 'bidirectional control',
  'zero-width': 'zero-width character',
  tag: 'Unicode tag character',
  'variation-selector': 'variation selector',
  invisible: 'invisible character',
  'line-separator': 'line/paragraph separator',
  'private-use': 'private-use character',
  'lone-surrogate': 'lone surrogate',
};

function chip(cp: number, cls: HiddenClass | 'carriage-return'): string {
  const label = cls === 'carriage-return' ? 'carriage return' : CLASS_LABEL[cls];
  return `<mark class="hc" data-hidden="${cls}" title="hidden: ${escapeHtml(label)}">${escapeHtml(codePointLabel(cp))}</mark>`;
}

/** Printable ASCII a tag character stands for (U+E0020..U+E007E), or null. */
function tagAscii(cp: number): string | null {
  return cp >= 0xe0020 && cp <= 0xe007e ? String.fromCharCode(cp - 0xe0000) : null;
}

export interface TextOptions {
  /** Keep newlines and tabs (descriptions); otherwise show them as \n and \t (JSON strings, one-liners). */
  multiline?: boolean;
}

/** Escape `text` and turn every hidden character into a visible chip. */
export function text(value: string, options: TextOptions = {}): Html {
  let out = '';
  let runStart = 0;
  let tagRun = '';
  const flushTags = () => {
    if (tagRun.length > 0) {
      out += `<span class="hc-decoded" title="what the tag characters spell">[hidden text: “${escapeHtml(tagRun)}”]</span>`;
      tagRun = '';
    }
  };
  for (let i = 0; i < value.length; i++) {
    const cp = value.codePointAt(i)!;
    const wide = cp > 0xffff;
    const cls = classifyCodePoint(cp);
    let replacement: string | null = null;
    if (cls) replacement = chip(cp, cls);
    else if (cp === 0x0d) replacement = chip(cp, 'carriage-return');
    else if (!options.multiline && cp === 0x0a) replacement = '<span class="esc">\\n</span>';
    else if (!options.multiline && cp === 0x09) replacement = '<span class="esc">\\t</span>';
    if (replacement !== null) {
      // The decoded note follows the last chip of a tag run, before whatever comes next.
      if (runStart < i) flushTags();
      out += escapeHtml(value.slice(runStart, i));
      const ascii = cls === 'tag' ? tagAscii(cp) : null;
      if (ascii === null) flushTags();
      out += replacement;
      if (ascii !== null) tagRun += ascii;
      runStart = i + (wide ? 2 : 1);
    }
    if (wide) i++;
  }
  if (runStart < value.length) flushTags();
  out += escapeHtml(value.slice(runStart));
  flushTags();
  return new Html(out);
}

/** A JSON value pretty-printed as HTML (2 spaces), strings escaped JSON-style with hidden characters as chips. */
export function json(value: unknown, indent = 0): Html {
  return new Html(renderJson(value, indent));
}

function jsonString(value: string, cls: string): string {
  // Quotes and backslashes as JSON writes them; everything else through text() (newlines as \n).
  const body = text(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).value;
  return `<span class="${cls}">"${body}"</span>`;
}

function renderJson(value: unknown, indent: number): string {
  const pad = '  '.repeat(indent + 1);
  const end = '  '.repeat(indent);
  if (value === null) return '<span class="j-l">null</span>';
  if (typeof value === 'string') return jsonString(value, 'j-s');
  if (typeof value === 'number' || typeof value === 'boolean') return `<span class="j-l">${String(value)}</span>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + renderJson(v, indent + 1)).join(',\n')}\n${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${pad}${jsonString(k, 'j-k')}: ${renderJson(v, indent + 1)}`);
    return `{\n${lines.join(',\n')}\n${end}}`;
  }
  return '<span class="j-l">null</span>';
}

export interface HiddenSummary {
  total: number;
  byClass: Partial<Record<HiddenClass, number>>;
}

/** Count the hidden characters in every string (keys included) of a JSON value. */
export function hiddenIn(value: unknown, summary: HiddenSummary = { total: 0, byClass: {} }): HiddenSummary {
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) {
      const cp = value.codePointAt(i)!;
      const cls = classifyCodePoint(cp);
      if (cls) {
        summary.total++;
        summary.byClass[cls] = (summary.byClass[cls] ?? 0) + 1;
      }
      if (cp > 0xffff) i++;
    }
  } else if (Array.isArray(value)) {
    for (const v of value) hiddenIn(v, summary);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      hiddenIn(k, summary);
      hiddenIn(v, summary);
    }
  }
  return summary;
}

/** A warning badge when a value holds hidden characters, or nothing. */
export function hiddenWarning(value: unknown): Html {
  const s = hiddenIn(value);
  if (s.total === 0) return new Html('');
  const parts = Object.entries(s.byClass).map(([cls, n]) => `${n} ${escapeHtml(CLASS_LABEL[cls as HiddenClass])}`);
  const noun = s.total === 1 ? 'hidden character' : 'hidden characters';
  return new Html(`<strong class="warn hidden-warning" role="note">⚠ ${s.total} ${noun}: ${parts.join(', ')}</strong>`);
}
