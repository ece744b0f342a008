// What a server may reach when `mcp-lock run` starts it in its sandbox, as the manifest declares it, and
// how that changed between two versions. A widening (a new path, a path made writable, a new host, the
// sandbox dropped) is what a curator must not miss, so it is marked, counted and worded as a warning.

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import type { PermissionChange, PermissionsDiff } from '../../../core/permissions/permissions.ts';
import { type Html, html } from '../html.ts';
import { text } from '../text.ts';
import { facts, heading, type Placement, plural, TOP } from './common.ts';

const list = (values: readonly string[] | undefined, none: string): Html =>
  values?.length
    ? html`<ul class="permission-list">${values.map((v) => html`<li><code>${text(v)}</code></li>`)}</ul>`
    : html`<span class="muted">${none}</span>`;

export function permissionsView(manifest: McpLockManifest, at: Placement = TOP): Html {
  const id = `${at.id}perm-h`;
  const p = manifest.permissions;
  if (!manifest.package) return html``;
  if (!p) {
    return html`<section class="permissions" aria-labelledby="${id}">${heading(at.level, id, 'Permissions')}
<p><strong class="warn">No permissions declared: mcp-lock runs this server unsandboxed, with all of the user’s rights.</strong></p></section>`;
  }
  return html`<section class="permissions" aria-labelledby="${id}">${heading(at.level, id, 'Permissions')}
<p class="muted">Enforced by <code>mcp-lock run</code> in a bubblewrap sandbox: beyond these, the server sees only the runtime, its own package (read-only) and a private /tmp and HOME.</p>
${facts([
  ['Read', list(p.filesystem.read, 'nothing beyond its own package')],
  ['Read and write', list(p.filesystem.write, 'only a private /tmp and HOME')],
  ['Network', list(p.network.allow, 'none')],
  ['Subprocesses', p.subprocesses === false ? 'denied' : 'allowed, inside the sandbox'],
])}
</section>`;
}

function changeItem(c: PermissionChange, wider: boolean): Html {
  return html`<li class="${wider ? 'change-added permission-widened' : 'change-removed'}">${wider ? html`<strong class="warn">wider</strong> ` : 'narrower '}<code>${c.field}</code> <code>${text(c.value)}</code></li>`;
}

export function permissionsDiffSection(diff: PermissionsDiff, at: Placement = TOP): Html {
  const n = diff.widened.length + diff.narrowed.length;
  if (n === 0) return html``;
  const id = `${at.id}d-perm`;
  return html`<section class="diff-part permissions-diff" aria-labelledby="${id}">${heading(at.level, id, 'Permissions')}
${diff.widened.length > 0 ? html`<p><strong class="warn">This version may reach more than the other: ${plural(diff.widened.length, 'wider permission')}. Consumers’ <code>mcp-lock update</code> refuses it unless they accept it explicitly.</strong></p>` : ''}
<ul class="tree-changes">${diff.widened.map((c) => changeItem(c, true))}${diff.narrowed.map((c) => changeItem(c, false))}</ul>
</section>`;
}
