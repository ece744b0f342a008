// Who may sign for a namespace: registered public keys, or exact keyless identities (OIDC subject plus
// issuer). A publish verifies only against the signers of its own namespace.

import { sha256Hex } from '../canonical/digest.ts';
import { McpLockError } from '../errors.ts';
import { assertNamespace } from './names.ts';
import type { BundleTrust } from './ports.ts';
import type { SignerRecord, SignerRef } from './records.ts';

const KEY_ID = /^[0-9a-f]{64}$/;

function checkText(value: string, what: string): void {
  if (value.length === 0 || value.length > 2048 || /[\u0000-\u001f\u007f-\u009f]/.test(value)) {
    throw new McpLockError('USAGE', `${what} must be 1 to 2048 characters without control characters`);
  }
}

export function keySigner(input: {
  namespace: string;
  keyId: string;
  publicKey: string;
  label?: string;
  now: string;
}): SignerRecord {
  assertNamespace(input.namespace);
  if (!KEY_ID.test(input.keyId)) throw new McpLockError('KEY_INVALID', 'a key id is 64 hex digits');
  return {
    id: input.keyId,
    namespace: input.namespace,
    type: 'key',
    keyId: input.keyId,
    publicKey: input.publicKey,
    label: input.label ?? '',
    addedAt: input.now,
  };
}

export function keylessSigner(input: {
  namespace: string;
  identity: string;
  issuer: string;
  label?: string;
  now: string;
}): SignerRecord {
  assertNamespace(input.namespace);
  checkText(input.identity, 'the identity');
  checkText(input.issuer, 'the issuer');
  if (!/^https?:\/\/[^\s]+$/.test(input.issuer)) {
    throw new McpLockError('USAGE', 'the issuer must be the exact OIDC issuer URL', {
      hint: 'For GitHub Actions: https://token.actions.githubusercontent.com',
    });
  }
  return {
    id: keylessSignerId(input.identity, input.issuer),
    namespace: input.namespace,
    type: 'keyless',
    identity: input.identity,
    issuer: input.issuer,
    label: input.label ?? '',
    addedAt: input.now,
  };
}

export function keylessSignerId(identity: string, issuer: string): string {
  return sha256Hex(`${identity}\n${issuer}`);
}

/** The trust policy for a namespace's bundles. */
export function trustFor(signers: readonly SignerRecord[]): BundleTrust {
  const trust: BundleTrust = { keys: [], identities: [] };
  for (const s of signers) {
    if (s.type === 'key') trust.keys.push({ keyId: s.keyId, publicKey: s.publicKey });
    else trust.identities.push({ identity: s.identity, issuer: s.issuer });
  }
  return trust;
}

/** The signer a verified bundle names, as stored with the version (no key material, just the reference). */
export function signerRef(
  signer: { type: 'key'; keyId: string; publicKey?: string } | { type: 'keyless'; identity: string; issuer: string },
): SignerRef {
  return signer.type === 'key'
    ? { type: 'key', keyId: signer.keyId, ...(signer.publicKey ? { publicKey: signer.publicKey } : {}) }
    : { type: 'keyless', identity: signer.identity, issuer: signer.issuer };
}
