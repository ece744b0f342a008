// Who signed a version and who approved it: the publisher's key fingerprint (hex sha256 of its SPKI, the
// Sigstore key hint) or keyless identity and issuer, the label the registry admin gave that signer, and
// the curator's countersignature with the registry key that made it.

import type { ApprovalRef, SignerRecord, SignerRef } from '../../../core/registry/records.ts';
import { type Html, html } from '../html.ts';
import { text } from '../text.ts';
import { dateTime, digest, EMPTY, facts } from './common.ts';

/** The registered signer (with its admin-given label) a version's signer matches, if any. */
export function registeredSigner(signer: SignerRef, registered: readonly SignerRecord[]): SignerRecord | undefined {
  return registered.find((s) =>
    signer.type === 'key'
      ? s.type === 'key' && s.keyId === signer.keyId
      : s.type === 'keyless' && s.identity === signer.identity && s.issuer === signer.issuer,
  );
}

/** One line: "acme release key · key 3f2a…" or the keyless identity. */
export function publisherLine(signer: SignerRef, registered: readonly SignerRecord[]): Html {
  const known = registeredSigner(signer, registered);
  const label = known?.label ? html`<span class="signer-label">${text(known.label)}</span> · ` : EMPTY;
  if (signer.type === 'keyless') return html`${label}<span class="identity">${text(signer.identity)}</span>`;
  return html`${label}key <code class="digest" title="${signer.keyId}">${signer.keyId.slice(0, 16)}…</code>`;
}

export function signerFacts(signer: SignerRef, registered: readonly SignerRecord[]): Html {
  const known = registeredSigner(signer, registered);
  const rows: [string, Html][] =
    signer.type === 'key'
      ? [
          ['Publisher signature', html`local key (ECDSA P-256 or Ed25519)`],
          ['Key fingerprint', html`${digest(signer.keyId)} <span class="muted">(sha256 of the public key)</span>`],
        ]
      : [
          ['Publisher signature', html`keyless (Sigstore: Fulcio certificate, Rekor entry)`],
          ['Identity', html`<span class="identity">${text(signer.identity)}</span>`],
          ['Issuer', text(signer.issuer)],
        ];
  rows.push([
    'Registered signer',
    known
      ? html`${text(known.label || known.id)} <span class="muted">for ${known.namespace}, since</span> ${dateTime(known.addedAt)}`
      : html`<strong class="warn">not among the namespace's current signers</strong>`,
  ]);
  return facts(rows);
}

export function approvalFacts(approval: ApprovalRef | null): Html {
  if (!approval) return html`<p class="muted">No curator approval (countersignature) yet.</p>`;
  return facts([
    ['Approved by', html`<span class="curator">${text(approval.curator)}</span>`],
    ['Approved at', dateTime(approval.approvedAt)],
    ['Registry key', digest(approval.keyId)],
  ]);
}
