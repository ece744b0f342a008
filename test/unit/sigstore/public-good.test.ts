// Interop with the real Sigstore public-good instance: bundles produced by sigstore-js against the real
// Fulcio/Rekor (v0.1 to v0.3, dsse and intoto log entries, with and without inclusion proofs) verify fully
// offline with the pinned trusted root and the exact identity in their certificate, and with nothing else.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBundle, publicGoodTrustedRoot, verifyBundle } from '../../../adapters/sigstore/verify.ts';
import { errorCategory } from '../../../core/errors.ts';
import { expectCode } from '../../helpers/expect-code.ts';

const DIR = new URL('../../fixtures/sigstore-public-good/', import.meta.url);
const IDENTITY = 'brian@dehamer.com';
const ISSUER = 'https://github.com/login/oauth';

const trustedRoot = JSON.parse(readFileSync(new URL('public-good-trusted_root.json', DIR), 'utf8'));
const statement = JSON.parse(readFileSync(new URL('statement.json', DIR), 'utf8'));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.sigstore'))
  .sort();

describe('public-good bundles, verified offline', () => {
  it('has the nine fixture bundles', () => {
    expect(files).toHaveLength(9);
  });

  it('pins the same trusted root as the fixture', () => {
    expect(publicGoodTrustedRoot()).toEqual(trustedRoot);
  });

  for (const file of files) {
    describe(file, () => {
      const { json } = parseBundle(readFileSync(new URL(file, DIR)), file);
      const exact = { identity: IDENTITY, issuer: ISSUER };

      it('verifies with the pinned trusted root and the exact identity and issuer', () => {
        const verified = verifyBundle(json, { identities: [exact], trustedRoot });
        expect(verified.signer).toEqual({ type: 'keyless', identity: IDENTITY, issuer: ISSUER });
        expect(verified.payloadType).toBe('application/vnd.in-toto+json');
        expect(JSON.parse(verified.payload.toString('utf8'))).toEqual(statement);
        // The default trust root is the pinned public-good one.
        expect(verifyBundle(json, { identities: [exact] }).signer).toEqual(verified.signer);
        // Benign twin: other trusted identities alongside the right one do not matter.
        const many = [{ identity: 'someone@example.com', issuer: ISSUER }, exact];
        expect(verifyBundle(json, { identities: many, trustedRoot }).signer).toEqual(verified.signer);
      });

      it('fails with any other identity or issuer (SIGNER_UNTRUSTED)', () => {
        const wrong = [
          { identity: 'someone@example.com', issuer: ISSUER },
          { identity: 'BRIAN@dehamer.com', issuer: ISSUER },
          { identity: 'brian@dehamer.co', issuer: ISSUER },
          { identity: 'rian@dehamer.com', issuer: ISSUER },
          { identity: 'brian@dehamer.com ', issuer: ISSUER },
          { identity: '.*', issuer: ISSUER },
          { identity: 'brian@dehamer\\.com', issuer: ISSUER },
          { identity: '', issuer: ISSUER },
          { identity: IDENTITY, issuer: 'https://accounts.google.com' },
          { identity: IDENTITY, issuer: 'https://github.com/login/oauth/' },
          { identity: IDENTITY, issuer: 'https://github.com/login' },
          { identity: IDENTITY, issuer: '.*' },
          { identity: IDENTITY, issuer: '' },
        ];
        for (const identity of wrong) {
          const error = expectCode(
            () => verifyBundle(json, { identities: [identity], trustedRoot }),
            'SIGNER_UNTRUSTED',
          );
          expect(error.message).toContain(IDENTITY);
        }
        expectCode(() => verifyBundle(json, { identities: [], trustedRoot }), 'SIGNER_UNTRUSTED');
        expectCode(() => verifyBundle(json, { trustedRoot }), 'SIGNER_UNTRUSTED');
      });

      it('fails against a trust root that does not hold the public-good CA and logs', () => {
        const empty = { ...trustedRoot, certificateAuthorities: [], tlogs: [], ctlogs: [], timestampAuthorities: [] };
        let thrown: unknown;
        try {
          verifyBundle(json, { identities: [exact], trustedRoot: empty });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeDefined();
        expect(errorCategory((thrown as { code: never }).code)).toBe('verification');
      });

      it('fails when the signed payload is altered (SIGNATURE_INVALID)', () => {
        const tampered = structuredClone(json) as { dsseEnvelope: { payload: string } };
        const payload = Buffer.from(tampered.dsseEnvelope.payload, 'base64');
        payload[payload.length - 2]! ^= 0x01;
        tampered.dsseEnvelope.payload = payload.toString('base64');
        expectCode(() => verifyBundle(tampered, { identities: [exact], trustedRoot }), 'SIGNATURE_INVALID');
      });
    });
  }
});
