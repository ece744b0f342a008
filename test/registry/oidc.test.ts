// Publishing from CI with an OIDC ID token: a loopback issuer (JWKS over HTTP) signs tokens; the
// registry verifies them with jose and maps repository_owner to io.github.<owner>. A valid token
// publishes; expired, wrong-audience, unknown-issuer, other-owner and replayed-after-expiry tokens are
// refused with 401/403 and a code, and nothing is stored.

import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { joseVerifier } from '../../adapters/oidc/verify.ts';
import { signKeyless } from '../../adapters/sigstore/sign.ts';
import { buildStatement, statementBytes } from '../../core/attestation/statement.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { addSigner } from '../../core/registry/admin.ts';
import type { OidcIssuer } from '../../core/registry/oidc.ts';
import type { OidcIdentityMode } from '../../core/registry/oidc-identity.ts';
import { keylessSigner } from '../../core/registry/signers.ts';
import { type FakeSigstore, mintIdentityToken, startFakeSigstore } from '../helpers/fake-sigstore/start.ts';
import {
  bearer,
  json,
  makeRegistry,
  publishBody,
  registerPublisherKey,
  sign,
  syntheticManifest,
  type TestRegistry,
} from './helpers.ts';

const AUDIENCE = 'https://registry.test';
let issuerServer: Server;
let issuerUrl: string;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let jwk: JWK;
let clock = Date.now();
let reg: TestRegistry;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    if (req.url === '/jwks')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
  issuerUrl = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => issuerServer.close(r));
});

function oidcRegistry(extra: { trustedRoot?: unknown; oidcIdentityRequired?: Record<string, OidcIdentityMode> } = {}) {
  const issuer: OidcIssuer = {
    issuer: issuerUrl,
    audience: AUDIENCE,
    jwksUrl: `${issuerUrl}/jwks`,
    rules: [{ claim: 'repository_owner', namespace: 'io.github.{value}' }],
  };
  return makeRegistry({
    ...extra,
    now: () => new Date(clock),
    oidc: { issuers: [issuer], verify: joseVerifier({ now: () => new Date(clock) }), random: (n) => randomBytes(n) },
  });
}

beforeEach(async () => {
  clock = Date.now();
  reg = await oidcRegistry();
});

afterEach(async () => {
  await reg.close();
});

async function idToken(
  claims: Record<string, unknown> = {},
  options: { iss?: string; aud?: string; expiresIn?: number } = {},
) {
  const now = Math.floor(clock / 1000);
  return new SignJWT({ repository_owner: 'acme', repository: 'acme/weather', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(options.iss ?? issuerUrl)
    .setAudience(options.aud ?? AUDIENCE)
    .setSubject('repo:acme/weather:ref:refs/heads/main')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300))
    .sign(privateKey);
}

const exchange = (token: string) =>
  reg.app.inject({ method: 'POST', url: '/mcp-lock/v1/auth/oidc', headers: json, payload: JSON.stringify({ token }) });

async function publishWith(token: string, manifest = syntheticManifest(), bundle?: unknown) {
  return reg.app.inject({
    method: 'POST',
    url: '/mcp-lock/v1/publish',
    headers: { ...json, ...bearer(token) },
    payload: publishBody(manifest, bundle ?? (await sign(manifest, reg.publisherKey))),
  });
}

async function refusedExchange(token: string, status: number, code: string) {
  const before = (await reg.store.listTokens()).length;
  const res = await exchange(token);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.code).toBe(code);
  expect((await reg.store.listTokens()).length).toBe(before);
  return res.json().error;
}

