// Any single byte of a signed manifest file changed must fail what `verify-manifest` runs: either the file
// no longer reads as a manifest (bad input) or the check fails (verification) — never a pass. Benign
// twins: the same manifest re-formatted still verifies.

import { describe, expect, it } from 'vitest';
import { generateKeyPair, parsePrivateKey } from '../../../adapters/sigstore/keys.ts';
import { signWithKey } from '../../../adapters/sigstore/sign.ts';
import { verifyBundle } from '../../../adapters/sigstore/verify.ts';
import { buildStatement, statementBytes, verifyStatement } from '../../../core/attestation/statement.ts';
import { isMcpLockError } from '../../../core/errors.ts';
import { formatManifest, parseManifest } from '../../../core/manifest/manifest.ts';
import { remoteManifest } from '../../helpers/synthetic.ts';

const pair = generateKeyPair('ecdsa-p256');
const manifest = remoteManifest('a');
const bundle = await signWithKey(
  statementBytes(buildStatement(manifest, 'publisher')),
  parsePrivateKey(pair.privateKeyPem),
);

/** The verify-manifest pipeline on raw manifest bytes: 'ok', or the category of the error. */
function outcome(bytes: Uint8Array): string {
  try {
    const parsed = parseManifest(bytes);
    const verified = verifyBundle(bundle, { keys: [{ publicKey: pair.publicKeyPem }] });
    verifyStatement(verified.payload, verified.payloadType, parsed, 'publisher');
    return 'ok';
  } catch (error) {
    if (!isMcpLockError(error)) throw error;
    return error.category;
  }
}

describe('every byte of a signed manifest file', () => {
  const file = Buffer.from(formatManifest(manifest), 'utf8');

  it('benign twins: the file as written, compact, and re-indented all verify', () => {
    expect(outcome(file)).toBe('ok');
    expect(outcome(Buffer.from(JSON.stringify(manifest)))).toBe('ok');
    expect(outcome(Buffer.from(JSON.stringify(manifest, null, '\t')))).toBe('ok');
  });

  it('fails for every single-byte change (bit 0 or bit 5 flipped), as bad input or failed verification', () => {
    const seen = new Set<string>();
    for (const mask of [0x01, 0x20]) {
      for (let i = 0; i < file.length; i++) {
        const changed = Buffer.from(file);
        changed[i]! ^= mask;
        const result = outcome(changed);
        expect(result, `byte ${i} ^ ${mask}`).not.toBe('ok');
        expect(['usage', 'verification'], `byte ${i} ^ ${mask}`).toContain(result);
        seen.add(result);
      }
    }
    // Both kinds occur: syntax breaks are bad input, content changes fail verification.
    expect([...seen].sort()).toEqual(['usage', 'verification']);
  });
});
