// Publish: a signed manifest becomes a pending version. Signature, namespace, OIDC identity and lint are
// checked before the transaction; immutability, the look-alike rule and the version cap inside it, with
// the audit event in the same commit.

import { verifyStatement } from '../../attestation/statement.ts';
import { canonicalJson } from '../../canonical/digest.ts';
import { McpLockError } from '../../errors.ts';
import { scanManifest } from '../../scan/scan.ts';
import { severityAtLeast, severityRank } from '../../scan/severity.ts';
import type { ScanFinding } from '../../scan/types.ts';
import { namespaceOf } from '../names.ts';
import { assertOidcSessionAllowed, assertSignerIsPublisher, oidcIdentityModeFor } from '../oidc-identity.ts';
import { assertNotLookalike, decidePublish, MAX_VERSIONS_PER_SERVER, readPublishBody } from '../publish.ts';
import type { RegistryFinding, VersionRecord } from '../records.ts';
import { signerRef, trustFor } from '../signers.ts';
import { authorize, type Principal } from '../tokens.ts';
import { principalName } from '../two-person.ts';
import { actorOf, type ServiceContext } from './context.ts';

/** Findings kept per version: the worst first. */
const MAX_STORED_FINDINGS = 200;

function storedFindings(findings: readonly ScanFinding[]): RegistryFinding[] {
  return [...findings]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
    .slice(0, MAX_STORED_FINDINGS)
    .map(({ rule, severity, item, path, message, excerpt }) => ({
      rule: rule.slice(0, 100),
      severity,
      item: item.slice(0, 2200),
      path: path.slice(0, 2000),
      message: message.slice(0, 2000),
      excerpt: excerpt.slice(0, 2000),
    }));
}

function signerDetails(record: VersionRecord): Record<string, string> {
  return record.signer.type === 'key'
    ? { signer: 'key', keyId: record.signer.keyId }
    : { signer: 'keyless', identity: record.signer.identity, issuer: record.signer.issuer };
}

export async function publishVersion(
  ctx: ServiceContext,
  principal: Principal,
  body: Uint8Array,
): Promise<{ created: boolean; record: VersionRecord }> {
  authorize(principal, 'publish');
  const request = readPublishBody(body, ctx.publishLimits, { registries: ctx.publishPolicy.npmRegistries });
  const { name, version } = request.manifest.server;
  authorize(principal, 'publish', name);
  const namespace = namespaceOf(name);
  const identityMode = oidcIdentityModeFor(namespace, ctx.oidcIdentityRequired);
  assertOidcSessionAllowed(identityMode, principal, namespace);
  const signers = await ctx.store.listSigners(namespace);
  if (signers.length === 0) {
    throw new McpLockError('SIGNER_UNTRUSTED', `no signer is registered for the namespace ${namespace}`, {
      hint: 'A registry admin registers keys or identities with `mcp-lock registry signer add`.',
    });
  }
  const verified = await ctx.verify(request.bundle, trustFor(signers));
  verifyStatement(verified.payload, verified.payloadType, request.manifest, 'publisher');
  assertSignerIsPublisher(identityMode, principal, signerRef(verified.signer), namespace);
  const bundleBytes = Buffer.from(canonicalJson(request.bundle), 'utf8');
  // The lint runs on every publish: findings are stored for curators, and refuse it at the set severity.
  const findings = storedFindings(scanManifest(request.manifest));
  const threshold = ctx.publishPolicy.refuseFindingsAt;
  const refusing = threshold === 'none' ? [] : findings.filter((f) => severityAtLeast(f.severity, threshold));
  if (refusing.length > 0) {
    throw new McpLockError(
      'SCAN_FINDINGS',
      `${name}@${version} has ${refusing.length} lint finding(s) at ${threshold} or above; this registry refuses them`,
      {
        hint: 'Run `mcp-lock scan <manifest>` to see them; fix the definitions (or ask the registry admins) and publish again.',
        data: { findings: refusing.slice(0, 20) },
      },
    );
  }

  return ctx.store.transaction(async (tx) => {
    const existing = await tx.getVersion(name, version);
    if (decidePublish(existing, request.manifestDigest) === 'identical') {
      return { created: false, record: existing! };
    }
    assertNotLookalike(name, await tx.serverNames());
    if ((await tx.listVersions(name)).length >= MAX_VERSIONS_PER_SERVER) {
      throw new McpLockError('LIMIT_EXCEEDED', `${name} already has ${MAX_VERSIONS_PER_SERVER} versions`, {
        hint: 'Ask a registry admin to archive old versions.',
      });
    }
    const manifestBlob = await tx.putBlob(request.manifestBytes);
    const bundleBlob = await tx.putBlob(bundleBytes);
    const now = ctx.now().toISOString();
    const record: VersionRecord = {
      name,
      version,
      namespace,
      server: request.manifest.server,
      status: 'pending',
      statusReason: null,
      statusChangedAt: now,
      manifestDigest: request.manifestDigest,
      publishedAt: now,
      updatedAt: now,
      isLatest: false,
      signer: signerRef(verified.signer),
      approval: null,
      blobs: { manifest: manifestBlob, publisherBundle: bundleBlob, approvalBundle: null },
      publishedBy: principal.tokenId,
      publishedByName: principalName(principal),
      findings,
    };
    tx.putVersion(record);
    tx.appendAudit({
      at: now,
      action: 'publish',
      actor: actorOf(principal),
      name,
      version,
      namespace,
      digest: request.manifestDigest,
      details: signerDetails(record),
    });
    return { created: true, record };
  });
}
