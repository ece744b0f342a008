// Keyless signing through the real CLI: `sign --keyless` against the loopback Fulcio/Rekor/TSA fake (its own
// process), then `verify-manifest --identity --issuer --trusted-root` fully offline, with exact matching.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatManifest } from '../../core/manifest/manifest.ts';
import { type CliResult, jsonError, runCli } from '../helpers/cli.ts';
import { type FakeSigstore, mintIdentityToken, startFakeSigstore } from '../helpers/fake-sigstore/start.ts';
import { remoteManifest } from '../helpers/synthetic.ts';

const IDENTITY = 'https://github.com/acme/weather/.github/workflows/release.yml@refs/tags/v1.0.0';
const ISSUER = 'https://token.actions.githubusercontent.com';

let dir: string;
let fake: FakeSigstore;
const path = (name: string) => join(dir, name);
const read = (name: string) => readFileSync(path(name), 'utf8');
const write = (name: string, text: string) => writeFileSync(path(name), text);
const cli = (args: string[], env: Record<string, string | undefined> = { SIGSTORE_ID_TOKEN: undefined }) =>
  runCli(args, { cwd: dir, env });

const fakeUrls = () => ['--fulcio-url', fake.fulcioURL, '--rekor-url', fake.rekorURL, '--tsa-url', fake.tsaURL];
const verifyArgs = (
  manifest: string,
  bundle: string,
  identity = IDENTITY,
  issuer = ISSUER,
  root = 'fake-root.json',
) => [
  'verify-manifest',
  manifest,
  '--bundle',
  bundle,
  '--identity',
  identity,
  '--issuer',
  issuer,
  ...(root ? ['--trusted-root', root] : []),
];

