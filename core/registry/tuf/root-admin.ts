// Root administration: create the first root, propose the next one (new root keys, threshold, online
// key), count whose signatures it carries, and apply it once both the current root's threshold and its
// own are met: the TUF chain (version N+1, signed by N and by N+1), checked here before it is stored.

import type { Metadata, Root } from '@tufjs/models';
import { McpLockError } from '../../errors.ts';
import type { RegistryStore } from '../ports.ts';
import {
  addSignatures,
  buildRoot,
  expiresAt,
  metadataBytes,
  parseRoot,
  type TufExpiries,
  type TufPublicKey,
  type TufSigner,
} from './metadata.ts';
import type { TufRepository } from './repository.ts';

export interface RootSignatureStatus {
  version: number;
  /** Valid signatures by keys of the root it must chain from (for version 1: itself). */
  previous: { signed: number; threshold: number };
  own: { signed: number; threshold: number };
  complete: boolean;
}

/** How many of `trusting`'s root keys validly signed `candidate`; each key counts once. */
export function countRootSignatures(trusting: Root, candidate: Metadata<Root>): number {
  const role = trusting.roles.root;
  if (!role) return 0;
  let count = 0;
  for (const id of new Set(role.keyIDs)) {
    const key = trusting.keys[id];
    if (!key || !candidate.signatures[id]) continue;
    try {
      key.verifySignature(candidate);
      count++;
    } catch {
      // not a valid signature by this key
    }
  }
  return count;
}

export function rootSignatureStatus(
  current: Metadata<Root> | undefined,
  candidate: Metadata<Root>,
): RootSignatureStatus {
  const base = current?.signed ?? candidate.signed;
  const previous = { signed: countRootSignatures(base, candidate), threshold: base.roles.root?.threshold ?? 1 };
  const own = {
    signed: countRootSignatures(candidate.signed, candidate),
    threshold: candidate.signed.roles.root?.threshold ?? 1,
  };
  return {
    version: candidate.signed.version,
    previous,
    own,
    complete: previous.signed >= previous.threshold && own.signed >= own.threshold,
  };
}

export interface RootInit {
  rootKeys: readonly TufPublicKey[];
  rootThreshold: number;
  online: TufPublicKey;
  expiries: TufExpiries;
  now: Date;
}

/** An unsigned root one version after `current` (version 1 without one). */
export function proposeRoot(current: Metadata<Root> | undefined, plan: RootInit): Metadata<Root> {
  return buildRoot({
    version: (current?.signed.version ?? 0) + 1,
    expires: expiresAt(plan.now, plan.expiries.root),
    rootKeys: plan.rootKeys,
    rootThreshold: plan.rootThreshold,
    onlineKeys: [plan.online],
  });
}

/** Add signatures to a proposed root; a key that is no root key of it or of the current root is refused. */
export function signRoot(
  current: Metadata<Root> | undefined,
  candidate: Metadata<Root>,
  signers: readonly TufSigner[],
): void {
  const allowed = new Set([
    ...(current?.signed.roles.root?.keyIDs ?? []),
    ...(candidate.signed.roles.root?.keyIDs ?? []),
  ]);
  for (const signer of signers) {
    if (!allowed.has(signer.keyId)) {
      throw new McpLockError(
        'USAGE',
        `the key ${signer.keyId.slice(0, 16)}… is not a root key of this root or the current one`,
        {
          hint: 'Sign with a key the current root lists, or one the proposed root adds.',
        },
      );
    }
  }
  addSignatures(candidate, signers);
}

/** The newest stored root, if the registry has one. */
export async function currentRoot(store: RegistryStore): Promise<Metadata<Root> | undefined> {
  const bytes = await store.getTufMetadata('root');
  return bytes ? parseRoot(bytes, 'the stored TUF root') : undefined;
}

/**
 * Store `candidate` as the next root, when it chains from the current one, then re-sign targets,
 * snapshot and timestamp (when the repository's online key is the one the new root trusts).
 */
export async function applyRoot(
  store: RegistryStore,
  candidate: Metadata<Root>,
  repository?: TufRepository,
): Promise<RootSignatureStatus> {
  return store.transaction(async (tx) => {
    const bytes = await tx.getTufMetadata('root');
    const current = bytes ? parseRoot(bytes, 'the stored TUF root') : undefined;
    const expected = (current?.signed.version ?? 0) + 1;
    if (candidate.signed.version !== expected) {
      throw new McpLockError(
        'CONFLICT',
        `this root is version ${candidate.signed.version}; the next root is ${expected}`,
        {
          hint: 'Propose a new root from the current one with `mcp-lock registry keys rotate`.',
        },
      );
    }
    const status = rootSignatureStatus(current, candidate);
    if (!status.complete) {
      throw new McpLockError(
        'SIGNATURE_INVALID',
        `root ${status.version} has ${status.previous.signed} of ${status.previous.threshold} signatures of the current root keys and ${status.own.signed} of ${status.own.threshold} of its own`,
        {
          hint: 'Add signatures with `mcp-lock registry keys sign-root <file> --root-key <key.pem>`.',
          data: { ...status },
        },
      );
    }
    await tx.putTufMetadata('root', candidate.signed.version, metadataBytes(candidate));
    if (repository) await repository.republish(tx);
    return status;
  });
}
