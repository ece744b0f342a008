// The server's readme: the Markdown its manifest carries (the npm package's README at manifest time,
// signed with everything else), rendered safely by markdown.ts, with where it came from.

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import { type Html, html } from '../html.ts';
import { renderMarkdown } from '../markdown.ts';
import { text } from '../text.ts';
import { heading } from './common.ts';

export function readmeView(manifest: McpLockManifest, level: number): Html {
  const readme = manifest.readme;
  if (!readme) return html``;
  const from =
    readme.source === 'npm-package'
      ? html`From ${readme.file ? html`<code>${text(readme.file)}</code> in ` : ''}the npm package, signed with the manifest`
      : html`From the publisher, signed with the manifest`;
  return html`<section class="readme" aria-labelledby="readme-h">${heading(level, 'readme-h', 'Readme')}
<p class="muted small">${from}${readme.truncated ? '; cut at 64 KiB' : ''}. Links open other sites; images are not loaded.</p>
<div class="markdown">${renderMarkdown(readme.markdown, level + 1)}</div>
</section>`;
}
