// The pinned package and its whole dependency tree, each node with the SRI integrity the install checks,
// and the server.json launch details (packages, remotes, repository) as the publisher declared them.

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import { type Html, html } from '../html.ts';
import { json, text } from '../text.ts';
import { code, digest, facts, heading, type Placement, plural, TOP } from './common.ts';

export function packageView(manifest: McpLockManifest, at: Placement = TOP): Html {
  const id = `${at.id}pkg-h`;
  const pkg = manifest.package;
  const server = manifest.server;
  const remote = server.remotes?.[0];
  const declared = html`<details class="server-json">
  <summary>server.json as published (packages, remotes, repository, _meta)</summary>
  <pre class="json">${json(server)}</pre>
</details>`;
  if (!pkg) {
    return html`<section aria-labelledby="${id}">${heading(at.level, id, 'Package')}
  ${remote ? html`<p>A remote server at ${code(remote.url)} (${remote.type}); no package is installed.</p>` : html`<p>No package.</p>`}
  ${declared}</section>`;
  }
  const scripts = pkg.tree.filter((n) => n.hasInstallScript).length;
  return html`<section aria-labelledby="${id}">${heading(at.level, id, 'Package and dependency tree')}
${facts([
  ['Package', html`${code(`${pkg.identifier}@${pkg.version}`)} (npm)`],
  ['Tarball', code(pkg.resolved)],
  ['Integrity', digest(pkg.integrity)],
  ['Binary', html`${code(pkg.bin.name)} → ${code(pkg.bin.path)}`],
  ['Tree digest', digest(pkg.treeDigest)],
  [
    'Install scripts',
    scripts > 0
      ? html`<strong class="warn">${plural(scripts, 'package')} declare install scripts; mcp-lock never runs them</strong>`
      : html`none declared (and never run)`,
  ],
])}
<div class="table-wrap"><table class="tree">
  <caption>${plural(pkg.tree.length, 'package')} in the pinned tree</caption>
  <thead><tr><th scope="col">Location</th><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Integrity</th></tr></thead>
  <tbody>${pkg.tree.map(
    (n) =>
      html`<tr><td><code>${n.location}</code></td><td>${text(n.name)}${n.hasInstallScript ? html` <span class="warn">(install script)</span>` : ''}</td><td>${text(n.version)}</td><td>${n.integrity ? digest(n.integrity) : html`<strong class="warn">missing</strong>`}</td></tr>`,
  )}</tbody>
</table></div>
${declared}
</section>`;
}
