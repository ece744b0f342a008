// Lint findings (`mcp-lock scan`) the registry records when a version is published, shown to curators in
// the queue and to everyone on the server page. A record stored before the registry linted has none: that
// reads "not scanned", never "clean". Entries are read defensively (stored JSON), every field escaped.

import { type Html, html } from '../html.ts';
import { text } from '../text.ts';
import { plural } from './common.ts';

export interface LintFinding {
  rule: string;
  severity: string;
  item: string;
  path: string;
  message: string;
  excerpt: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** The findings recorded with a version, or null when it has none (stored before the registry linted). */
export function findingsOf(version: object): LintFinding[] | null {
  const raw = (version as { findings?: unknown }).findings;
  if (!Array.isArray(raw)) return null;
  return raw
    .filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null && !Array.isArray(f))
    .map((f) => ({
      rule: str(f.rule),
      severity: str(f.severity),
      item: str(f.item),
      path: str(f.path),
      message: str(f.message),
      excerpt: str(f.excerpt),
    }));
}

// The scan's scale (core/scan/severity.ts: info < low < medium < high < critical), worst first; unknown last.
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

export function findingsView(findings: LintFinding[] | null): Html {
  if (findings === null) {
    return html`<p class="muted findings-none">No lint findings are attached to this version (not scanned).</p>`;
  }
  if (findings.length === 0) return html`<p class="findings-clean">The lint found nothing.</p>`;
  const rank = (s: string) => (SEVERITY_ORDER.includes(s) ? SEVERITY_ORDER.indexOf(s) : SEVERITY_ORDER.length);
  const sorted = [...findings].sort(
    (a, b) => rank(a.severity) - rank(b.severity) || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0),
  );
  return html`<div class="table-wrap"><table class="findings">
  <caption>${plural(findings.length, 'lint finding')}, worst: <span class="severity">${text(sorted[0]!.severity)}</span></caption>
  <thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Finding</th></tr></thead>
  <tbody>${sorted.map(
    (f) => html`<tr class="sev-${/^[a-z]+$/.test(f.severity) ? f.severity : 'unknown'}">
    <td><span class="severity">${text(f.severity)}</span></td><td><code>${text(f.rule)}</code></td>
    <td>${text(f.item)}${f.path ? html`<br><code class="small">${text(f.path)}</code>` : ''}</td>
    <td>${text(f.message, { multiline: true })}${f.excerpt ? html`<pre class="excerpt">${text(f.excerpt, { multiline: true })}</pre>` : ''}</td></tr>`,
  )}</tbody>
</table></div>`;
}
