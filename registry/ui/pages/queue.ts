// The curator's review queue: each pending version with its lint findings and its diff against the last
// approved version (or, for a first version, everything it would expose), and a form to approve or reject
// it with a reason. The form posts to the same curation API the CLI uses (ui.js adds the bearer token).

import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import type { ManifestDiff } from '../../../core/manifest/manifest-diff.ts';
import type { SignerRecord, VersionRecord } from '../../../core/registry/records.ts';
import { type Html, href, html } from '../html.ts';
import { hiddenWarning, text } from '../text.ts';
import { dateTime, digest, facts, plural } from '../views/common.ts';
import { curateForm } from '../views/curate.ts';
import { diffSize, diffView } from '../views/diff.ts';
import { findingsView, type LintFinding } from '../views/findings.ts';
import { packageView } from '../views/package.ts';
import { permissionsView } from '../views/permissions.ts';
import { signerFacts } from '../views/signer.ts';
import { surfaceCounts, surfaceView } from '../views/surface.ts';

export interface QueueItem {
  record: VersionRecord;
  manifest: McpLockManifest;
  previous: VersionRecord | null;
  diff: ManifestDiff | null;
  signers: readonly SignerRecord[];
  findings: LintFinding[] | null;
}

export interface QueueData {
  items: QueueItem[];
  nextCursor?: string;
  who: string;
}

export function queueShell(): Html {
  return html`<h1>Review queue</h1>
<p id="curate-result" class="notice" role="status" aria-live="polite"></p>
<div class="fragment" data-fragment="/ui/fragments/queue">
  <p class="needs-login">Log in with a curator or admin token to see the versions waiting for review. <a href="/ui/login">Log in</a></p>
  <noscript><p class="warn">The review queue needs JavaScript: your token is sent as an Authorization header, never as a cookie.</p></noscript>
</div>`;
}

function item(q: QueueItem): Html {
  const r = q.record;
  const at = { id: `q${r.manifestDigest.slice(7, 19)}-`, level: 4 };
  const against = q.previous
    ? html`<h3>Changes since ${q.previous.version} (last approved) <span class="muted">— ${q.diff ? plural(diffSize(q.diff), 'difference') : ''}</span></h3>
      <p><a href="${href('/ui/diff', { name: r.name, from: q.previous.version, to: r.version })}">Open this comparison on its own page</a></p>
      ${q.diff ? diffView(q.diff, at) : ''}`
    : html`<h3>First version: nothing approved to compare with</h3>
      <p class="muted">Everything below is new; review every definition.</p>`;
  return html`<article class="queue-item" data-name="${r.name}" data-version="${r.version}" aria-labelledby="q-${r.manifestDigest.slice(7, 19)}">
  <h2 id="q-${r.manifestDigest.slice(7, 19)}"><a href="${href('/ui/server', { name: r.name, version: r.version })}">${text(r.name)}@${r.version}</a></h2>
  ${hiddenWarning([r.server.title ?? '', r.server.description])}
  <p class="description">${text(r.server.description, { multiline: true })}</p>
  ${facts([
    ['Published', dateTime(r.publishedAt)],
    ['Manifest digest', digest(r.manifestDigest)],
    ['Surface', surfaceCounts(q.manifest)],
  ])}
  ${signerFacts(r.signer, q.signers)}
  <section class="lint"><h3>Lint findings</h3>${findingsView(q.findings)}</section>
  ${permissionsView(q.manifest, { ...at, level: 3 })}
  <section class="review">${against}</section>
  <details${q.previous ? '' : html` open`}><summary>Everything this version exposes, and its package</summary>
    ${surfaceView(q.manifest, { ...at, level: 3 })}
    ${packageView(q.manifest, { ...at, level: 3 })}
  </details>
  ${curateForm(r)}
</article>`;
}

export function queueFragment(data: QueueData): Html {
  return html`<p class="muted">Logged in as ${text(data.who)}. ${
    data.items.length === 0
      ? 'Nothing is waiting for review.'
      : `${plural(data.items.length, 'version')} waiting for review.`
  }</p>
${data.items.map(item)}
${data.nextCursor ? html`<p><a data-fragment-link href="${href('/ui/fragments/queue', { cursor: data.nextCursor })}">More pending versions</a></p>` : ''}`;
}
