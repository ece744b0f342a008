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
import type { OidcIssuer } from '../../core/registry/oidc.ts';
import { bearer, json, makeRegistry, publishBody, sign, syntheticManifest, type TestRegistry } from './helpers.ts';

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

beforeEach(async () => {
  clock = Date.now();
  const issuer: OidcIssuer = {
    issuer: issuerUrl,
    audience: AUDIENCE,
    jwksUrl: `${issuerUrl}/jwks`,
    rules: [{ claim: 'repository_owner', namespace: 'io.github.{value}' }],
  };
  reg = await makeRegistry({
    now: () => new Date(clock),
    oidc: { issuers: [issuer], verify: joseVerifier({ now: () => new Date(clock) }), random: (n) => randomBytes(n) },
  });
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

async function publishWith(token: string) {
  const manifest = syntheticManifest();
  return reg.app.inject({
    method: 'POST',
    url: '/mcp-lock/v1/publish',
    headers: { ...json, ...bearer(token) },
    payload: publishBody(manifest, await sign(manifest, reg.publisherKey)),
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
