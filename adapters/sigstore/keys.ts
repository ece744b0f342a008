// Signing keys: ECDSA P-256 (default) or Ed25519, as PEM. A key's id is the hex SHA-256 of its SPKI DER,
// which is also the hint a Sigstore bundle carries, so a bundle names the key that verifies it.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { McpLockError } from '../../core/errors.ts';

export type KeyAlgorithm = 'ecdsa-p256' | 'ed25519';

export interface KeyPairPem {
  algorithm: KeyAlgorithm;
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

export function generateKeyPair(algorithm: KeyAlgorithm = 'ecdsa-p256'): KeyPairPem {
  const pair =
    algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    algorithm,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
    keyId: keyIdOf(pair.publicKey),
  };
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function checkAlgorithm(key: KeyObject, what: string): void {
  const ok =
    key.asymmetricKeyType === 'ed25519' ||
    (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1');
  if (!ok) {
    throw new McpLockError(
      'KEY_INVALID',
      `${what} is ${key.asymmetricKeyType ?? 'unknown'}; only ECDSA P-256 and Ed25519 are accepted`,
      {
        hint: 'Create a key with `mcp-lock keygen`.',
      },
    );
  }
}

export function parsePrivateKey(pem: string, what = 'the private key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new McpLockError('KEY_INVALID', `${what} is not a PEM private key`, {
      hint: 'Pass the private key written by `mcp-lock keygen` (an unencrypted PKCS#8 PEM).',
      cause: error,
    });
  }
  checkAlgorithm(key, what);
  return key;
}

export function parsePublicKey(pem: string, what = 'the public key'): KeyObject {
  if (!/^-----BEGIN PUBLIC KEY-----/.test(pem.trimStart())) {
    throw new McpLockError('KEY_INVALID', `${what} is not a PEM public key`, {
      hint: 'Pass the .pub.pem file written by `mcp-lock keygen` (SPKI PEM, "BEGIN PUBLIC KEY").',
    });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new McpLockError('KEY_INVALID', `${what} is not a valid public key`, { cause: error });
  }
  checkAlgorithm(key, what);
  return key;
}

/** The public half of a private key, as SPKI PEM. */
export function publicPemOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}