describe('OIDC publish sessions', () => {
  test('a valid token gives a short-lived session scoped to io.github.<owner> that publishes', async () => {
    const res = await exchange(await idToken());
    expect(res.statusCode, res.body).toBe(200);
    const session = res.json();
    expect(session.scopes).toEqual(['io.github.acme/*']);
    expect(Date.parse(session.expiresAt) - clock).toBe(15 * 60 * 1000);
    expect((await publishWith(session.token)).statusCode).toBe(201);
  });

  test('an expired token is 401 with the reason; nothing is stored', async () => {
    const error = await refusedExchange(await idToken({}, { expiresIn: -120 }), 401, 'UNAUTHENTICATED');
    expect(error.data.reason).toBe('ERR_JWT_EXPIRED');
  });

  test('a wrong audience is 401', async () => {
    const error = await refusedExchange(await idToken({}, { aud: 'https://another.registry' }), 401, 'UNAUTHENTICATED');
    expect(error.data.reason).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('an unknown issuer is 401, and a token signed by another key for our issuer is 401', async () => {
    await refusedExchange(await idToken({}, { iss: 'https://token.evil.example' }), 401, 'UNAUTHENTICATED');
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({ repository_owner: 'acme' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuerUrl)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(other.privateKey);
    await refusedExchange(forged, 401, 'UNAUTHENTICATED');
  });

  test('a token for another owner publishes nowhere else: 403, nothing stored', async () => {
    const res = await exchange(await idToken({ repository_owner: 'other' }));
    expect(res.json().scopes).toEqual(['io.github.other/*']);
    const publish = await publishWith(res.json().token);
    expect(publish.statusCode).toBe(403);
    expect(publish.json().error.code).toBe('FORBIDDEN');
    expect(await reg.store.getVersion('io.github.acme/weather', '1.0.0')).toBeUndefined();
  });

  test('a token without a usable owner claim maps to no namespace: 403', async () => {
    await refusedExchange(await idToken({ repository_owner: '../acme' }), 403, 'FORBIDDEN');
  });

  test('refused exchanges count against the failed-authentication budget: 429 past it', async () => {
    const unknown = await idToken({}, { iss: 'https://token.evil.example' });
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await exchange(unknown)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  test('a token replayed after it expired is 401, and the session it gave expires too', async () => {
    const token = await idToken({}, { expiresIn: 120 });
    const session = (await exchange(token)).json();
    clock += 16 * 60 * 1000; // past the token's expiry plus the allowed skew, and past the session
    await refusedExchange(token, 401, 'UNAUTHENTICATED');
    const late = await publishWith(session.token);
    expect(late.statusCode).toBe(401);
    expect(late.json().error.message).toMatch(/expired/);
  });
});

describe('a namespace that requires the publishing OIDC identity to have signed keyless', () => {
  const RELEASE = 'acme/weather/.github/workflows/release.yml@refs/heads/main';
  const OTHER = 'acme/weather/.github/workflows/nightly.yml@refs/heads/main';
  let fake: FakeSigstore;

  beforeAll(async () => {
    fake = await startFakeSigstore();
  }, 60_000);
  afterAll(async () => {
    await fake?.stop();
  });

  // io.github.acme: "all"; io.github.beta: "oidc-sessions"; io.github.other: no setting. Both workflows are
  // registered keyless signers of acme and beta, so a refusal is the identity rule, not the signer list.
  beforeEach(async () => {
    await reg.close();
    reg = await oidcRegistry({
      trustedRoot: fake.trustedRoot,
      oidcIdentityRequired: { 'io.github.acme': 'all', 'io.github.beta': 'oidc-sessions' },
    });
    for (const namespace of ['io.github.acme', 'io.github.beta']) {
      for (const ref of [RELEASE, OTHER]) {
        const identity = `https://github.com/${ref}`;
        await addSigner(
          reg.store,
          keylessSigner({ namespace, identity, issuer: issuerUrl, now: new Date().toISOString() }),
        );
      }
    }
    for (const namespace of ['io.github.beta', 'io.github.other']) {
      await registerPublisherKey(reg.store, reg.publisherKey, namespace);
    }
  });

  const session = async (owner: string, ref = RELEASE) =>
    (await exchange(await idToken({ repository_owner: owner, job_workflow_ref: ref }))).json().token as string;
  const keyless = (manifest: McpLockManifest, ref: string, iss = issuerUrl) =>
    signKeyless(statementBytes(buildStatement(manifest, 'publisher')), {
      identityToken: mintIdentityToken({ iss, sub: `https://github.com/${ref}` }),
      fulcioURL: fake.fulcioURL,
      rekorURL: fake.rekorURL,
    });

  async function refusedPublish(token: string, manifest: McpLockManifest, bundle: unknown, reason: string) {
    const res = await publishWith(token, manifest, bundle);
    expect(res.statusCode, res.body).toBe(403);
    const error = res.json().error;
    expect(error.code).toBe('FORBIDDEN');
    expect(error.data.reason).toBe(reason);
    expect(error.hint).toMatch(/--keyless/);
    expect(await reg.store.getVersion(manifest.server.name, manifest.server.version)).toBeUndefined();
    return error;
  }

  test('the session remembers the verified workflow identity, never the ID token', async () => {
    const id = await idToken({ job_workflow_ref: RELEASE });
    expect((await exchange(id)).statusCode).toBe(200);
    const stored = (await reg.store.listTokens()).find((t) => t.label.startsWith('oidc '));
    expect(stored?.oidcIdentity).toEqual({ issuer: issuerUrl, identity: `https://github.com/${RELEASE}` });
    expect(JSON.stringify(await reg.store.listTokens())).not.toContain(id.split('.')[2]);
  });

  test('a token whose claims name no usable identity gets no session (so no session escapes the rule)', async () => {
    await refusedExchange(await idToken({ job_workflow_ref: 'acme/weather' }), 401, 'UNAUTHENTICATED');
  });

  test('a bundle signed keyless by the publishing workflow publishes (201)', async () => {
    const manifest = syntheticManifest({ name: 'io.github.acme/weather', version: '1.0.0' });
    const res = await publishWith(await session('acme'), manifest, await keyless(manifest, RELEASE));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().version.signer).toEqual({
      type: 'keyless',
      identity: `https://github.com/${RELEASE}`,
      issuer: issuerUrl,
    });
  });

  test('another workflow of the same repository, or the same identity from another issuer, is refused', async () => {
    const manifest = syntheticManifest({ name: 'io.github.acme/weather', version: '1.0.1' });
    const token = await session('acme');
    const error = await refusedPublish(token, manifest, await keyless(manifest, OTHER), 'IDENTITY_MISMATCH');
    expect(error.data.expected.identity).toBe(`https://github.com/${RELEASE}`);
    expect(error.data.signer.identity).toBe(`https://github.com/${OTHER}`);
    // The session of the other workflow cannot publish the release workflow's bundle either.
    await refusedPublish(await session('acme', OTHER), manifest, await keyless(manifest, RELEASE), 'IDENTITY_MISMATCH');
    await addSigner(
      reg.store,
      keylessSigner({
        namespace: 'io.github.acme',
        identity: `https://github.com/${RELEASE}`,
        issuer: 'https://issuer.elsewhere.example',
        now: new Date().toISOString(),
      }),
    );
    const elsewhere = await keyless(manifest, RELEASE, 'https://issuer.elsewhere.example');
    await refusedPublish(token, manifest, elsewhere, 'IDENTITY_MISMATCH');
  });

  test('a key-signed bundle from the session is refused, though the key is a registered signer', async () => {
    const manifest = syntheticManifest({ name: 'io.github.acme/weather', version: '1.0.2' });
    await refusedPublish(await session('acme'), manifest, await sign(manifest, reg.publisherKey), 'SIGNER_NOT_KEYLESS');
  });

  test('"all": a long-lived token is refused even with a bundle the identity rule would accept', async () => {
    const manifest = syntheticManifest({ name: 'io.github.acme/weather', version: '1.0.3' });
    await refusedPublish(reg.tokens.publisher, manifest, await keyless(manifest, RELEASE), 'OIDC_SESSION_REQUIRED');
    await refusedPublish(reg.tokens.admin, manifest, await keyless(manifest, RELEASE), 'OIDC_SESSION_REQUIRED');
  });

  test('"oidc-sessions": sessions are checked, long-lived tokens publish as before', async () => {
    const manifest = syntheticManifest({ name: 'io.github.beta/weather', version: '1.0.0' });
    await refusedPublish(await session('beta'), manifest, await keyless(manifest, OTHER), 'IDENTITY_MISMATCH');
    const longLived = await reg.token('publisher', ['io.github.beta/*'], 'beta-human');
    expect((await publishWith(longLived, manifest)).statusCode).toBe(201);
  });

  test("a namespace without the setting keeps today's behaviour: a key-signed bundle publishes from a session", async () => {
    const fromSession = syntheticManifest({ name: 'io.github.other/weather', version: '1.0.0' });
    expect((await publishWith(await session('other'), fromSession)).statusCode).toBe(201);
    const fromToken = syntheticManifest({ name: 'io.github.other/weather', version: '1.0.1' });
    expect((await publishWith(reg.tokens.otherPublisher, fromToken)).statusCode).toBe(201);
  });
});
