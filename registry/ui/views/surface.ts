// Everything the server puts into a model's context, as pinned in the manifest: the instructions and every
// tool, prompt, resource and resource template with its full wire definition and its digest. Hidden
// characters show as chips, and an item that contains some carries a warning.

import type { McpLockManifest, SurfaceItem } from '../../../core/generated/manifest.ts';
import { SURFACE_KINDS, type SurfaceKind } from '../../../core/surface/pin.ts';
import { type Html, html } from '../html.ts';
import { hiddenWarning, json, text } from '../text.ts';
import { digest, heading, type Placement, plural, TOP } from './common.ts';

export const KIND_TITLE: Record<SurfaceKind, [string, string]> = {
  tools: ['tool', 'tools'],
  prompts: ['prompt', 'prompts'],
  resources: ['resource', 'resources'],
  resourceTemplates: ['resource template', 'resource templates'],
};

/** A definition's human description (tools, prompts, resources all use `description`). */
function describe(item: SurfaceItem): Html {
  const d = item.definition.description;
  return typeof d === 'string'
    ? html`<p class="description">${text(d, { multiline: true })}</p>`
    : html`<p class="muted">No description.</p>`;
}

export function itemView(kind: SurfaceKind, item: SurfaceItem, open = false, level = 4): Html {
  const title = typeof item.definition.title === 'string' ? item.definition.title : null;
  return html`<article class="item" data-kind="${kind}" data-key="${item.key}">
  ${heading(level, '', html`<code class="item-key">${text(item.key)}</code>${title ? html` <span class="muted">${text(title)}</span>` : ''}`)}
  ${hiddenWarning(item.definition)}
  ${describe(item)}
  <details${open ? html` open` : ''}><summary>Full definition <span class="muted">(${item.digest.slice(0, 19)}…)</span></summary>
    <p class="muted small">digest ${digest(item.digest)}</p>
    <pre class="json">${json(item.definition)}</pre>
  </details>
</article>`;
}

export function surfaceCounts(manifest: McpLockManifest): string {
  return SURFACE_KINDS.filter((k) => manifest.surface[k].length > 0 || k === 'tools')
    .map((k) => plural(manifest.surface[k].length, ...KIND_TITLE[k]))
    .join(', ');
}

export function surfaceView(manifest: McpLockManifest, at: Placement = TOP): Html {
  const s = manifest.surface;
  const instructions = s.instructions
    ? html`${hiddenWarning(s.instructions.text)}<pre class="instructions">${text(s.instructions.text, { multiline: true })}</pre>
      <p class="muted small">digest ${digest(s.instructions.digest)}</p>`
    : html`<p class="muted">The server sends no instructions.</p>`;
  return html`<section aria-labelledby="${at.id}surface-h">${heading(at.level, `${at.id}surface-h`, 'What the model sees')}
<p class="muted">Protocol ${s.protocolVersion}; pinned: ${s.coverage.kinds.join(', ')} (${s.coverage.canonicalization} ${s.coverage.digest} of the ${s.coverage.scope}).</p>
<section aria-labelledby="${at.id}instr-h">${heading(at.level + 1, `${at.id}instr-h`, 'Instructions')}${instructions}</section>
${SURFACE_KINDS.map((kind) => {
  const many = KIND_TITLE[kind][1];
  const items = s[kind];
  return html`<section aria-labelledby="${at.id}k-${kind}">${heading(at.level + 1, `${at.id}k-${kind}`, `${many[0]!.toUpperCase()}${many.slice(1)} (${items.length})`)}
  ${items.length === 0 ? html`<p class="muted">None.</p>` : items.map((item) => itemView(kind, item, false, at.level + 2))}
</section>`;
})}
</section>`;
}
