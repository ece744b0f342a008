// The front page, a catalogue: approved (and deprecated) servers, each with its latest listed version,
// searchable by name, title and description, filtered by status, transport, signer kind, category and
// tag, sorted by name or recency, and paged by a keyset cursor. One plain GET form drives it all without
// scripts; ui.js only debounces typing and swaps #results for /ui/fragments/browse with the same query.

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import {
  CATALOGUE_SORTS,
  CATALOGUE_STATUSES,
  CATALOGUE_TRANSPORTS,
  type CatalogueQuery,
  catalogMetaOf,
  SIGNER_KINDS,
} from '../../../core/registry/catalogue.ts';
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
  search: string;
  query: CatalogueQuery;
  /** Servers per page, when the reader chose it (?limit=). */
  limit?: number;
  rows: BrowseRow[];
  matched: number;
  /** The registry holds more servers than one catalogue scan reads (the rest are not offered). */
  truncated: boolean;
  facets: { categories: [string, number][]; tags: [string, number][] };
  nextCursor?: string;
}

const SORT_TEXT: Record<(typeof CATALOGUE_SORTS)[number], string> = {
  name: 'Name',
  updated: 'Recently updated',
  approved: 'Recently approved',
};

/** The query string of this catalogue view (empty values left out), optionally changed. */
export function browseParams(
  data: Pick<BrowseData, 'search' | 'query' | 'limit'>,
  change: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const q = data.query;
  const base: Record<string, string | undefined> = {
    q: data.search || undefined,
    limit: data.limit === undefined ? undefined : String(data.limit),
    sort: q.sort === 'name' ? undefined : q.sort,
    status: q.status,
    transport: q.transport,
    signer: q.signer,
    category: q.category,
    tag: q.tag,
  };
  return { ...base, ...change };
}

function chips(record: VersionRecord, data: BrowseData): Html {
  const { categories, tags } = catalogMetaOf(record);
  if (categories.length + tags.length === 0) return html``;
  const link = (key: 'category' | 'tag', value: string) =>
    html`<li><a class="chip chip-${key}" href="${href('/ui/', browseParams(data, { [key]: value, cursor: undefined }))}">${key === 'category' ? 'in ' : '#'}${text(value)}</a></li>`;
  return html`<ul class="chips" aria-label="Categories and tags">${categories.map((c) => link('category', c))}${tags.map((t) => link('tag', t))}</ul>`;
}

function row(data: BrowseData, { record, manifest, signers }: BrowseRow): Html {
  const server = record.server;
  const tools = manifest.surface.tools.length;
  return html`<li class="server-card" data-name="${record.name}">
  <h2><a href="${href('/ui/server', { name: record.name })}">${text(record.name)}</a>${server.title ? html` <span class="title">${text(server.title)}</span>` : ''}</h2>
  ${hiddenWarning([server.title ?? '', server.description])}
  <p class="description">${text(server.description, { multiline: true })}</p>
  ${chips(record, data)}
  <dl class="card-facts">
    <div><dt>Latest</dt><dd><span class="version">${record.version}</span> ${statusBadge(record.status)}${record.status === 'deprecated' && record.statusReason ? html` <span class="reason">${text(record.statusReason)}</span>` : ''}</dd></div>
    <div><dt>Publisher</dt><dd>${publisherLine(record.signer, signers)}</dd></div>
    <div><dt>Approved</dt><dd>${record.approval ? html`by ${text(record.approval.curator)}, ${dateTime(record.approval.approvedAt)}` : html`<span class="muted">no</span>`}</dd></div>
    <div><dt>Updated</dt><dd>${dateTime(record.updatedAt)}</dd></div>
    <div><dt>Surface</dt><dd><span class="tool-count" data-tools="${tools}">${surfaceCounts(manifest)}</span></dd></div>
  </dl>
</li>`;
}

