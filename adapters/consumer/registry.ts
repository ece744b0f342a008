// What the consumer CLI reads from an mcp-lock registry, through the shared RegistryClient (bounded HTTP,
// strict parsing, API schema checks). Nothing read here is trusted by itself: manifests are checked
// against signatures, signatures against keys pinned in the lock.

import type { Metadata, Root } from '@tufjs/models';
import type { AttestationRole } from '../../core/attestation/statement.ts';
import { McpLockError } from '../../core/errors.ts';
import type { PinnedKey, TrustedRegistry, TufRoot } from '../../core/generated/lockfile.ts';
import type { JsonValue } from '../../core/json/strict-json.ts';
import type { VersionInfo } from '../../core/registry/response.ts';
import { assertSelfSignedRoot, parseMetadataJson, rootFingerprint } from '../../core/registry/tuf/metadata.ts';
import { type NamespaceSigner, RegistryClient, registryBaseUrl } from '../registry-client/client.ts';
import { keyIdOf, parsePublicKey } from '../sigstore/keys.ts';

export type RegistryVersion = VersionInfo;

/** A registry base URL as the lock records it: https (http to loopback only), no trailing slash. */
export function normalizeRegistryUrl(url: string): string {
  const parsed = registryBaseUrl(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

const client = (registry: string) => new RegistryClient({ url: registry });

/** The registry's approval keys, each checked to hash to the key id it is listed under. */
export async function fetchApprovalKeys(registry: string): Promise<PinnedKey[]> {
  const keys = await client(registry).keys();
  if (keys.length === 0) throw new McpLockError('REGISTRY_PROTOCOL', 'the registry publishes no approval key');
  return keys.slice(0, 20).map((k) => {
    const keyId = keyIdOf(parsePublicKey(k.publicKey, 'the registry approval key'));
    if (k.keyId !== keyId)
      throw new McpLockError('REGISTRY_PROTOCOL', 'the registry lists an approval key under the wrong key id');
    return { keyId, publicKey: k.publicKey };
  });
}

/** Check a TUF root to pin (fetched on first use, or given): root metadata signed by its own root keys. */
export function checkTufRoot(value: unknown, what: string): { root: TufRoot; fingerprint: string } {
  const root = parseMetadataJson('root', value, what) as Metadata<Root>;
  assertSelfSignedRoot(root, what);
  return { root: value as TufRoot, fingerprint: rootFingerprint(root) };
}

/** What a lock pins for a registry on first use: its approval keys and its first TUF root. */
export async function fetchRegistryTrust(
  registry: string,
  given: { approvalKeys?: PinnedKey[]; tufRoot?: unknown } = {},
): Promise<{ trust: TrustedRegistry; rootFingerprint: string }> {
  const approvalKeys = given.approvalKeys ?? (await fetchApprovalKeys(registry));
  const { root, fingerprint } = checkTufRoot(
    given.tufRoot ?? (await client(registry).tufRoot(1)),
    `the TUF root of ${registry}`,
  );
  return { trust: { approvalKeys, tufRoot: root }, rootFingerprint: fingerprint };
}

/** One version with every registry fact (status, manifest digest, signer, approval). `version` may be "latest". */
export function fetchVersion(registry: string, name: string, version: string): Promise<RegistryVersion> {
  return client(registry).version(name, version);
}

export function fetchManifestBytes(registry: string, name: string, version: string): Promise<Buffer> {
  return client(registry).manifestBytes(name, version);
}

export function fetchBundle(
  registry: string,
  name: string,
  version: string,
  role: AttestationRole,
): Promise<JsonValue> {
  return client(registry).bundle(name, version, role);
}

/** The signers a registry accepts for a namespace (to pin a key signer on first use). */
export function fetchNamespaceSigners(registry: string, namespace: string): Promise<NamespaceSigner[]> {
  return client(registry).signers(namespace);
}
