// Keyless signing over real HTTP: a fake Fulcio/Rekor/TSA runs in another process on 127.0.0.1, signKeyless
// gets a certificate for an OIDC identity, logs the DSSE envelope and timestamps it, and verifyBundle checks
// it offline against the fake's own trusted root with an exact identity and issuer.

import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signKeyless } from '../../adapters/sigstore/sign.ts';
import { verifyBundle } from '../../adapters/sigstore/verify.ts';
import { buildStatement, statementBytes, verifyStatement } from '../../core/attestation/statement.ts';
import { errorCategory } from '../../core/errors.ts';
import { expectCode, expectCodeAsync } from '../helpers/expect-code.ts';
import { type FakeSigstore, mintIdentityToken, startFakeSigstore } from '../helpers/fake-sigstore/start.ts';
import { remoteManifest } from '../helpers/synthetic.ts';

const IDENTITY = 'https://github.com/acme/weather/.github/workflows/release.yml@refs/tags/v1.0.0';
const ISSUER = 'https://token.actions.githubusercontent.com';
const manifest = remoteManifest('a');
const payload = statementBytes(buildStatement(manifest, 'publisher'));

let fake: FakeSigstore;

function signAs(identity = IDENTITY, issuer = ISSUER, data = payload) {
  return signKeyless(data, {
    identityToken: mintIdentityToken({ iss: issuer, sub: identity }),
    fulcioURL: fake.fulcioURL,
    rekorURL: fake.rekorURL,
    tsaURL: fake.tsaURL,
  });
}

beforeAll(async () => {
  fake = await startFakeSigstore();
});
afterAll(async () => {
  await fake?.stop();
});