function select(
  id: string,
  label: string,
  chosen: string | undefined,
  options: readonly (readonly [string, string])[],
  any = 'Any',
): Html {
  return html`<div class="field"><label for="${id}">${label}</label>
  <select id="${id}" name="${id.slice(2)}">${any ? html`<option value="">${any}</option>` : ''}${options.map(
    ([value, shown]) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${shown}</option>`,
  )}</select></div>`;
}

/** The filter form: a plain GET to /ui/ (works without scripts); ui.js submits it as you type. */
function filterForm(data: BrowseData): Html {
  const q = data.query;
  const withCounts = (list: [string, number][], chosen: string | undefined) => {
    const options = list.map(([v, n]) => [v, `${v} (${n})`] as const);
    // A value from a link that no server on this registry carries stays selectable (and shown as chosen).
    return chosen && !list.some(([v]) => v === chosen) ? [...options, [chosen, chosen] as const] : options;
  };
  const filtered = data.search || q.status || q.transport || q.signer || q.category || q.tag || q.sort !== 'name';
  return html`<form class="search catalogue" role="search" method="get" action="/ui/" data-live>
  <div class="field field-q"><label for="q">Search by name, title or description</label>
  <input id="q" name="q" type="search" maxlength="200" value="${data.search}" autocomplete="off" aria-controls="results"></div>
  ${select(
    'f-sort',
    'Sort by',
    // Name is the default: its value is empty, so a submitted form leaves it out like the other "any"s.
    q.sort === 'name' ? '' : q.sort,
    CATALOGUE_SORTS.map((s) => [s === 'name' ? '' : s, SORT_TEXT[s]] as const),
    '',
  )}
  ${select(
    'f-status',
    'Status',
    q.status,
    CATALOGUE_STATUSES.map((s) => [s, s] as const),
  )}
  ${select(
    'f-transport',
    'Transport',
    q.transport,
    CATALOGUE_TRANSPORTS.map((s) => [s, s] as const),
  )}
  ${select(
    'f-signer',
    'Signed with',
    q.signer,
    SIGNER_KINDS.map((s) => [s, s === 'key' ? 'a registered key' : 'keyless (Sigstore)'] as const),
  )}
  ${select('f-category', 'Category', q.category, withCounts(data.facets.categories, q.category))}
  ${select('f-tag', 'Tag', q.tag, withCounts(data.facets.tags, q.tag))}
  ${data.limit !== undefined ? html`<input type="hidden" name="limit" value="${String(data.limit)}">` : ''}
  <div class="field field-actions"><button type="submit">Search</button>${filtered ? html` <a href="/ui/">Clear</a>` : ''}</div>
</form>`;
}

/** The results alone: what /ui/fragments/browse answers and ui.js swaps in. */
export function browseResults(data: BrowseData): Html {
  const any =
    data.search ||
    data.query.status ||
    data.query.transport ||
    data.query.signer ||
    data.query.category ||
    data.query.tag;
  const next = data.nextCursor
    ? html`<p><a rel="next" href="${href('/ui/', browseParams(data, { cursor: data.nextCursor }))}">Next page</a></p>`
    : '';
  const first = data.query.after ? html`<p><a href="${href('/ui/', browseParams(data))}">First page</a></p>` : '';
  return html`<div id="results" class="results" aria-live="polite" aria-busy="false">
${
  data.rows.length === 0
    ? html`<p class="empty">${any ? 'No approved server matches.' : 'No server has been approved yet.'}</p>`
    : html`<p class="muted result-count">${plural(data.matched, 'server')} ${any ? 'match' : 'listed'}${data.matched > data.rows.length ? html`, ${data.rows.length} on this page` : ''}, sorted by ${SORT_TEXT[data.query.sort].toLowerCase()}. Only curator-approved (and deprecated) versions are listed.</p>
${data.truncated ? html`<p class="notice">This registry holds more servers than one catalogue page reads; search to narrow them down.</p>` : ''}
<ul class="servers">${data.rows.map((r) => row(data, r))}</ul>`
}
${first}${next}
</div>`;
}

export function browseContent(data: BrowseData): Html {
  const heading = data.search ? html`Servers matching “${text(data.search)}”` : html`Approved servers`;
  return html`<h1>${heading}</h1>
${filterForm(data)}
${browseResults(data)}`;
}
