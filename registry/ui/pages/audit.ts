// The audit log for admins: every write the registry made (publish, curation, tokens, signers, keys),
// newest last as stored, filterable by action and server name, paged by sequence number.

import type { AuditEvent } from '../../../core/registry/records.ts';
import { type Html, href, html } from '../html.ts';
import { text } from '../text.ts';
import { dateTime, digest } from '../views/common.ts';

export interface AuditData {
  events: AuditEvent[];
  nextCursor?: string;
  action: string;
  name: string;
}

export const AUDIT_ACTIONS = [
  'publish',
  'approve',
  'reject',
  'deprecate',
  'yank',
  'token.create',
  'token.revoke',
  'signer.add',
  'signer.remove',
  'key.create',
  'tx.aborted',
] as const;

export function auditShell(): Html {
  return html`<h1>Audit log</h1>
<div class="fragment" data-fragment="/ui/fragments/audit">
  <p class="needs-login">The audit log is for admins. <a href="/ui/login">Log in with an admin token</a>.</p>
  <noscript><p class="warn">The audit log needs JavaScript: your token is sent as an Authorization header, never as a cookie.</p></noscript>
</div>`;
}

function actor(e: AuditEvent): Html {
  if (e.actor.type === 'local') return html`<span class="muted">local:</span> ${text(e.actor.tool)}`;
  return html`${text(e.actor.label || e.actor.tokenId)} <span class="muted">(${e.actor.role}, ${e.actor.tokenId})</span>`;
}

function details(e: AuditEvent): Html {
  const entries = Object.entries(e.details ?? {});
  if (entries.length === 0) return html``;
  return html`<ul class="details">${entries.map(
    ([k, v]) => html`<li><span class="muted">${k}:</span> ${text(Array.isArray(v) ? v.join(', ') : String(v))}</li>`,
  )}</ul>`;
}

export function auditFragment(data: AuditData): Html {
  return html`<form class="filters" data-fragment-form action="/ui/fragments/audit" method="get">
  <label for="audit-action">Action</label>
  <select id="audit-action" name="action"><option value="">any</option>${AUDIT_ACTIONS.map(
    (a) => html`<option value="${a}"${a === data.action ? html` selected` : ''}>${a}</option>`,
  )}</select>
  <label for="audit-name">Server name</label>
  <input id="audit-name" name="name" type="text" maxlength="200" value="${data.name}" autocomplete="off">
  <button type="submit">Filter</button>
</form>
<div class="table-wrap"><table class="audit">
  <caption>${data.events.length} events${data.action || data.name ? ' (filtered)' : ''}, oldest first</caption>
  <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Action</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Reason and details</th></tr></thead>
  <tbody>${data.events.map(
    (e) => html`<tr data-action="${e.action}">
    <td>${e.seq}</td><td>${dateTime(e.at)}</td><td><code>${e.action}</code></td><td>${actor(e)}</td>
    <td>${e.name ? html`${text(e.name)}${e.version ? html`@${text(e.version)}` : ''}` : e.namespace ? text(e.namespace) : ''}${e.digest ? html`<br>${digest(e.digest)}` : ''}</td>
    <td>${e.reason ? html`<span class="reason">${text(e.reason)}</span>` : ''}${details(e)}</td></tr>`,
  )}</tbody>
</table></div>
${data.nextCursor ? html`<p><a data-fragment-link href="${href('/ui/fragments/audit', { cursor: data.nextCursor, action: data.action || undefined, name: data.name || undefined })}">Next events</a></p>` : ''}`;
}
