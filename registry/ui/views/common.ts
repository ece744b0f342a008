// Small pieces every page uses: status badges, dates, digests, copyable blocks, key/value lists.

import type { VersionStatus } from '../../../core/registry/status.ts';
import { Html, type HtmlValue, html } from '../html.ts';

const STATUS_TEXT: Record<VersionStatus, string> = {
  pending: 'pending review',
  approved: 'approved',
  rejected: 'rejected',
  deprecated: 'deprecated',
  yanked: 'yanked',
};

/** A status as text and colour (the text alone carries the meaning). */
export function statusBadge(status: VersionStatus): Html {
  return html`<span class="status status-${status}">${STATUS_TEXT[status]}</span>`;
}

/** `2025-08-07 13:15 UTC` in a <time> element. */
export function dateTime(iso: string): Html {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`<span>${iso}</span>`;
  const shown = `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return html`<time datetime="${d.toISOString()}">${shown}</time>`;
}

export function code(value: string, cls = ''): Html {
  return html`<code class="${cls}">${value}</code>`;
}

/** A digest or fingerprint, monospace and breakable. */
export function digest(value: string): Html {
  return code(value, 'digest');
}

let copyIds = 0;

/** A <pre> with a button that copies its text (ui.js); works as plain selectable text without script. */
export function copyBlock(label: string, content: HtmlValue, idPrefix: string): Html {
  copyIds = (copyIds + 1) % 1_000_000;
  const id = `${idPrefix}-${copyIds}`;
  return html`<div class="copy-block">
  <div class="copy-head"><span id="${id}-label">${label}</span>
  <button type="button" class="copy" data-copy="${id}" aria-describedby="${id}-label">Copy</button></div>
  <pre id="${id}" class="copyable" tabindex="0" aria-labelledby="${id}-label">${content}</pre>
</div>`;
}

/** A definition list from label/value pairs (values already safe). */
export function facts(rows: readonly [string, HtmlValue][], cls = 'facts'): Html {
  return html`<dl class="${cls}">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const EMPTY = new Html('');

/** Where a shared view sits in a page: a prefix that keeps its element ids unique, and its heading level. */
export interface Placement {
  id: string;
  level: number;
}

export const TOP: Placement = { id: '', level: 2 };

/** `<hN id>` with N clamped to 1..6 (views are nested at different depths on different pages). */
export function heading(level: number, id: string, content: HtmlValue): Html {
  const n = Math.min(6, Math.max(1, Math.trunc(level)));
  return html`${new Html(`<h${n}`)}${id ? html` id="${id}"` : ''}>${content}${new Html(`</h${n}>`)}`;
}
