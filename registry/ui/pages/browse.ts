// The front page: approved servers (each with its latest approved version), searchable by name, title
// and description, with publisher identity, approval, and how many tools it exposes.

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import type { SignerRecord, VersionRecord } from '../../../core/registry/records.ts';
import { type Html, href, html } from '../html.ts';
import { hiddenWarning, text } from '../text.ts';
import { dateTime, plural, statusBadge } from '../views/common.ts';
import { publisherLine } from '../views/signer.ts';
import { surfaceCounts } from '../views/surface.ts';

export interface BrowseRow {
  record: VersionRecord;
  manifest: McpLockManifest;
  signers: readonly SignerRecord[];
}

export interface BrowseData {
  query: string;
  rows: BrowseRow[];
  nextCursor?: string;
}

function row({ record, manifest, signers }: BrowseRow): Html {
  const server = record.server;
  const tools = manifest.surface.tools.length;
  return html`<li class="server-card" data-name="${record.name}">
  <h2><a href="${href('/ui/server', { name: record.name })}">${text(record.name)}</a>${server.title ? html` <span class="title">${text(server.title)}</span>` : ''}</h2>
  ${hiddenWarning([server.title ?? '', server.description])}
  <p class="description">${text(server.description, { multiline: true })}</p>
  <dl class="card-facts">
    <div><dt>Latest</dt><dd><span class="version">${record.version}</span> ${statusBadge(record.status)}${record.status === 'deprecated' && record.statusReason ? html` <span class="reason">${text(record.statusReason)}</span>` : ''}</dd></div>
    <div><dt>Publisher</dt><dd>${publisherLine(record.signer, signers)}</dd></div>
    <div><dt>Approved</dt><dd>${record.approval ? html`by ${text(record.approval.curator)}, ${dateTime(record.approval.approvedAt)}` : html`<span class="muted">no</span>`}</dd></div>
    <div><dt>Surface</dt><dd><span class="tool-count" data-tools="${tools}">${surfaceCounts(manifest)}</span></dd></div>
  </dl>
</li>`;
}

export function browseContent(data: BrowseData): Html {
  const heading = data.query ? html`Servers matching “${text(data.query)}”` : html`Approved servers`;
  return html`<h1>${heading}</h1>
<form class="search" role="search" method="get" action="/ui/">
  <label for="q">Search by name, title or description</label>
  <input id="q" name="q" type="search" maxlength="200" value="${data.query}" autocomplete="off">
  <button type="submit">Search</button>
  ${data.query ? html`<a href="/ui/">Clear</a>` : ''}
</form>
${
  data.rows.length === 0
    ? html`<p class="empty">${data.query ? 'No approved server matches.' : 'No server has been approved yet.'}</p>`
    : html`<p class="muted">${plural(data.rows.length, 'server')} on this page. Only curator-approved (and deprecated) versions are listed.</p>
<ul class="servers">${data.rows.map(row)}</ul>`
}
${data.nextCursor ? html`<p><a rel="next" href="${href('/ui/', { q: data.query || undefined, cursor: data.nextCursor })}">Next page</a></p>` : ''}`;
}
