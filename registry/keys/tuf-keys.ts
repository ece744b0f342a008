// The registry's TUF keys on disk. The online key (targets, snapshot, timestamp) lives in the data
// directory and is loaded by the server. Root keys belong offline (`registry keys init --root-key-dir`);
// only when `registry serve` starts on a data directory without a root does it make one itself, with a
// root key in the data directory, and say so.

import { join } from 'node:path';
import type { Metadata, Root } from '@tufjs/models';
import { tufSignerOf } from '../../adapters/tuf/keys.ts';
import type { RegistryStore } from '../../core/registry/ports.ts';
import type { TufExpiries, TufSigner } from '../../core/registry/tuf/metadata.ts';
import { TufRepository } from '../../core/registry/tuf/repository.ts';
import { applyRoot, currentRoot, proposeRoot, signRoot } from '../../core/registry/tuf/root-admin.ts';
import { loadOrCreateKeyFile } from './approval-key.ts';

export const TUF_ONLINE_KEY_FILE = join('keys', 'tuf-online.pem');
/** Where `registry serve` keeps a root key it made itself (move it offline: see `registry keys`). */
export const TUF_LOCAL_ROOT_KEY_FILE = join('keys', 'tuf-root.pem');

export async function loadOnlineSigner(dataDir: string): Promise<{ signer: TufSigner; created: boolean }> {
  const { key, created } = await loadOrCreateKeyFile(dataDir, TUF_ONLINE_KEY_FILE, 'the TUF online key', 'ed25519');
  return { signer: tufSignerOf(key), created };
}

export interface InitRootOptions {
  rootSigners: readonly TufSigner[];
  threshold: number;
  online: TufSigner;
  expiries: TufExpiries;
  now: Date;
}

/** Root version 1, signed by every root key, then the first targets, snapshot and timestamp. */
export async function initRoot(store: RegistryStore, options: InitRootOptions): Promise<Metadata<Root>> {
  const root = proposeRoot(undefined, {
    rootKeys: options.rootSigners.map((s) => s.publicKey),
    rootThreshold: options.threshold,
    online: options.online.publicKey,
    expiries: options.expiries,
    now: options.now,
  });
  signRoot(undefined, root, options.rootSigners);
  await applyRoot(store, root, new TufRepository({ online: options.online, expiries: options.expiries }));
  return root;
}

/**
 * What `registry serve` does on start: load the online key; when the store has no root yet, make one
 * with a root key in the data directory. Returns the repository the service signs with.
 */
export async function openTufRepository(
  store: RegistryStore,
  dataDir: string,
  expiries: TufExpiries,
): Promise<{ repository: TufRepository; createdRoot: boolean }> {
  const { signer: online } = await loadOnlineSigner(dataDir);
  const repository = new TufRepository({ online, expiries });
  if (await currentRoot(store)) return { repository, createdRoot: false };
  const { key } = await loadOrCreateKeyFile(dataDir, TUF_LOCAL_ROOT_KEY_FILE, 'the TUF root key', 'ed25519');
  try {
    await initRoot(store, { rootSigners: [tufSignerOf(key)], threshold: 1, online, expiries, now: new Date() });
  } catch (error) {
    // Another process made the root first: use theirs.
    if (!(await currentRoot(store))) throw error;
    return { repository, createdRoot: false };
  }
  return { repository, createdRoot: true };
}
