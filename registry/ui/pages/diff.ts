// Compare two versions of a server field by field: what a curator reviews before approving an update.

import type { ManifestDiff } from '../../../core/manifest/manifest-diff.ts';
import type { VersionRecord } from '../../../core/registry/records.ts';
import { type Html, href, html } from '../html.ts';
import { text } from '../text.ts';
import { digest, statusBadge } from '../views/common.ts';
import { diffView } from '../views/diff.ts';
import { compareForm } from './server.ts';

export interface DiffData {
  versions: VersionRecord[];
  from: VersionRecord;
  to: VersionRecord;
  diff: ManifestDiff;
}

function side(label: string, v: VersionRecord): Html {
  return html`<div class="side"><span class="muted">${label}</span>
  <a href="${href('/ui/server', { name: v.name, version: v.version })}">${v.version}</a> ${statusBadge(v.status)}<br>${digest(v.manifestDigest)}</div>`;
}

export function diffContent(data: DiffData): Html {
  const { from, to } = data;
  return html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/ui/">Servers</a> › <a href="${href('/ui/server', { name: to.name })}">${text(to.name)}</a> › <span>compare</span></nav>
<h1>Compare <span class="server-name">${text(to.name)}</span> ${from.version} → ${to.version}</h1>
${compareForm(to.name, data.versions, from.version, to.version)}
<div class="sides">${side('from', from)}${side('to', to)}</div>
${diffView(data.diff)}`;
}
