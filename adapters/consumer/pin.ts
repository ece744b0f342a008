// Pinning a server: first prepare (fetch and verify everything, write nothing), then apply (install the
// exact tree into the store, store manifest and bundles, and write the lock atomically, last).
// A failure in prepare, or in the install, leaves the project exactly as it was.

import { rmSync } from 'node:fs';
import { verifyStatement } from '../../core/attestation/statement.ts';
import { canonicalDigest } from '../../core/canonical/digest.ts';
import { planPin } from '../../core/consumer/plan.ts';
import {
  type VersionFacts,
  verifyPinnableStatus,
  verifyRegistryPin,
  verifySignedApproval,
} from '../../core/consumer/registry-pin.ts';
import { McpLockError } from '../../core/errors.ts';
import type { LockedServer, McpLockFile, Signer, Source, TufSeen } from '../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import type { JsonValue } from '../../core/json/strict-json.ts';
import { entryFromManifest, treeRulesOf } from '../../core/lockfile/lockfile.ts';
import { verifySignerUnchanged } from '../../core/lockfile/signer.ts';
import { manifestDigest, parseManifest } from '../../core/manifest/manifest.ts';
import { namespaceOf } from '../../core/registry/names.ts';
import { installPinnedTree } from '../npm/tree-install.ts';
import { removeOrphans, storeBundle, storeDir, storeManifest, writeLock } from '../project/project.ts';
import { keyIdOf, parsePublicKey } from '../sigstore/keys.ts';
import { type TrustPolicy, verifyBundle } from '../sigstore/verify.ts';
import {
  fetchBundle,
  fetchManifestBytes,
  fetchNamespaceSigners,
  fetchVersion,
  type RegistryVersion,
} from './registry.ts';
import { refreshRegistryState, type SignedRegistryState } from './tuf-state.ts';

export interface PreparedPin {
  name: string;
  source: Source;
  manifest: McpLockManifest;
  signer: Signer | null;
  approval: LockedServer['approval'];
  bundles: { publisher?: JsonValue; approval?: JsonValue };
  /** Variables to pass through from the caller (by name); undefined keeps what the lock entry has. */
  passEnv?: readonly string[];
  status?: string;
  statusReason?: string;
  /** The registry's signed state the pin was verified against (recorded in the lock). */
  registryState?: { registry: string; seen: TufSeen };
}

export interface RegistryPinOptions {
  /** The project directory: its TUF cache remembers the newest signed registry state seen. */
  project: string;
  allowSignerChange: boolean;
  /** Publisher public key given by the user instead of trusting the registry's namespace signers. */
  signerKeyPem?: string;
  trustedRoot?: unknown;
}

async function publisherPolicy(
  registry: string,
  v: RegistryVersion,
  options: RegistryPinOptions,
): Promise<TrustPolicy> {
  const claimed = v.signer;
  if (claimed.type === 'keyless') {
    return {
      identities: [{ identity: claimed.identity, issuer: claimed.issuer }],
      ...(options.trustedRoot ? { trustedRoot: options.trustedRoot } : {}),
    };
  }
  if (options.signerKeyPem) return { keys: [{ publicKey: options.signerKeyPem }] };
  if (claimed.publicKey) return { keys: [{ publicKey: claimed.publicKey }] };
  const signers = await fetchNamespaceSigners(registry, namespaceOf(v.name));
  const match = signers.find(
    (s) =>
      s.type === 'key' && typeof s.publicKey === 'string' && keyIdOf(parsePublicKey(s.publicKey)) === claimed.keyId,
  );
  if (!match) {
    throw new McpLockError(
      'SIGNER_UNTRUSTED',
      `the registry does not list the key ${claimed.keyId} for ${namespaceOf(v.name)}`,
      {
        hint: 'Pass the publisher’s public key with --signer-key.',
      },
    );
  }
  return { keys: [{ publicKey: match.publicKey! }] };
}

