// `mcp-lock publish --oidc` end to end: a registry process configured to trust a loopback OIDC issuer
// (JWKS over HTTP), and a loopback stand-in for GitHub Actions' token service (ACTIONS_ID_TOKEN_REQUEST_URL
// and _TOKEN). The CLI asks it for a token with the registry as audience, exchanges it and publishes; a
// job of another owner is refused with 403 and nothing is stored, and so is a key-signed publish to a
// namespace whose config requires the publishing OIDC identity to have signed keyless.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.ts';
import { type RegistryProcess, startRegistryProcess } from '../helpers/registry-process.ts';
import { syntheticManifest } from '../helpers/synthetic.ts';

let work: string;
let registry: RegistryProcess;
let issuer: Server;
let issuerUrl: string;
let owner = 'acme';
const asked: { audience: string | null; authorization: string | undefined }[] = [];

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: work, env: { MCP_LOCK_TOKEN: undefined, ...env }, timeoutMs: 120_000 });
const ok = (r: CliResult) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-oidc-e2e-'));
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'ci', alg: 'ES256' };
  issuer = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    if (url.pathname === '/token') {
      asked.push({ audience: url.searchParams.get('audience'), authorization: req.headers.authorization });
      const value = await new SignJWT({ repository_owner: owner, repository: `${owner}/weather` })
        .setProtectedHeader({ alg: 'ES256', kid: 'ci' })
        .setIssuer(issuerUrl)
        .setAudience(url.searchParams.get('audience') ?? '')
        .setSubject(`repo:${owner}/weather:ref:refs/heads/main`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => issuer.listen(0, '127.0.0.1', r));
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
  const data = join(work, 'data');
  writeFileSync(
    join(work, 'registry.json'),
    JSON.stringify({
      oidcIssuers: [
        {
          issuer: issuerUrl,
          audience: 'mcp-lock-e2e',
          jwksUrl: `${issuerUrl}/jwks`,
          namespaces: [{ claim: 'repository_owner', namespace: 'io.github.{value}' }],
        },
      ],
      oidcIdentityRequired: { 'io.github.strict': 'all' },
    }),
  );
  ok(await cli(['keygen', '--out', 'publisher']));
  for (const namespace of ['io.github.acme', 'io.github.strict']) {
    ok(
      await cli(['registry', 'signer', 'add', '--data', data, '--namespace', namespace, '--key', 'publisher.pub.pem']),
    );
  }
  registry = await startRegistryProcess(data, ['--config', join(work, 'registry.json')]);
  writeFileSync(join(work, 'weather.json'), JSON.stringify(syntheticManifest()));
  ok(await cli(['sign', 'weather.json', '--key', 'publisher.pem']));
  writeFileSync(join(work, 'strict.json'), JSON.stringify(syntheticManifest({ name: 'io.github.strict/weather' })));
  ok(await cli(['sign', 'strict.json', '--key', 'publisher.pem']));
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await new Promise((r) => issuer?.close(r));
  rmSync(work, { recursive: true, force: true });
});

const actionsEnv = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: `${issuerUrl}/token?api-version=2.0`,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runtime-secret',
});

/** `publish --oidc` of `file` is refused with FORBIDDEN (exit 1) and the registry has no version of `name`. */
async function refusedPublish(file: string, name: string) {
  const r = await cli(
    ['publish', file, '--oidc', '--oidc-audience', 'mcp-lock-e2e', '--registry', registry.url, '--json'],
    actionsEnv(),
  );
  expect(r.code, r.stderr).toBe(1);
  const error = JSON.parse(r.stdout).error;
  expect(error.code).toBe('FORBIDDEN');
  const stored = await fetch(`${registry.url}/mcp-lock/v1/servers/${encodeURIComponent(name)}/versions`);
  expect(stored.status).toBe(404);
  return error as { code: string; hint?: string };
}

describe('publish --oidc', () => {
  it('a job of another owner is refused (403) and nothing is stored', async () => {
    owner = 'other';
    await refusedPublish('weather.json', 'io.github.acme/weather');
  });

  it('a GitHub Actions job publishes with its ID token, no registry token', async () => {
    owner = 'acme';
    const r = ok(
      await cli(
        ['publish', 'weather.json', '--oidc', '--oidc-audience', 'mcp-lock-e2e', '--registry', registry.url, '--json'],
        actionsEnv(),
      ),
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ created: true, status: 'pending' });
    expect(asked.at(-1)).toEqual({ audience: 'mcp-lock-e2e', authorization: 'Bearer runtime-secret' });
    expect(r.stderr).not.toContain('mcpl_');
  });

  it('a key-signed publish to a namespace requiring the OIDC identity to sign keyless is 403, nothing stored', async () => {
    owner = 'strict';
    const error = await refusedPublish('strict.json', 'io.github.strict/weather');
    expect(error.hint).toMatch(/--keyless/);
  });

  it('without a CI token service or token it is a usage error (exit 2)', async () => {
    const r = await cli(['publish', 'weather.json', '--oidc', '--registry', registry.url, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.hint).toMatch(/id-token: write/);
  });
});
