// Produce Sigstore bundles (v0.3, DSSE around an in-toto statement) with a local key or keyless
// (OIDC identity token → Fulcio certificate, Rekor entry, optional RFC 3161 timestamp).

import { createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, type Signer, TSAWitness, type Witness } from '@sigstore/sign';
import { IN_TOTO_PAYLOAD_TYPE } from '../../core/attestation/statement.ts';
import { McpLockError } from '../../core/errors.ts';
import { keyIdOf } from './keys.ts';

export type { SerializedBundle } from '@sigstore/bundle';

function localSigner(privateKey: KeyObject): Signer {
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const hint = keyIdOf(publicKey);
  // Ed25519 signs the message itself (no digest); ECDSA P-256 signs its SHA-256 (DER signature).
  const algorithm = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return {
    async sign(data: Buffer) {
      return {
        signature: cryptoSign(algorithm, data, privateKey),
        key: { $case: 'publicKey', publicKey: publicKeyPem, hint },
      };
    },
  };
}

/** Sign `payload` (an in-toto statement) with a local key; no transparency log, no timestamp. */
export async function signWithKey(payload: Buffer, privateKey: KeyObject): Promise<SerializedBundle> {
  const builder = new DSSEBundleBuilder({ signer: localSigner(privateKey), witnesses: [] });
  const bundle = await builder.create({ data: payload, type: IN_TOTO_PAYLOAD_TYPE });
  return bundleToJSON(bundle);
}

export interface KeylessOptions {
  identityToken: string;
  fulcioURL: string;
  rekorURL: string;
  /** Full URL of the RFC 3161 endpoint (…/api/v1/timestamp); optional. */
  tsaURL?: string;
  timeoutMs?: number;
}

/** Sign keyless: a short-lived Fulcio certificate for the OIDC identity, logged in Rekor. */
export async function signKeyless(payload: Buffer, options: KeylessOptions): Promise<SerializedBundle> {
  const timeout = options.timeoutMs ?? 30_000;
  const signer = new FulcioSigner({
    fulcioBaseURL: options.fulcioURL,
    identityProvider: { getToken: async () => options.identityToken },
    timeout,
    retry: 0,
  });
  const witnesses: Witness[] = [
    new RekorWitness({ rekorBaseURL: options.rekorURL, entryType: 'dsse', timeout, retry: 0 }),
  ];
  if (options.tsaURL) witnesses.push(new TSAWitness({ tsaBaseURL: options.tsaURL, timeout, retry: 0 }));
  try {
    const bundle = await new DSSEBundleBuilder({ signer, witnesses }).create({
      data: payload,
      type: IN_TOTO_PAYLOAD_TYPE,
    });
    return bundleToJSON(bundle);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new McpLockError('NETWORK_ERROR', `keyless signing failed: ${message}`, {
      hint: 'Check the identity token and the Fulcio, Rekor and TSA URLs.',
      cause: error,
    });
  }
}
