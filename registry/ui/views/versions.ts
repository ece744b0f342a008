// The versions of one server the viewer may see, newest first: status and why, when it was published and
// approved, and links to each version's page and to its diff against the version before it.

import type { VersionRecord } from '../../../core/registry/records.ts';
import { type Html, href, html } from '../html.ts';
import { text } from '../text.ts';
import { dateTime, statusBadge } from './common.ts';

export function versionsTable(versions: readonly VersionRecord[], selected: string | null): Html {
  return html`<div class="table-wrap"><table class="versions">
  <caption>Versions (newest first)</caption>
  <thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Published</th><th scope="col">Approved</th><th scope="col">Diff</th></tr></thead>
  <tbody>${versions.map((v, i) => {
    const older = versions[i + 1];
    const current = v.version === selected;
    return html`<tr${current ? html` class="current"` : ''} data-version="${v.version}">
    <th scope="row"><a href="${href('/ui/server', { name: v.name, version: v.version })}"${current ? html` aria-current="page"` : ''}>${v.version}</a>${v.isLatest ? html` <span class="latest">latest</span>` : ''}</th>
    <td>${statusBadge(v.status)}</td>
    <td class="reason">${v.statusReason ? text(v.statusReason) : ''}</td>
    <td>${dateTime(v.publishedAt)}</td>
    <td>${v.approval ? html`${text(v.approval.curator)}, ${dateTime(v.approval.approvedAt)}` : html`<span class="muted">—</span>`}</td>
    <td>${older ? html`<a href="${href('/ui/diff', { name: v.name, from: older.version, to: v.version })}">vs ${older.version}</a>` : ''}</td>
  </tr>`;
  })}</tbody>
</table></div>`;
}
