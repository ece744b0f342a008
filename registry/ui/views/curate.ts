// The curator's form for one version: a reason field and one button per action the version's status
// allows (approve/reject while pending, deprecate/yank once approved, yank when deprecated). ui.js posts
// the chosen action to the same curation API the CLI uses; the reason is required where the registry
// requires it (reject, deprecate, yank) and lands in the audit log and on the version.

import type { VersionRecord } from '../../../core/registry/records.ts';
import { actionsFrom, type CurationAction, REASON_MAX, REASON_REQUIRED } from '../../../core/registry/status.ts';
import { type Html, html } from '../html.ts';

const LABEL: Record<CurationAction, (version: string) => string> = {
  approve: (v) => `Approve and countersign ${v}`,
  reject: () => 'Reject',
  deprecate: (v) => `Deprecate ${v}`,
  yank: (v) => `Yank ${v}`,
};

let formIds = 0;

export function curateForm(record: VersionRecord): Html {
  const actions = actionsFrom(record.status);
  if (actions.length === 0) return html``;
  formIds = (formIds + 1) % 1_000_000;
  const id = `reason-${formIds}`;
  const needs = actions.filter((a) => REASON_REQUIRED.includes(a));
  return html`<form class="curate" data-name="${record.name}" data-version="${record.version}" data-reason-required="${needs.join(' ')}">
  <label for="${id}">Reason <span class="muted">(${needs.length ? `required to ${needs.join(' or ')}; ` : ''}recorded in the audit log)</span></label>
  <input id="${id}" name="reason" type="text" maxlength="${REASON_MAX}" autocomplete="off">
  <div class="actions">
    ${actions.map((a) => html`<button type="submit" name="action" value="${a}" class="${a}">${LABEL[a](record.version)}</button>`)}
  </div>
  <p class="form-status" role="status" aria-live="polite"></p>
</form>`;
}
