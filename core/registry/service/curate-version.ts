// Curation: approve (with the registry's countersignature, once enough distinct curators agree), reject,
// deprecate, yank. The status change, the latest label, the audit event and the re-signed TUF state are
// one transaction: acknowledged means signed.

import { buildStatement, statementBytes } from '../../attestation/statement.ts';
import { canonicalJson } from '../../canonical/digest.ts';
import { assertServerName, assertVersion } from '../names.ts';
import type { StoreTx } from '../ports.ts';
import type { CuratorApproval, VersionRecord } from '../records.ts';
import { type CurationAction, nextStatus, parseReason } from '../status.ts';
import { authorize, type Principal } from '../tokens.ts';
import { type ApprovalPlan, curatorsRequiredFor, planApproval } from '../two-person.ts';
import { pickLatest } from '../version-order.ts';
import { actorOf, notFound, type ServiceContext, storedManifest } from './context.ts';

export async function curateVersion(
  ctx: ServiceContext,
  principal: Principal,
  name: string,
  version: string,
  action: CurationAction,
  reasonInput?: string,
): Promise<VersionRecord> {
  assertServerName(name);
  assertVersion(version);
  authorize(principal, 'curate', name);
  const reason = parseReason(action, reasonInput);
  return ctx.store.transaction(async (tx) => {
    const record = await tx.getVersion(name, version);
    if (!record) throw notFound(`${name}@${version}`);
    const target = nextStatus(record.status, action);
    if (target === null) return record;
    const now = ctx.now().toISOString();
    let approvals: CuratorApproval[] | undefined;
    if (action === 'approve') {
      const plan = planApproval(record, principal, curatorsRequiredFor(record.namespace, ctx.curatorsRequired), now);
      if (!plan.complete) return recordPartialApproval(tx, record, principal, plan, now);
      approvals = plan.approvals;
    }
    let updated: VersionRecord = {
      ...record,
      ...(approvals ? { approvals } : {}),
      status: target,
      statusReason: reason,
      statusChangedAt: now,
      updatedAt: now,
    };
    if (action === 'approve') updated = await countersign(ctx, tx, updated, principal, now);
    const siblings = (await tx.listVersions(name)).map((v) => (v.version === version ? updated : v));
    for (const changed of relabelLatest(siblings, now, version)) {
      tx.putVersion(changed);
      if (changed.version === version) updated = changed;
    }
    tx.appendAudit({
      at: now,
      action,
      actor: actorOf(principal),
      name,
      version,
      namespace: record.namespace,
      digest: record.manifestDigest,
      ...(reason ? { reason } : {}),
      details: { from: record.status, to: target },
    });
    // The signed state changes in the same transaction: acknowledged means signed.
    if (ctx.tuf) await ctx.tuf.republish(tx, [name]);
    return updated;
  });
}

/** A curator approved, and the namespace needs more: the version stays pending with the approval noted. */
function recordPartialApproval(
  tx: StoreTx,
  record: VersionRecord,
  principal: Principal,
  plan: ApprovalPlan,
  now: string,
): VersionRecord {
  const updated: VersionRecord = { ...record, approvals: plan.approvals, updatedAt: now };
  tx.putVersion(updated);
  tx.appendAudit({
    at: now,
    action: 'approve',
    actor: actorOf(principal),
    name: record.name,
    version: record.version,
    namespace: record.namespace,
    digest: record.manifestDigest,
    details: { from: 'pending', to: 'pending', approvals: plan.approvals.length, required: plan.required },
  });
  return updated;
}

/** The registry's approval: an in-toto statement over the same manifest digest, signed with its key. */
async function countersign(
  ctx: ServiceContext,
  tx: StoreTx,
  record: VersionRecord,
  principal: Principal,
  now: string,
): Promise<VersionRecord> {
  const manifest = await storedManifest(tx, record);
  const curator = principal.label || principal.tokenId;
  const statement = buildStatement(manifest, 'approval', { registry: ctx.registryId(), approvedAt: now, curator });
  const bundle = await ctx.approvalSigner.sign(statementBytes(statement));
  const blob = await tx.putBlob(Buffer.from(canonicalJson(bundle), 'utf8'));
  return {
    ...record,
    approval: { keyId: ctx.approvalSigner.keyId, approvedAt: now, curator },
    blobs: { ...record.blobs, approvalBundle: blob },
  };
}

/**
 * Recompute which version is latest after one changed. Returns the records to write: the changed one,
 * and any whose isLatest flipped (their updatedAt moves too, so incremental sync sees the flip).
 */
export function relabelLatest(versions: readonly VersionRecord[], now: string, changed: string): VersionRecord[] {
  const latest = pickLatest(versions);
  const out: VersionRecord[] = [];
  for (const v of versions) {
    const isLatest = latest !== null && v.version === latest.version;
    if (v.isLatest !== isLatest) out.push({ ...v, isLatest, updatedAt: now });
    else if (v.version === changed) out.push(v);
  }
  return out;
}