describe('keyless signing against a loopback Fulcio/Rekor/TSA in another process', () => {
  it('signs and verifies five times in a row (certificate, Rekor dsse entry, RFC 3161 timestamp)', async () => {
    for (let i = 0; i < 5; i++) {
      const bundle = await signAs();
      expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(bundle.verificationMaterial.certificate?.rawBytes).toBeTruthy();
      expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
      expect(bundle.verificationMaterial.tlogEntries?.[0]?.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
      expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
      const verified = verifyBundle(bundle, {
        identities: [{ identity: IDENTITY, issuer: ISSUER }],
        trustedRoot: fake.trustedRoot,
      });
      expect(verified.signer).toEqual({ type: 'keyless', identity: IDENTITY, issuer: ISSUER });
      expect(verified.payload.equals(payload)).toBe(true);
      expect(verifyStatement(verified.payload, verified.payloadType, manifest, 'publisher')).toMatchObject({
        server: manifest.server.name,
      });
    }
  });

  describe('one signature, many policies', () => {
    let bundle: Awaited<ReturnType<typeof signAs>>;
    beforeAll(async () => {
      bundle = await signAs();
    });
    const verifyAs = (identity: string, issuer: string) =>
      verifyBundle(bundle, { identities: [{ identity, issuer }], trustedRoot: fake.trustedRoot });

    it('requires the exact identity and issuer: prefixes, suffixes, patterns and other issuers fail', () => {
      const wrong: [string, string][] = [
        [IDENTITY.slice(0, -1), ISSUER],
        [IDENTITY.slice(0, IDENTITY.indexOf('@')), ISSUER],
        ['https://github.com/acme/', ISSUER],
        [IDENTITY.slice(1), ISSUER],
        [IDENTITY.slice(IDENTITY.indexOf('/.github')), ISSUER],
        [`${IDENTITY}x`, ISSUER],
        [`${IDENTITY}/`, ISSUER],
        ['.*', ISSUER],
        ['https://github.com/acme/.*', ISSUER],
        ['^https://github\\.com/acme/weather/.*$', ISSUER],
        [IDENTITY.toUpperCase(), ISSUER],
        ['', ISSUER],
        [IDENTITY, 'https://accounts.google.com'],
        [IDENTITY, 'https://token.actions.githubusercontent.co'],
        [IDENTITY, `${ISSUER}/`],
        [IDENTITY, 'https://token.actions'],
        [IDENTITY, '.*'],
        [IDENTITY, ''],
        [ISSUER, IDENTITY],
      ];
      for (const [identity, issuer] of wrong) {
        const error = expectCode(() => verifyAs(identity, issuer), 'SIGNER_UNTRUSTED');
        expect(error.data).toEqual({ identity: IDENTITY, issuer: ISSUER });
      }
      // Benign twin: the exact pair passes, also among others.
      expect(verifyAs(IDENTITY, ISSUER).signer.type).toBe('keyless');
      const several = verifyBundle(bundle, {
        identities: [
          { identity: 'https://github.com/evil/x', issuer: ISSUER },
          { identity: IDENTITY, issuer: ISSUER },
        ],
        trustedRoot: fake.trustedRoot,
      });
      expect(several.signer).toEqual({ type: 'keyless', identity: IDENTITY, issuer: ISSUER });
    });

    it('rejects a keyless bundle when only keys or no identities are trusted (SIGNER_UNTRUSTED)', () => {
      expectCode(() => verifyBundle(bundle, { identities: [], trustedRoot: fake.trustedRoot }), 'SIGNER_UNTRUSTED');
      expectCode(() => verifyBundle(bundle, { trustedRoot: fake.trustedRoot }), 'SIGNER_UNTRUSTED');
    });

    it('fails against the public-good root (the default) and against another fake instance’s root', async () => {
      const exact = [{ identity: IDENTITY, issuer: ISSUER }];
      const other = await startFakeSigstore();
      try {
        for (const trustedRoot of [undefined, other.trustedRoot]) {
          let thrown: { code?: never; data?: Record<string, unknown> } | undefined;
          try {
            verifyBundle(bundle, { identities: exact, trustedRoot });
          } catch (error) {
            thrown = error as typeof thrown;
          }
          expect(thrown?.code).toBe('SIGNATURE_INVALID');
          expect(errorCategory(thrown!.code!)).toBe('verification');
          // Neither the fake's TSA and Rekor nor its CA are in that root; whichever is checked first fails.
          expect(['TIMESTAMP_ERROR', 'CERTIFICATE_ERROR']).toContain(thrown?.data?.sigstoreCode);
        }
      } finally {
        await other.stop();
      }
    });

    it('fails when the payload is altered, or the transparency log entry is removed', () => {
      const tampered = structuredClone(bundle);
      const bytes = Buffer.from(tampered.dsseEnvelope!.payload, 'base64');
      bytes[10]! ^= 0x01;
      tampered.dsseEnvelope!.payload = bytes.toString('base64');
      expectCode(
        () =>
          verifyBundle(tampered, {
            identities: [{ identity: IDENTITY, issuer: ISSUER }],
            trustedRoot: fake.trustedRoot,
          }),
        'SIGNATURE_INVALID',
      );
      const unlogged = structuredClone(bundle);
      unlogged.verificationMaterial.tlogEntries = [];
      expectCode(
        () =>
          verifyBundle(unlogged, {
            identities: [{ identity: IDENTITY, issuer: ISSUER }],
            trustedRoot: fake.trustedRoot,
          }),
        'SIGNATURE_INVALID',
      );
    });

    it('binds to the manifest: another manifest or the approval role fails (SUBJECT_MISMATCH)', () => {
      const verified = verifyAs(IDENTITY, ISSUER);
      expectCode(
        () => verifyStatement(verified.payload, verified.payloadType, remoteManifest('b'), 'publisher'),
        'SUBJECT_MISMATCH',
      );
      expectCode(
        () => verifyStatement(verified.payload, verified.payloadType, manifest, 'approval'),
        'SUBJECT_MISMATCH',
      );
    });
  });

  it('signs a different identity and issuer into the certificate', async () => {
    const bundle = await signAs(
      'https://gitlab.com/acme/weather//.gitlab-ci.yml@refs/heads/main',
      'https://gitlab.com',
    );
    const verified = verifyBundle(bundle, {
      identities: [
        { identity: 'https://gitlab.com/acme/weather//.gitlab-ci.yml@refs/heads/main', issuer: 'https://gitlab.com' },
      ],
      trustedRoot: fake.trustedRoot,
    });
    expect(verified.signer).toEqual({
      type: 'keyless',
      identity: 'https://gitlab.com/acme/weather//.gitlab-ci.yml@refs/heads/main',
      issuer: 'https://gitlab.com',
    });
    expectCode(
      () =>
        verifyBundle(bundle, { identities: [{ identity: IDENTITY, issuer: ISSUER }], trustedRoot: fake.trustedRoot }),
      'SIGNER_UNTRUSTED',
    );
  });

  it('reports an unreachable Fulcio as NETWORK_ERROR (could not sign)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const error = await expectCodeAsync(
      () =>
        signKeyless(payload, {
          identityToken: mintIdentityToken({ iss: ISSUER, sub: IDENTITY }),
          fulcioURL: `http://127.0.0.1:${closed}/fulcio`,
          rekorURL: fake.rekorURL,
          timeoutMs: 5_000,
        }),
      'NETWORK_ERROR',
    );
    expect(error.category).toBe('unverifiable');
  });
});
