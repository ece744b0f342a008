// The environment a pinned server gets: the variables its manifest declares (name, required, secret, what
// for), which `mcp-lock run` passes on from the caller and nothing else, and how a project names more
// variables to pass through (`mcp-lock add … --pass-env NAME`, recorded by name in its lock and shown by
// `mcp-lock list`). Values are never shown: a declared default or placeholder is the publisher's text.

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import { type Html, html } from '../html.ts';
import { text } from '../text.ts';
import { code, heading, type Placement, TOP } from './common.ts';

export function environmentView(manifest: McpLockManifest, at: Placement = TOP): Html {
  const id = `${at.id}env-h`;
  const pkg = manifest.package;
  const declared = pkg
    ? ((manifest.server.packages ?? []).find((p) => p.registryType === 'npm' && p.identifier === pkg.identifier)
        ?.environmentVariables ?? [])
    : [];
  const rows = declared.map(
    (v) =>
      html`<tr><th scope="row">${code(v.name)}</th><td>${v.isRequired ? 'required' : 'optional'}${v.isSecret ? html`, <strong>secret</strong>` : ''}</td><td>${text(v.description ?? '')}</td></tr>`,
  );
  return html`<section class="environment" aria-labelledby="${id}">${heading(at.level, id, 'Environment')}
${
  pkg
    ? declared.length
      ? html`<div class="table-wrap"><table class="env"><caption>Variables the manifest declares; <code>mcp-lock run</code> passes on these from your environment, and no others</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">What for</th></tr></thead>
  <tbody>${rows}</tbody></table></div>`
      : html`<p>The manifest declares no variables: <code>mcp-lock run</code> starts the server with none of yours.</p>`
    : html`<p>A remote server: nothing runs on your machine.</p>`
}
${pkg ? html`<p class="muted small">A project can pass more variables by name with <code>mcp-lock add … --pass-env NAME</code>; the names are recorded in its <code>mcp-lock.json</code> (reviewed like the rest of the lock) and shown by <code>mcp-lock list</code>.</p>` : ''}
</section>`;
}
