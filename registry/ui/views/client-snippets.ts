// "Use it in your client": one disclosure per client (it works without scripts), each with the config
// entry to paste, the client's command or one-click install link, all starting `mcp-lock run` with the
// pinned server (core/clients/install-snippets.ts). The link is a plain <a>: nothing is fetched.

import { formatDeterministicJson } from '../../../core/canonical/pretty.ts';
import { clientSnippets } from '../../../core/clients/install-snippets.ts';
import { type Html, html } from '../html.ts';
import { json, text } from '../text.ts';
import { copyBlock } from './common.ts';

export function clientSnippetsView(serverName: string): Html {
  return html`<section class="clients" aria-labelledby="clients-h"><h3 id="clients-h">Use it in your client</h3>
<p class="muted small">After <code>mcp-lock add</code> and <code>mcp-lock install</code> in your project, each client starts the pinned server through <code>mcp-lock run</code>, which verifies it at every launch.</p>
${clientSnippets(serverName).map(
  (
    s,
  ) => html`<details class="client" data-client="${s.client}"><summary>${s.label} <span class="muted small">${s.file}</span></summary>
${s.installLink ? html`<p><a class="install-link" href="${s.installLink}" rel="noopener noreferrer">Install in ${s.label}</a> <span class="muted small">(opens ${s.label}; it adds the entry below)</span></p>` : ''}
${s.command ? copyBlock('Command', text(s.command), `cmd-${s.client}`) : ''}
${copyBlock(`Entry for ${s.file}`, json(JSON.parse(formatDeterministicJson(s.config))), `cfg-${s.client}`)}
</details>`,
)}
</section>`;
}
