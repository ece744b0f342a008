// The server page's compact sections: a table of contents (in-page links, so it works without scripts),
// each surface kind as one line per item (its key, the start of its description, any hidden-character
// warning), and the dependency tree as a count. The full detail of an item or of the tree is one click
// away: a <details> whose body ui.js fetches from /ui/fragments/detail when it is opened, holding a plain
// link to the same detail as a page (/ui/detail) for readers without scripts.

import type { McpLockManifest, SurfaceItem } from '../../../core/generated/manifest.ts';
import type { VersionRecord } from '../../../core/registry/records.ts';
import { SURFACE_KINDS, type SurfaceKind } from '../../../core/surface/pin.ts';
import { type Html, href, html } from '../html.ts';
import { hiddenWarning, text } from '../text.ts';
import { code, digest, facts, heading, plural } from './common.ts';
import { KIND_TITLE } from './surface.ts';

/** What a detail route shows: one surface item (kind + key) or the whole dependency tree. */
export type DetailPart = SurfaceKind | 'tree';

export const DETAIL_PARTS: readonly DetailPart[] = [...SURFACE_KINDS, 'tree'];

export function detailQuery(v: Pick<VersionRecord, 'name' | 'version'>, part: DetailPart, key?: string) {
  return { name: v.name, version: v.version, part, ...(key !== undefined ? { key } : {}) };
}

/** A <details> whose body is loaded on demand; without scripts it holds a link to the detail page. */
export function lazyDetails(summary: Html | string, query: Record<string, string>, linkText: string): Html {
  return html`<details class="lazy" data-src="${href('/ui/fragments/detail', query)}">
  <summary>${summary}</summary>
  <div class="lazy-body"><p><a href="${href('/ui/detail', query)}">${linkText}</a></p></div>
</details>`;
}

const SUMMARY_MAX = 160;

/** The first line of a description, at most SUMMARY_MAX characters (the full text is in the detail). */
function firstLine(item: SurfaceItem): string | null {
  const d = item.definition.description;
  if (typeof d !== 'string' || d.trim() === '') return null;
  // By code point: slicing UTF-16 units could split a surrogate pair (tag characters are astral).
  const points = [...d.trim().split('\n', 1)[0]!];
  return points.length > SUMMARY_MAX ? `${points.slice(0, SUMMARY_MAX).join('')}…` : points.join('');
}

function itemLine(v: VersionRecord, kind: SurfaceKind, item: SurfaceItem): Html {
  const summary = firstLine(item);
  return html`<li class="item-line" data-kind="${kind}" data-key="${item.key}">
  <code class="item-key">${text(item.key)}</code>${summary ? html` <span class="item-summary">${text(summary)}</span>` : ''}
  ${hiddenWarning(item.definition)}
  ${lazyDetails(html`Full definition <span class="muted">(${item.digest.slice(0, 19)}…)</span>`, detailQuery(v, kind, item.key), `Open the full definition of ${item.key}`)}
</li>`;
}

/** In-page links to every section of the selected version (a compact "tab" row that needs no script). */
export function sectionNav(manifest: McpLockManifest, extra: readonly [string, string][]): Html {
  const kinds = SURFACE_KINDS.filter((k) => manifest.surface[k].length > 0 || k === 'tools').map(
    (k) =>
      [
        `sec-${k}`,
        `${KIND_TITLE[k][1][0]!.toUpperCase()}${KIND_TITLE[k][1].slice(1)} (${manifest.surface[k].length})`,
      ] as const,
  );
  const links = [
    ...extra,
    ...kinds,
    ...(manifest.package ? [['sec-deps', `Dependencies (${manifest.package.tree.length})`] as const] : []),
  ];
  return html`<nav class="sections" aria-label="Sections of this version"><ul>${links.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ul></nav>`;
}

/** The instructions in full (the model reads them first), then each kind as one line per item. */
export function compactSurface(v: VersionRecord, manifest: McpLockManifest, level: number): Html {
  const s = manifest.surface;
  const instructions = s.instructions
    ? html`${hiddenWarning(s.instructions.text)}<pre class="instructions">${text(s.instructions.text, { multiline: true })}</pre>
      <p class="muted small">digest ${digest(s.instructions.digest)}</p>`
    : html`<p class="muted">The server sends no instructions.</p>`;
  return html`<section aria-labelledby="surface-h">${heading(level, 'surface-h', 'What the model sees')}
<p class="muted">Protocol ${s.protocolVersion}; pinned: ${s.coverage.kinds.join(', ')} (${s.coverage.canonicalization} ${s.coverage.digest} of the ${s.coverage.scope}). Each item shows the start of its description; open it for the full definition.</p>
<section aria-labelledby="sec-instructions">${heading(level + 1, 'sec-instructions', 'Instructions')}${instructions}</section>
${SURFACE_KINDS.filter((k) => s[k].length > 0 || k === 'tools').map((kind) => {
  const many = KIND_TITLE[kind][1];
  return html`<section aria-labelledby="sec-${kind}">${heading(level + 1, `sec-${kind}`, `${many[0]!.toUpperCase()}${many.slice(1)} (${s[kind].length})`)}
  ${s[kind].length === 0 ? html`<p class="muted">None.</p>` : html`<ul class="item-lines">${s[kind].map((item) => itemLine(v, kind, item))}</ul>`}
</section>`;
})}
</section>`;
}

/** The package's facts and the size of its tree; the tree itself is loaded on demand. */
export function compactPackage(v: VersionRecord, manifest: McpLockManifest, level: number): Html {
  const pkg = manifest.package;
  const remote = manifest.server.remotes?.[0];
  if (!pkg) {
    return html`<section aria-labelledby="sec-deps">${heading(level, 'sec-deps', 'Package')}
  ${remote ? html`<p>A remote server at ${code(remote.url)} (${remote.type}); no package is installed.</p>` : html`<p>No package.</p>`}</section>`;
  }
  const scripts = pkg.tree.filter((n) => n.hasInstallScript);
  const missing = pkg.tree.filter((n) => !n.integrity).length;
  return html`<section aria-labelledby="sec-deps">${heading(level, 'sec-deps', 'Package and dependencies')}
${facts([
  ['Package', html`${code(`${pkg.identifier}@${pkg.version}`)} (npm)`],
  ['Integrity', digest(pkg.integrity)],
  ['Binary', html`${code(pkg.bin.name)} → ${code(pkg.bin.path)}`],
  [
    'Tree',
    html`${plural(pkg.tree.length, 'package')}, tree digest ${digest(pkg.treeDigest)}${missing > 0 ? html`; <strong class="warn">${plural(missing, 'package')} without integrity</strong>` : ''}`,
  ],
  [
    'Install scripts',
    scripts.length > 0
      ? html`<strong class="warn">${plural(scripts.length, 'package')} declare install scripts (${scripts.slice(0, 5).map((n, i) => html`${i > 0 ? ', ' : ''}${text(n.name)}`)}${scripts.length > 5 ? ', …' : ''}); mcp-lock never runs them</strong>`
      : html`none declared (and never run)`,
  ],
])}
${lazyDetails(html`The whole tree (${plural(pkg.tree.length, 'package')}) with integrities, and server.json`, detailQuery(v, 'tree'), 'Open the whole dependency tree')}
</section>`;
}
