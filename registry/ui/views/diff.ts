// A field-by-field diff between two manifests of one server (core/manifest/manifest-diff.ts), as a curator
// reviews it: server.json fields, the package and every dependency that moved, the protocol version, the
// instructions, and per kind the items added (full definition), removed, and changed (path, before,
// after). Values are rendered as JSON with hidden characters as chips; a change that brings new hidden
// characters is flagged.

import type { ManifestDiff } from '../../../core/manifest/manifest-diff.ts';
import type { FieldChange } from '../../../core/surface/field-diff.ts';
import { SURFACE_KINDS } from '../../../core/surface/pin.ts';
import { type Html, html } from '../html.ts';
import { hiddenIn, hiddenWarning, json, text } from '../text.ts';
import { code, digest, heading, type Placement, plural, TOP } from './common.ts';
import { permissionsDiffSection } from './permissions.ts';
import { itemView, KIND_TITLE } from './surface.ts';

function value(v: unknown): Html {
  return v === undefined ? html`<span class="muted">—</span>` : html`<pre class="json">${json(v)}</pre>`;
}

/** Rows of field changes; `root` names what `$` stands for (server.packages[0].version rather than $.packages…). */
function fieldRows(changes: readonly FieldChange[], root = '$'): Html {
  return html`<div class="table-wrap"><table class="fields">
  <thead><tr><th scope="col">Field</th><th scope="col">Change</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
  <tbody>${changes.map((c) => {
    const newHidden = hiddenIn(c.after).total > hiddenIn(c.before).total;
    return html`<tr class="change-${c.type}${newHidden ? ' new-hidden' : ''}">
    <th scope="row"><code>${root}${c.path.slice(1)}</code>${newHidden ? html`<br>${hiddenWarning(c.after)}` : ''}</th>
    <td>${c.type}</td><td class="before">${value(c.before)}</td><td class="after">${value(c.after)}</td></tr>`;
  })}</tbody>
</table></div>`;
}

/** How many things changed, for headings and the queue. */
export function diffSize(diff: ManifestDiff): number {
  let n = diff.server.length + diff.instructions.length + (diff.protocolVersion ? 1 : 0);
  n += diff.package.added.length + diff.package.removed.length + diff.package.changed.length;
  const p = diff.package;
  if (p.from?.integrity !== p.to?.integrity || p.from?.version !== p.to?.version) n++;
  for (const k of SURFACE_KINDS) {
    const d = diff.surface[k];
    n += d.added.length + d.removed.length + d.changed.length;
  }
  return n + diff.permissions.widened.length + diff.permissions.narrowed.length;
}

function packageSection(diff: ManifestDiff, at: Placement): Html {
  const p = diff.package;
  const moved = p.from?.integrity !== p.to?.integrity || p.from?.version !== p.to?.version;
  const treeChanges = p.added.length + p.removed.length + p.changed.length;
  if (!moved && treeChanges === 0) return html``;
  const side = (s: ManifestDiff['package']['from']) =>
    s ? html`${code(`${s.identifier}@${s.version}`)}<br>${digest(s.integrity)}` : html`<span class="muted">none</span>`;
  return html`<section class="diff-part" aria-labelledby="${at.id}d-pkg">${heading(at.level, `${at.id}d-pkg`, 'Package and dependencies')}
  ${
    moved
      ? html`<div class="table-wrap"><table class="fields"><thead><tr><th scope="col">Before</th><th scope="col">After</th></tr></thead>
    <tbody><tr><td class="before">${side(p.from)}</td><td class="after">${side(p.to)}</td></tr></tbody></table></div>`
      : ''
  }
  ${
    treeChanges > 0
      ? html`<ul class="tree-changes">
    ${p.added.map((n) => html`<li class="change-added">added <code>${n.location}</code> ${n.version}</li>`)}
    ${p.removed.map((n) => html`<li class="change-removed">removed <code>${n.location}</code> ${n.version}</li>`)}
    ${p.changed.map((c) => html`<li class="change-changed">changed <code>${c.location}</code> ${c.from} → ${c.to}</li>`)}
  </ul>`
      : ''
  }
</section>`;
}

export function diffView(diff: ManifestDiff, at: Placement = TOP): Html {
  const part = (key: string, title: string) =>
    html`aria-labelledby="${at.id}d-${key}">${heading(at.level, `${at.id}d-${key}`, title)}`;
  const size = diffSize(diff);
  if (size === 0)
    return html`<p class="no-changes">No differences: both versions pin the same server, package and surface.</p>`;
  return html`<div class="diff">
<p class="diff-summary">${plural(size, 'difference')}. Hidden characters are shown as highlighted <mark class="hc">\\u{…}</mark> chips.</p>
${
  diff.server.length > 0
    ? html`<section class="diff-part" ${part('server', 'server.json')}${fieldRows(diff.server, 'server')}</section>`
    : ''
}
${permissionsDiffSection(diff.permissions, at)}
${packageSection(diff, at)}
${
  diff.protocolVersion
    ? html`<section class="diff-part" ${part('proto', 'Protocol version')}
  <p>${code(diff.protocolVersion.from)} → ${code(diff.protocolVersion.to)}</p></section>`
    : ''
}
${
  diff.instructions.length > 0
    ? html`<section class="diff-part" ${part('instr', 'Instructions')}${fieldRows(diff.instructions, 'instructions')}</section>`
    : ''
}
${SURFACE_KINDS.map((kind) => {
  const d = diff.surface[kind];
  if (d.added.length + d.removed.length + d.changed.length === 0) return '';
  const [one, many] = KIND_TITLE[kind];
  return html`<section class="diff-part" ${part(kind, `${many[0]!.toUpperCase()}${many.slice(1)}`)}
  ${d.changed.map(
    (c) => html`<article class="item change-changed" data-kind="${kind}" data-key="${c.key}">
    ${heading(at.level + 1, '', html`changed ${one} <code class="item-key">${text(c.key)}</code>`)}${fieldRows(c.changes)}</article>`,
  )}
  ${d.added.map((item) => html`<div class="change-added"><p class="change-label">added ${one}</p>${itemView(kind, item, true, at.level + 1)}</div>`)}
  ${d.removed.map((item) => html`<div class="change-removed"><p class="change-label">removed ${one}</p>${itemView(kind, item, false, at.level + 1)}</div>`)}
</section>`;
})}
</div>`;
}
