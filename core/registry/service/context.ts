// What every registry use case shares: its dependencies (resolved to their defaults), the not-found
// error, reading a stored blob and a stored manifest back, and how a principal appears in the audit log.

import { sha256Hex } from '../../canonical/digest.ts';
import { McpLockError } from '../../errors.ts';
import type { McpLockManifest } from '../../generated/manifest.ts';
import { DEFAULT_TREE_RULES } from '../../manifest/check-tree.ts';
import { parseStoredManifest } from '../../manifest/manifest.ts';
import type { Severity } from '../../scan/severity.ts';
import type { OidcExchangeDeps } from '../oidc.ts';
import type { OidcIdentityMode } from '../oidc-identity.ts';
import type { ApprovalSigner, BundleVerifier, RegistryStore, StoreReader } from '../ports.ts';
import { DEFAULT_PUBLISH_LIMITS, type PublishLimits } from '../publish.ts';
import type { AuditActor, VersionRecord } from '../records.ts';
import type { Principal } from '../tokens.ts';
import type { TufRepository } from '../tuf/repository.ts';

export interface RegistryServiceDeps {
  store: RegistryStore;
  verify: BundleVerifier;
  approvalSigner: ApprovalSigner;
  /** The id approvals name: the registry's public URL. */
  registryId: () => string;
  now?: () => Date;
  publishLimits?: PublishLimits;
  publishPolicy?: PublishPolicy;
  /** The registry's TUF repository: curation re-signs targets, snapshot and timestamp in its transaction. */
  tuf?: TufRepository;
  /** Distinct curators an approval needs per namespace (`*`: default 1); never the publisher. */
  curatorsRequired?: Readonly<Record<string, number>>;
  /** Trusted OIDC issuers for publishing from CI, their verifier, and randomness for session tokens. */
  oidc?: Pick<OidcExchangeDeps, 'issuers' | 'verify' | 'random'>;
  /** Namespaces (`*`: all) whose publishes must be signed keyless by the OIDC identity that publishes. */
  oidcIdentityRequired?: Readonly<Record<string, OidcIdentityMode>>;
}

/** What a publish must also pass, beyond signatures: where tarballs may come from, and the lint. */
export interface PublishPolicy {
  /** npm registries whose tarball URLs a manifest's tree may use (a private mirror, say). */
  npmRegistries: readonly string[];
  /** Refuse a publish whose lint findings reach this severity; 'none' only records them for curators. */
  refuseFindingsAt: Severity | 'none';
}

export const DEFAULT_PUBLISH_POLICY: PublishPolicy = {
  npmRegistries: DEFAULT_TREE_RULES.registries,
  refuseFindingsAt: 'none',
};

/** The dependencies with every default filled in: what the use cases read. */
export interface ServiceContext {
  store: RegistryStore;
  verify: BundleVerifier;
  approvalSigner: ApprovalSigner;
  registryId: () => string;
  now: () => Date;
  publishLimits: PublishLimits;
  publishPolicy: PublishPolicy;
  tuf: TufRepository | undefined;
  curatorsRequired: Readonly<Record<string, number>>;
  oidc: RegistryServiceDeps['oidc'];
  oidcIdentityRequired: Readonly<Record<string, OidcIdentityMode>>;
}

export function serviceContext(deps: RegistryServiceDeps): ServiceContext {
  return {
    store: deps.store,
    verify: deps.verify,
    approvalSigner: deps.approvalSigner,
    registryId: deps.registryId,
    now: deps.now ?? (() => new Date()),
    publishLimits: deps.publishLimits ?? DEFAULT_PUBLISH_LIMITS,
    publishPolicy: deps.publishPolicy ?? DEFAULT_PUBLISH_POLICY,
    tuf: deps.tuf,
    curatorsRequired: deps.curatorsRequired ?? { '*': 1 },
    oidc: deps.oidc,
    oidcIdentityRequired: deps.oidcIdentityRequired ?? {},
  };
}

export const notFound = (what: string) =>
  new McpLockError('NOT_FOUND', `${what} was not found`, {
    hint: 'Check the name and version; names are URL-encoded in paths (io.github.acme%2Fweather).',
  });

export async function readBlob(reader: StoreReader, id: string): Promise<Uint8Array> {
  const bytes = await reader.getBlob(id);
  if (!bytes) throw new McpLockError('STORAGE_ERROR', `blob ${id.slice(0, 12)}… is missing from the store`);
  return bytes;
}

/** A version's manifest from the store: its bytes must still hash to the digest it was accepted under. */
export async function storedManifest(reader: StoreReader, record: VersionRecord): Promise<McpLockManifest> {
  const bytes = await readBlob(reader, record.blobs.manifest);
  const what = `the stored manifest of ${record.name}@${record.version}`;
  if (`sha256:${sha256Hex(bytes)}` !== record.manifestDigest) {
    throw new McpLockError('STORAGE_ERROR', `${what} is corrupt`);
  }
  return parseStoredManifest(bytes, what);
}

export function actorOf(principal: Principal): AuditActor {
  return { type: 'token', tokenId: principal.tokenId, role: principal.role, label: principal.label };
}
