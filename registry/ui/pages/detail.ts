// One detail of a server version, loaded on demand from its page: a surface item's full wire definition
// with its digest, or the whole dependency tree with every integrity and the server.json as published.
// The same content is a fragment (ui.js puts it into the opened <details>) and a page (readers without
// scripts follow the link), so the server page itself stays small.

import { McpLockError } from '../../../core/errors.ts';
import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import type { VersionRecord } from '../../../core/registry/records.ts';
import { type Html, href, html } from '../html.ts';
import { text } from '../text.ts';
import type { DetailPart } from '../views/compact.ts';
import { packageView } from '../views/package.ts';
import { itemView } from '../views/surface.ts';

/** The detail itself (what the fragment answers); NOT_FOUND for an item the manifest does not have. */
export function detailFragment(manifest: McpLockManifest, part: DetailPart, key: string | undefined): Html {
  if (part === 'tree') return packageView(manifest, { id: 'detail-', level: 3 });
  const item = manifest.surface[part].find((i) => i.key === key);
  if (!item) {
    throw new McpLockError('NOT_FOUND', `this version has no ${part} item with that key`, {
      hint: 'Open the server page again and follow the link from the item.',
    });
  }
  return itemView(part, item, true, 3);
}

export function detailPage(v: VersionRecord, content: Html, part: DetailPart, key: string | undefined): Html {
  const what = part === 'tree' ? 'Dependency tree' : html`<code>${text(key ?? '')}</code>`;
  return html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/ui/">Servers</a> › <a href="${href('/ui/server', { name: v.name, version: v.version })}">${text(v.name)}@${v.version}</a> › <span>detail</span></nav>
<h1>${what} <span class="muted">of ${text(v.name)}@${v.version}</span></h1>
<div class="detail">${content}</div>`;
}
