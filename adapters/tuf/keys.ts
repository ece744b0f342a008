// TUF keys from PEM key pairs: the public key as root lists it, and a signer for @tufjs/models.
// Ed25519 (hex public key, the TUF default) or ECDSA P-256 (SPKI PEM, DER signatures over SHA-256).

import { createPublicKey, type KeyObject, sign } from 'node:crypto';
import { type TufPublicKey, type TufSigner, tufKeyId } from '../../core/registry/tuf/metadata.ts';
import { parsePrivateKey } from '../sigstore/keys.ts';

export function tufPublicKeyOf(key: KeyObject): TufPublicKey {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType === 'ed25519') {
    const jwk = publicKey.export({ format: 'jwk' });
    return { keytype: 'ed25519', scheme: 'ed25519', public: Buffer.from(jwk.x!, 'base64url').toString('hex') };
  }
  return {
    keytype: 'ecdsa',
    scheme: 'ecdsa-sha2-nistp256',
    public: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function tufSignerOf(privateKey: KeyObject): TufSigner {
  const publicKey = tufPublicKeyOf(privateKey);
  const algorithm = publicKey.keytype === 'ed25519' ? null : 'sha256';
  return {
    keyId: tufKeyId(publicKey),
    publicKey,
    sign: (data) => sign(algorithm, data, privateKey).toString('hex'),
  };
}

/** A signer from a PEM private key file's text (what `registry keys init` writes). */
export function tufSignerFromPem(pem: string, what: string): TufSigner {
  return tufSignerOf(parsePrivateKey(pem, what));
}
