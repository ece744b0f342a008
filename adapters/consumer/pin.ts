// Pinning a server: first prepare (fetch and verify everything, write nothing), then apply (install the
// exact tree into the store, store manifest and bundles, and write the lock atomically, last).
// A failure in prepare, or in the install, leaves the project exactly as it was.

import { rmSync } from 'node:fs';
import { verifyStatement } from '../../core/attestation/statement.ts';
import { canonicalDigest } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';
import type { LockedServer, McpLockFile, Signer, Source, TufSeen } from '../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import type { JsonValue } from '../../core/json/strict-json.ts';
import { entryFromManifest, treeRulesOf } from '../../core/lockfile/lockfile.ts';
import { verifySignerUnchanged } from '../../core/lockfile/signer.ts';
import { manifestDigest, parseManifest } from '../../core/manifest/manifest.ts';
import { namespaceOf } from '../../core/registry/names.ts';
import { installPinnedTree } from '../npm/tree-install.ts';
import { storeBundle, storeDir, storeManifest, writeLock } from '../project/project.ts';
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

/** Which versions a consumer may pin. Pending and rejected are not approved; yanked is refused. */
function checkStatus(v: { name: string; version: string; status: string; statusReason: string | null }): void {
  const { status } = v;
  if (status === 'yanked') {
    throw new McpLockError(
      'VERSION_YANKED',
      `${v.name}@${v.version} was yanked${v.statusReason ? `: ${v.statusReason}` : ''}`,
      {
        hint: 'Pick another version; a yanked version must not be installed.',
      },
    );
  }
  if (status === 'rejected')
    throw new McpLockError('VERSION_REJECTED', `${v.name}@${v.version} was rejected by a curator`);
  if (status !== 'approved' && status !== 'deprecated') {
    throw new McpLockError('APPROVAL_MISSING', `${v.name}@${v.version} is ${status}, not approved`, {
      hint: 'Wait for a curator to approve it, or pin an approved version.',
    });
  }
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
  checkStatus({ name, version: v.version, status: facts.status, statusReason: facts.statusReason });
  const manifest = parseManifest(await fetchManifestBytes(registry, name, v.version), treeRulesOf(lock));
  const digest = manifestDigest(manifest);
  if (manifest.server.name !== name || manifest.server.version !== v.version) {
    throw new McpLockError(
      'SUBJECT_MISMATCH',
      `the registry served the manifest of ${manifest.server.name}@${manifest.server.version} for ${name}@${v.version}`,
    );
  }
  if (digest !== facts.manifestDigest) {
    throw new McpLockError(
      'DIGEST_MISMATCH',
      `the manifest served for ${name}@${v.version} is not the one the registry ${signed ? 'signed in its targets' : 'lists'}`,
      {
        data: { expected: facts.manifestDigest, found: digest },
      },
    );
  }
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
  if (signed && canonicalDigest(approvalBundle) !== signed.approvalBundle) {
    throw new McpLockError(
      'DIGEST_MISMATCH',
      `the approval served for ${name}@${v.version} is not the one the registry signed`,
      {
        data: { expected: signed.approvalBundle, found: canonicalDigest(approvalBundle) },
      },
    );
  }
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
 * Install and record a prepared pin. The store install is atomic and content-addressed; the lock is
 * written last and atomically, so an interrupted apply leaves the old lock in force.
 */
export async function applyPin(
  root: string,
  lock: McpLockFile,
  pin: PreparedPin,
  options: ApplyOptions = {},
): Promise<LockedServer> {
  const digest = manifestDigest(pin.manifest);
  let files: string | undefined;
  const pkg = pin.manifest.package;
  if (pkg) {
    const dir = storeDir(root, pin.name, digest);
    rmSync(dir, { recursive: true, force: true }); // a stale or partial earlier install is redone from the pin
    const installed = await installPinnedTree(pkg, dir, {
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
  });
  const next: McpLockFile = { ...lock, servers: { ...lock.servers, [pin.name]: entry } };
  const state = pin.registryState;
  const trusted = state ? lock.registries[state.registry] : undefined;
  if (state && trusted) next.registries = { ...lock.registries, [state.registry]: { ...trusted, tufSeen: state.seen } };
  writeLock(root, next);
  lock.servers = next.servers;
  lock.registries = next.registries;
  return entry;
}
