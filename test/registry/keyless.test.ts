// Keyless publishers: a namespace registers an exact OIDC identity and issuer; a bundle signed keyless
// (Fulcio certificate, Rekor entry, from the loopback Sigstore fake) is accepted only for that identity.

import { afterAll, beforeAll, expect, test } from 'vitest';
import { signKeyless } from '../../adapters/sigstore/sign.ts';
import { buildStatement, statementBytes } from '../../core/attestation/statement.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { addSigner } from '../../core/registry/admin.ts';
import { keylessSigner } from '../../core/registry/signers.ts';
import { type FakeSigstore, mintIdentityToken, startFakeSigstore } from '../helpers/fake-sigstore/start.ts';
import { makeRegistry, publish, syntheticManifest, type TestRegistry } from './helpers.ts';

const IDENTITY = 'https://github.com/acme/weather/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

let fake: FakeSigstore;
let reg: TestRegistry;

beforeAll(async () => {
  fake = await startFakeSigstore();
  reg = await makeRegistry({ trustedRoot: fake.trustedRoot });
  await addSigner(
    reg.store,
    keylessSigner({ namespace: 'io.github.acme', identity: IDENTITY, issuer: ISSUER, now: new Date().toISOString() }),
  );
}, 60_000);
afterAll(async () => {
  await reg?.close();
  await fake?.stop();
});

function signAs(manifest: McpLockManifest, identity: string, issuer = ISSUER) {
  return signKeyless(statementBytes(buildStatement(manifest, 'publisher')), {
    identityToken: mintIdentityToken({ iss: issuer, sub: identity }),
    fulcioURL: fake.fulcioURL,
    rekorURL: fake.rekorURL,
  });
}

test('a keyless bundle from the registered identity is accepted and recorded as a keyless signer', async () => {
  const manifest = syntheticManifest({ name: 'io.github.acme/keyless', version: '1.0.0' });
  const res = await publish(reg, manifest, { bundle: signAs(manifest, IDENTITY) });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().version.signer).toEqual({ type: 'keyless', identity: IDENTITY, issuer: ISSUER });
});

test('another identity, a prefix of it, or another issuer is refused', async () => {
  const manifest = syntheticManifest({ name: 'io.github.acme/keyless', version: '1.0.1' });
  for (const [identity, issuer] of [
    ['https://github.com/evil/weather/.github/workflows/release.yml@refs/heads/main', ISSUER],
    [IDENTITY.slice(0, -5), ISSUER],
    [IDENTITY, 'https://accounts.google.com'],
  ] as const) {
    const res = await publish(reg, manifest, { bundle: signAs(manifest, identity, issuer) });
    expect(res.statusCode, `${identity} ${issuer}`).toBe(422);
    expect(res.json().error.code).toBe('SIGNER_UNTRUSTED');
  }
  expect(await reg.store.getVersion('io.github.acme/keyless', '1.0.1')).toBeUndefined();
});