function expectExit(result: CliResult, code: number, pattern?: RegExp): void {
  expect(result.code, `exit code\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  if (pattern) expect(result.stderr + result.stdout).toMatch(pattern);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-lock-keyless-cli-'));
  fake = await startFakeSigstore();
  write('fake-root.json', readFileSync(fake.trustedRootPath, 'utf8'));
  write('manifest.json', formatManifest(remoteManifest('a')));
  write('other.json', formatManifest(remoteManifest('b')));
  const token = mintIdentityToken({ iss: ISSUER, sub: IDENTITY });
  const [a, b] = await Promise.all([
    cli(['sign', 'manifest.json', '--keyless', '--identity-token', token, ...fakeUrls()]),
    // The token can also come from the environment, off the command line.
    cli(['sign', 'other.json', '--keyless', ...fakeUrls()], { SIGSTORE_ID_TOKEN: token }),
  ]);
  expectExit(a, 0);
  expectExit(b, 0);
});
afterAll(async () => {
  await fake?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('mcp-lock sign --keyless / verify-manifest --identity --issuer', () => {
  it('round trips with the exact identity, issuer and the fake’s trusted root (exit 0, --json parses)', async () => {
    const bundle = JSON.parse(read('manifest.json.sigstore.json'));
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.verificationMaterial.certificate.rawBytes).toBeTruthy();
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    const [human, json, other] = await Promise.all([
      cli(verifyArgs('manifest.json', 'manifest.json.sigstore.json')),
      cli(['--json', ...verifyArgs('manifest.json', 'manifest.json.sigstore.json')]),
      cli(verifyArgs('other.json', 'other.json.sigstore.json')),
    ]);
    expectExit(human, 0, /Verified: io\.github\.acme\/weather@1\.0\.0/);
    expect(human.stdout).toContain(`publisher signature by ${IDENTITY} (issuer ${ISSUER})`);
    expectExit(json, 0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      role: 'publisher',
      signer: { type: 'keyless', identity: IDENTITY, issuer: ISSUER },
    });
    expectExit(other, 0);
  });

  it('fails with exit 1 for any identity or issuer that is not exactly the signer’s', async () => {
    const wrong: [string, string][] = [
      [IDENTITY.slice(0, -1), ISSUER],
      [IDENTITY.slice(1), ISSUER],
      ['.*', ISSUER],
      ['https://github.com/acme/.*', ISSUER],
      [IDENTITY, 'https://accounts.google.com'],
      [IDENTITY, `${ISSUER}/`],
      [IDENTITY, '.*'],
    ];
    const results = await Promise.all(
      wrong.map(([identity, issuer]) =>
        cli(['--json', ...verifyArgs('manifest.json', 'manifest.json.sigstore.json', identity, issuer)]),
      ),
    );
    for (const r of results) {
      expectExit(r, 1);
      const error = jsonError(r);
      expect(error.code).toBe('SIGNER_UNTRUSTED');
      expect(error.message).toBe(`signed by ${IDENTITY} (issuer ${ISSUER}), which is not a trusted identity`);
    }
  });

  it('fails with exit 1 against the pinned public-good root (the default), a tampered manifest or another manifest’s bundle', async () => {
    write('tampered.json', read('manifest.json').replace('Weather forecasts', 'Weather forecasts!'));
    const [publicGood, tampered, otherBundle] = await Promise.all([
      cli(['--json', ...verifyArgs('manifest.json', 'manifest.json.sigstore.json', IDENTITY, ISSUER, '')]),
      cli(['--json', ...verifyArgs('tampered.json', 'manifest.json.sigstore.json')]),
      cli(['--json', ...verifyArgs('manifest.json', 'other.json.sigstore.json')]),
    ]);
    expectExit(publicGood, 1);
    expect(jsonError(publicGood).code).toBe('SIGNATURE_INVALID');
    expectExit(tampered, 1);
    expect(jsonError(tampered).code).toBe('SUBJECT_MISMATCH');
    expectExit(otherBundle, 1);
    expect(jsonError(otherBundle).code).toBe('SUBJECT_MISMATCH');
  });

  it('exits 2 for a file that is not a trusted root, or an identity without an issuer', async () => {
    write('not-a-root.json', '{"hello": "world"}');
    write('broken-root.json', '{"mediaType": ');
    const [notRoot, broken, lone, keyAndIdentity] = await Promise.all([
      cli(verifyArgs('manifest.json', 'manifest.json.sigstore.json', IDENTITY, ISSUER, 'not-a-root.json')),
      cli(verifyArgs('manifest.json', 'manifest.json.sigstore.json', IDENTITY, ISSUER, 'broken-root.json')),
      cli(['verify-manifest', 'manifest.json', '--bundle', 'manifest.json.sigstore.json', '--identity', IDENTITY]),
      cli([...verifyArgs('manifest.json', 'manifest.json.sigstore.json'), '--key', 'fake-root.json']),
    ]);
    expectExit(notRoot, 2, /BUNDLE_MALFORMED: the trusted root is not a Sigstore trusted_root\.json/);
    expectExit(broken, 2, /JSON_SYNTAX: trusted root/);
    expectExit(lone, 2, /USAGE/);
    expectExit(keyAndIdentity, 2, /USAGE/);
  });

  it('sign --keyless without a token exits 2; an unreachable Fulcio exits 3', async () => {
    const noToken = await cli(['sign', 'manifest.json', '--keyless', '--out', 'x.json', ...fakeUrls()]);
    expectExit(noToken, 2, /USAGE: --keyless needs an identity token/);
    const token = mintIdentityToken({ iss: ISSUER, sub: IDENTITY });
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const down = await cli([
      '--json',
      'sign',
      'manifest.json',
      '--keyless',
      '--identity-token',
      token,
      '--out',
      'y.json',
      '--fulcio-url',
      `http://127.0.0.1:${closedPort}/fulcio`,
      '--rekor-url',
      fake.rekorURL,
    ]);
    expectExit(down, 3);
    expect(jsonError(down).code).toBe('NETWORK_ERROR');
    // The token is a credential: it is not echoed back.
    expect(down.stdout + down.stderr).not.toContain(token.split('.')[1]!);
    expect(() => readFileSync(path('y.json'))).toThrow();
  });
});