/** Fetch and verify a registry version against the lock's pins. Writes nothing. */
export async function prepareRegistryPin(
  lock: McpLockFile,
  registry: string,
  name: string,
  version: string,
  options: RegistryPinOptions,
): Promise<PreparedPin> {
  const trusted = lock.registries[registry];
  if (!trusted) throw new McpLockError('INTERNAL', `registry ${registry} is not trusted in the lock`);
  // Status, latest and digests from the registry's signed, fresh state when the lock pins its TUF root.
  const state = trusted.tufRoot
    ? await refreshRegistryState(options.project, registry, trusted.tufRoot, trusted.tufSeen)
    : null;
  const resolved = state && version === 'latest' ? await signedLatest(state, name) : version;
  const signed = state ? await state.version(name, resolved) : null;
  const v = await fetchVersion(registry, name, resolved);
  const facts = signed ?? v;
  const served: VersionFacts = {
    name,
    version: v.version,
    status: facts.status,
    statusReason: facts.statusReason,
    manifestDigest: facts.manifestDigest,
    from: signed ? 'signed targets' : 'listing',
  };
  verifyPinnableStatus(served);
  const manifest = parseManifest(await fetchManifestBytes(registry, name, v.version), treeRulesOf(lock));
  verifyRegistryPin(served, manifest, manifestDigest(manifest));
  // Publisher: the signature must bind this exact manifest, by the signer the lock pins (or, first time, the registry's).
  const publisherBundle = await fetchBundle(registry, name, v.version, 'publisher');
  const published = verifyBundle(publisherBundle, await publisherPolicy(registry, v, options));
  verifyStatement(published.payload, published.payloadType, manifest, 'publisher');
  const signer: Signer =
    published.signer.type === 'key'
      ? { type: 'key', keyId: published.signer.keyId, publicKey: published.signer.publicKey }
      : { type: 'keyless', identity: published.signer.identity, issuer: published.signer.issuer };
  verifySignerUnchanged(name, lock.servers[name]?.signer, signer, options.allowSignerChange);
  // Curator: the registry's countersignature, by a key pinned in the lock.
  const approvalBundle = await fetchBundle(registry, name, v.version, 'approval');
  if (signed) verifySignedApproval(name, v.version, signed.approvalBundle, canonicalDigest(approvalBundle));
  const approved = verifyBundle(approvalBundle, { keys: trusted.approvalKeys });
  verifyStatement(approved.payload, approved.payloadType, manifest, 'approval');
  if (approved.signer.type !== 'key')
    throw new McpLockError('APPROVAL_INVALID', 'the approval is not signed by a registry key');
  return {
    name,
    source: { type: 'registry', registry },
    manifest,
    signer,
    approval: { registry, keyId: approved.signer.keyId },
    bundles: { publisher: publisherBundle, approval: approvalBundle },
    status: facts.status,
    ...(facts.statusReason ? { statusReason: facts.statusReason } : {}),
    ...(state ? { registryState: { registry, seen: state.seen } } : {}),
  };
}

/** The latest approved version, from the signed index of the server. */
async function signedLatest(state: SignedRegistryState, name: string): Promise<string> {
  const { latest } = await state.server(name);
  if (latest === null) {
    throw new McpLockError(
      'VERSION_NOT_LISTED',
      `${name} has no approved version in the signed targets of ${state.registry}`,
      {
        hint: 'Name a version explicitly, or wait for a curator to approve one.',
      },
    );
  }
  return latest;
}

export interface ApplyOptions {
  npmRegistry?: string;
  cache?: string;
}

/**
 * Install and record a prepared pin; returns the new lock (the one given is not changed) and its entry.
 * The store install is atomic and content-addressed; the lock is written last and atomically, so an
 * interrupted apply leaves the old lock in force. What the pin replaced is removed after the write.
 */
export async function applyPin(
  root: string,
  lock: McpLockFile,
  pin: PreparedPin,
  options: ApplyOptions = {},
): Promise<{ lock: McpLockFile; entry: LockedServer }> {
  const digest = manifestDigest(pin.manifest);
  let files: string | undefined;
  const pkg = pin.manifest.package;
  if (pkg) {
    const dir = storeDir(root, pin.name, digest);
    rmSync(dir, { recursive: true, force: true }); // a stale or partial earlier install is redone from the pin
    const installed = await installPinnedTree(pkg, dir, {
      project: root,
      trustedRegistries: treeRulesOf(lock).registries,
      ...(options.npmRegistry ? { registry: options.npmRegistry } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
    });
    files = installed.files;
  }
  storeManifest(root, pin.manifest);
  if (pin.bundles.publisher !== undefined) storeBundle(root, digest, 'publisher', pin.bundles.publisher);
  if (pin.bundles.approval !== undefined) storeBundle(root, digest, 'approval', pin.bundles.approval);
  const entry = entryFromManifest(pin.manifest, {
    source: pin.source,
    signer: pin.signer,
    approval: pin.approval,
    ...(files ? { files } : {}),
    passEnv: pin.passEnv ?? lock.servers[pin.name]?.passEnv ?? [],
  });
  const plan = planPin(lock, pin.name, entry, pin.registryState);
  writeLock(root, plan.lock);
  removeOrphans(root, plan.orphans);
  return { lock: plan.lock, entry };
}
