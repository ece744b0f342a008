// One server: its versions (with status and why), a form to compare two of them, and the selected
// version in full: provenance (manifest digest, publisher signer and fingerprint, curator approval),
// how to add it, its package, and what the model will see: compact by default (one line per item, the tree
// as a count; views/compact.ts), each full detail one click away and loaded on demand (pages/detail.ts).

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import type { SignerRecord, VersionRecord } from '../../../core/registry/records.ts';
import { type Html, href, html } from '../html.ts';
import { hiddenWarning, text } from '../text.ts';
import { dateTime, digest, facts, statusBadge } from '../views/common.ts';
import { compactPackage, compactSurface, sectionNav } from '../views/compact.ts';
import { curateForm } from '../views/curate.ts';
import { environmentView } from '../views/environment.ts';
import { findingsView, type LintFinding } from '../views/findings.ts';
import { installView } from '../views/install.ts';
import { permissionsView } from '../views/permissions.ts';
import { readmeView } from '../views/readme.ts';
import { approvalFacts, signerFacts } from '../views/signer.ts';
import { surfaceCounts } from '../views/surface.ts';
import { versionsTable } from '../views/versions.ts';

export interface ServerData {
  registry: string;
  versions: VersionRecord[];
  selected: VersionRecord;
  manifest: McpLockManifest;
  signers: readonly SignerRecord[];
  findings: LintFinding[] | null;
  /** The reader is a curator or admin: show the actions this version's status allows. */
  curator?: boolean;
}

/** Two selects (from, to) over the visible versions, submitting to the diff page. */
export function compareForm(name: string, versions: readonly VersionRecord[], from: string, to: string): Html {
  const options = (chosen: string) =>
    versions.map(
      (v) =>
        html`<option value="${v.version}"${v.version === chosen ? html` selected` : ''}>${v.version} (${v.status})</option>`,
    );
  return html`<form class="compare" method="get" action="/ui/diff">
  <input type="hidden" name="name" value="${name}">
  <label for="cmp-from">From</label> <select id="cmp-from" name="from">${options(from)}</select>
  <label for="cmp-to">to</label> <select id="cmp-to" name="to">${options(to)}</select>
  <button type="submit">Compare</button>
</form>`;
}

export function serverContent(data: ServerData): Html {
  const { selected: v, manifest, versions } = data;
  const server = v.server;
  const older = versions[versions.indexOf(v) + 1] ?? versions.find((x) => x.version !== v.version);
  const bundle = (role: string) =>
    `/mcp-lock/v1/servers/${encodeURIComponent(v.name)}/versions/${encodeURIComponent(v.version)}/bundles/${role}`;
  return html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/ui/">Servers</a> › <span>${text(v.name)}</span></nav>
<h1><span class="server-name">${text(v.name)}</span>${server.title ? html` <span class="title">${text(server.title)}</span>` : ''}</h1>
${hiddenWarning([server.title ?? '', server.description])}
<p class="description lead">${text(server.description, { multiline: true })}</p>

<section aria-labelledby="versions-h"><h2 id="versions-h">Versions</h2>
${versionsTable(versions, v.version)}
${versions.length > 1 ? compareForm(v.name, versions, older?.version ?? v.version, v.version) : ''}
</section>

<section class="version" aria-labelledby="version-h" data-version="${v.version}">
<h2 id="version-h">Version ${v.version} ${statusBadge(v.status)}</h2>
${data.curator ? html`<section class="curation" aria-labelledby="curate-h"><h3 id="curate-h">Curate this version</h3>${curateForm(v)}<p id="curate-result" class="muted" role="status"></p></section>` : ''}
${v.statusReason ? html`<p class="status-reason"><strong>Reason:</strong> <span class="reason">${text(v.statusReason)}</span> <span class="muted">(${dateTime(v.statusChangedAt)})</span></p>` : ''}
<p class="muted">${surfaceCounts(manifest)}.</p>
${sectionNav(manifest, [
  ...(manifest.readme ? ([['readme-h', 'Readme']] as [string, string][]) : []),
  ['prov-h', 'Provenance'],
  ['add-h', 'Add it'],
  ['lint-h', 'Lint'],
  ...(manifest.package
    ? ([
        ['perm-h', 'Permissions'],
        ['env-h', 'Environment'],
      ] as [string, string][])
    : []),
])}
${readmeView(manifest, 3)}
<div class="columns">
<section aria-labelledby="prov-h"><h3 id="prov-h">Provenance</h3>
${facts([
  ['Manifest digest', digest(v.manifestDigest)],
  ['Published', dateTime(v.publishedAt)],
  [
    'Signatures',
    html`<a href="${bundle('publisher')}">publisher bundle</a>${v.approval ? html` · <a href="${bundle('approval')}">approval bundle</a>` : ''} · <a href="${`/mcp-lock/v1/servers/${encodeURIComponent(v.name)}/versions/${encodeURIComponent(v.version)}/manifest`}">manifest</a>`,
  ],
])}
${signerFacts(v.signer, data.signers)}
<h4>Curator approval</h4>
${approvalFacts(v.approval)}
</section>
${installView(data.registry, v, manifest, data.signers)}
</div>
<section class="lint" aria-labelledby="lint-h"><h3 id="lint-h">Lint findings at publish</h3>${findingsView(data.findings)}</section>
${permissionsView(manifest, { id: '', level: 3 })}
${environmentView(manifest, { id: '', level: 3 })}
${compactPackage(v, manifest, 3)}
${compactSurface(v, manifest, 3)}
</section>`;
}

export function serverNotFound(name: string, version?: string): Html {
  return html`<h1>${text(name)}${version ? html`@${text(version)}` : ''}</h1>
<p class="empty">${version ? 'This version is not public (or does not exist).' : 'No approved version of this server is public.'} Curators and publishers who are logged in see pending and rejected versions here.</p>
<p><a href="${href('/ui/', { q: name })}">Search for it</a></p>`;
}
