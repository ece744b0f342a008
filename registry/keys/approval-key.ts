// The registry's own signing key, used only to countersign approvals. Generated on first start into the
// data directory (ECDSA P-256, PKCS#8 PEM, mode 0600, created exclusively so two processes cannot each
// keep a different key), loaded on later starts. The private key is never logged or served.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createFileExclusive } from '../../adapters/fs/atomic-write.ts';
import {
  generateKeyPair,
  type KeyAlgorithm,
  keyIdOf,
  parsePrivateKey,
  publicPemOf,
} from '../../adapters/sigstore/keys.ts';
import { signWithKey } from '../../adapters/sigstore/sign.ts';
import { McpLockError } from '../../core/errors.ts';
import type { ApprovalSigner } from '../../core/registry/ports.ts';

export const APPROVAL_KEY_FILE = join('keys', 'approval-key.pem');

export interface LoadedApprovalKey {
  signer: ApprovalSigner;
  created: boolean;
}

function signerFor(privateKey: KeyObject): ApprovalSigner {
  const publicKeyPem = publicPemOf(privateKey);
  return {
    keyId: keyIdOf(createPublicKey(privateKey)),
    publicKeyPem,
    sign: (payload: Buffer) => signWithKey(payload, privateKey),
  };
}

/**
 * Load a private key file of a data directory, creating it (exclusively, mode 0600) on first use. A key
 * file other users may read is refused.
 */
export async function loadOrCreateKeyFile(
  dataDir: string,
  file: string,
  what: string,
  algorithm: KeyAlgorithm = 'ecdsa-p256',
): Promise<{ key: KeyObject; created: boolean }> {
  const path = join(dataDir, file);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let created = false;
  try {
    await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    created = await createFileExclusive(path, generateKeyPair(algorithm).privateKeyPem, 0o600);
  }
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    throw new McpLockError('STORAGE_ERROR', `${what} ${path} is readable by other users`, {
      hint: `Run chmod 600 ${path} (and check who may have read it).`,
    });
  }
  const pem = await readFile(path, 'utf8');
  return { key: parsePrivateKey(pem, what), created };
}

/** Load the approval key of a data directory, creating it on first use. */
export async function loadOrCreateApprovalKey(dataDir: string): Promise<LoadedApprovalKey> {
  const { key, created } = await loadOrCreateKeyFile(dataDir, APPROVAL_KEY_FILE, 'the registry approval key');
  return { signer: signerFor(key), created };
}
