// The local-key signing workflow through the real CLI: `keygen`, `sign --key`, `verify-manifest --key`, run
// as child processes in a temp dir. Exit codes: 0 ok, 1 verification failed, 2 usage or malformed input.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatManifest } from '../../core/manifest/manifest.ts';
import { type CliResult, jsonError, runCli } from '../helpers/cli.ts';
import { remoteManifest } from '../helpers/synthetic.ts';

let dir: string;
let publisherKeyId: string;
const cli = (...args: string[]) => runCli(args, { cwd: dir });
const path = (name: string) => join(dir, name);
const read = (name: string) => readFileSync(path(name), 'utf8');
const write = (name: string, text: string | Buffer) => writeFileSync(path(name), text);

/** The base64 body of a PEM, which must never appear in any output. */
const pemBody = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

function expectExit(result: CliResult, code: number, pattern?: RegExp): void {
  expect(result.code, `exit code\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  if (pattern) expect(result.stderr + result.stdout).toMatch(pattern);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-lock-sign-key-'));
  write('manifest.json', formatManifest(remoteManifest('a')));
  write('other.json', formatManifest(remoteManifest('b')));
  const [k1, k2] = await Promise.all([
    cli('--json', 'keygen', '--out', 'publisher'),
    cli('keygen', '--out', 'stranger'),
  ]);
  expectExit(k1, 0);
  expectExit(k2, 0);
  publisherKeyId = JSON.parse(k1.stdout).keyId;
  const [s1, s2] = await Promise.all([
    cli('sign', 'manifest.json', '--key', 'publisher.pem'),
    cli('sign', 'other.json', '--key', 'publisher.pem'),
  ]);
  expectExit(s1, 0);
  expectExit(s2, 0);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('mcp-lock keygen', () => {
  it('writes a P-256 key pair: private 0600 and never printed, public 0644', async () => {
    const result = await cli('keygen', '--out', 'fresh');
    expectExit(result, 0, /Key id: [0-9a-f]{64}/);
    const privatePem = read('fresh.pem');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(read('fresh.pub.pem')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(statSync(path('fresh.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path('fresh.pub.pem')).mode & 0o777).toBe(0o644);
    const printed = result.stdout + result.stderr;
    expect(printed).not.toContain('PRIVATE KEY');
    expect(printed).not.toContain(pemBody(privatePem).slice(0, 40));
    expect(printed).not.toContain(pemBody(privatePem).slice(-40));
  });

  it('--json reports the key id and paths, not the key', async () => {
    const result = await cli('--json', 'keygen', '--out', 'ed', '--algorithm', 'ed25519');
    expectExit(result, 0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      ok: true,
      algorithm: 'ed25519',
      privateKey: path('ed.pem'),
      publicKey: path('ed.pub.pem'),
    });
    expect(doc.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(result.stdout + result.stderr).not.toContain(pemBody(read('ed.pem')).slice(0, 40));
    expect(statSync(path('ed.pem')).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing key without --force, and replaces it with --force', async () => {
    const before = read('publisher.pem');
    const beforePub = read('publisher.pub.pem');
    const refused = await cli('--json', 'keygen', '--out', 'publisher');
    expectExit(refused, 2);
    expect(jsonError(refused).code).toBe('CONFLICT');
    expect(read('publisher.pem')).toBe(before);
    expect(read('publisher.pub.pem')).toBe(beforePub);
    // Also when only the public half exists: nothing is half-written.
    write('half.pub.pem', 'keep me');
    expectExit(await cli('keygen', '--out', 'half'), 2, /already exists/);
    expect(read('half.pub.pem')).toBe('keep me');
    expect(() => statSync(path('half.pem'))).toThrow();

    const forced = await cli('keygen', '--out', 'replaced');
    expectExit(forced, 0);
    const old = read('replaced.pem');
    expectExit(await cli('keygen', '--out', 'replaced', '--force'), 0);
    expect(read('replaced.pem')).not.toBe(old);
    expect(statSync(path('replaced.pem')).mode & 0o777).toBe(0o600);
  });

  it('rejects an unknown algorithm (exit 2)', async () => {
    expectExit(await cli('keygen', '--out', 'rsa', '--algorithm', 'rsa'), 2, /USAGE/);
  });
});

describe('mcp-lock sign --key / verify-manifest --key', () => {
  it('round trips: the bundle verifies against the public key (exit 0)', async () => {
    const bundle = JSON.parse(read('manifest.json.sigstore.json'));
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    const result = await cli(
      'verify-manifest',
      'manifest.json',
      '--bundle',
      'manifest.json.sigstore.json',
      '--key',
      'publisher.pub.pem',
    );
    expectExit(result, 0, /Verified: io\.github\.acme\/weather@1\.0\.0/);
    expect(result.stdout).toContain(`publisher signature by key ${publisherKeyId}`);
  });

  it('--json output of sign and verify-manifest parses and agrees on the digest', async () => {
    const signed = await cli(
      '--json',
      'sign',
      'manifest.json',
      '--key',
      'publisher.pem',
      '--out',
      'again.sigstore.json',
    );
    expectExit(signed, 0);
    const signDoc = JSON.parse(signed.stdout);
    expect(signDoc).toMatchObject({ ok: true, server: 'io.github.acme/weather', version: '1.0.0' });
    expect(signDoc.manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const verified = await cli(
      '--json',
      'verify-manifest',
      'manifest.json',
      '--bundle',
      'again.sigstore.json',
      '--key',
      'publisher.pub.pem',
    );
    expectExit(verified, 0);
    const doc = JSON.parse(verified.stdout);
    expect(doc).toMatchObject({
      ok: true,
      manifestDigest: signDoc.manifestDigest,
      role: 'publisher',
      signer: { type: 'key' },
    });
    expect(doc.signer.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.signer.keyId).toBe(publisherKeyId);
  });

  it('refuses to overwrite an existing bundle without --force (exit 2)', async () => {
    const before = read('manifest.json.sigstore.json');
    expectExit(await cli('sign', 'manifest.json', '--key', 'publisher.pem'), 2, /already exists/);
    expect(read('manifest.json.sigstore.json')).toBe(before);
  });

  it('accepts the same manifest re-formatted or with keys reordered (benign twins, exit 0)', async () => {
    const manifest = JSON.parse(read('manifest.json'));
    write('compact.json', JSON.stringify(manifest));
    const reversed = JSON.stringify(Object.fromEntries(Object.entries(manifest).reverse()), null, 4);
    write('reordered.json', reversed);
    const results = await Promise.all(
      ['compact.json', 'reordered.json'].map((m) =>
        cli('verify-manifest', m, '--bundle', 'manifest.json.sigstore.json', '--key', 'publisher.pub.pem'),
      ),
    );
    for (const r of results) expectExit(r, 0);
  });

  it('fails with exit 1 when the manifest was changed after signing, raw or re-canonicalized', async () => {
    const text = read('manifest.json');
    const raw: Record<string, string> = {
      'desc.json': text.replace('Weather forecasts over Streamable HTTP.', 'Weather forecasts over Streamable HTTP!'),
      'version.json': text.replace(/"version": "1\.0\.0"/, '"version": "1.0.1"'),
      'url.json': text.replace('https://weather.example.com/mcp', 'https://weather.example.org/mcp'),
      'tool.json': text.replace('Get the weather forecast for a city. (a)', 'Get the weather forecast for a city. (A)'),
    };
    for (const [name, changed] of Object.entries(raw)) {
      expect(changed, name).not.toBe(text);
      write(name, changed);
    }
    // Re-canonicalized: a consistent manifest (digests recomputed) with one tool changed.
    write('repinned.json', formatManifest(remoteManifest('evil')));
    const names = [...Object.keys(raw), 'repinned.json'];
    const results = await Promise.all(
      names.map((m) =>
        cli('--json', 'verify-manifest', m, '--bundle', 'manifest.json.sigstore.json', '--key', 'publisher.pub.pem'),
      ),
    );
    results.forEach((r, i) => {
      expectExit(r, 1);
      // A raw edit of a pinned tool is caught by the manifest's own digests; everything else by the signature.
      expect(jsonError(r).code, names[i]).toBe(names[i] === 'tool.json' ? 'DIGEST_MISMATCH' : 'SUBJECT_MISMATCH');
    });
    const human = await cli(
      'verify-manifest',
      'desc.json',
      '--bundle',
      'manifest.json.sigstore.json',
      '--key',
      'publisher.pub.pem',
    );
    expectExit(human, 1, /SUBJECT_MISMATCH: the signature is for another manifest/);
    expect(human.stderr).toMatch(/hint: The manifest changed after signing/);
    expect(human.stdout).toBe('');
  });

  it('fails with exit 1 for a wrong key, a bundle for another manifest, or the wrong role', async () => {
    const [wrongKey, otherBundle, role] = await Promise.all([
      cli('verify-manifest', 'manifest.json', '--bundle', 'manifest.json.sigstore.json', '--key', 'stranger.pub.pem'),
      cli('verify-manifest', 'manifest.json', '--bundle', 'other.json.sigstore.json', '--key', 'publisher.pub.pem'),
      cli(
        'verify-manifest',
        'manifest.json',
        '--bundle',
        'manifest.json.sigstore.json',
        '--key',
        'publisher.pub.pem',
        '--role',
        'approval',
      ),
    ]);
    expectExit(wrongKey, 1, /SIGNER_UNTRUSTED: the bundle was signed by key [0-9a-f]{16}…, which is not trusted here/);
    expectExit(otherBundle, 1, /SUBJECT_MISMATCH: the signature is for another manifest/);
    expectExit(role, 1, /SUBJECT_MISMATCH: the bundle is not an? approval attestation/);
    // Benign twin: the other bundle verifies its own manifest.
    expectExit(
      await cli('verify-manifest', 'other.json', '--bundle', 'other.json.sigstore.json', '--key', 'publisher.pub.pem'),
      0,
    );
  });

  it('fails with exit 1 when a byte of the signature or signed payload is flipped', async () => {
    const bundle = JSON.parse(read('manifest.json.sigstore.json'));
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
    sig[sig.length - 3]! ^= 0x01;
    write(
      'badsig.json',
      JSON.stringify({
        ...bundle,
        dsseEnvelope: {
          ...bundle.dsseEnvelope,
          signatures: [{ ...bundle.dsseEnvelope.signatures[0], sig: sig.toString('base64') }],
        },
      }),
    );
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    payload[payload.length - 5]! ^= 0x01;
    write(
      'badpayload.json',
      JSON.stringify({ ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: payload.toString('base64') } }),
    );
    const results = await Promise.all(
      ['badsig.json', 'badpayload.json'].map((b) =>
        cli('--json', 'verify-manifest', 'manifest.json', '--bundle', b, '--key', 'publisher.pub.pem'),
      ),
    );
    for (const r of results) {
      expectExit(r, 1);
      expect(jsonError(r).code).toBe('SIGNATURE_INVALID');
    }
  });

  it('exits 2 for a malformed bundle', async () => {
    const good = read('manifest.json.sigstore.json');
    const bundle = JSON.parse(good);
    const cases: Record<string, string> = {
      'notjson.json': 'this is not a bundle',
      'empty.json': '',
      'dupkey.json': good.replace('"mediaType":', '"mediaType": "x",\n  "mediaType":'),
      'missing.json': JSON.stringify({ ...bundle, dsseEnvelope: undefined }),
      'twosigs.json': JSON.stringify({
        ...bundle,
        dsseEnvelope: {
          ...bundle.dsseEnvelope,
          signatures: [bundle.dsseEnvelope.signatures[0], bundle.dsseEnvelope.signatures[0]],
        },
      }),
      'array.json': '[]',
    };
    for (const [name, text] of Object.entries(cases)) write(name, text);
    const names = Object.keys(cases);
    const results = await Promise.all(
      names.map((b) => cli('--json', 'verify-manifest', 'manifest.json', '--bundle', b, '--key', 'publisher.pub.pem')),
    );
    results.forEach((r, i) => {
      expectExit(r, 2);
      expect(jsonError(r).code, names[i]).toBe('BUNDLE_MALFORMED');
    });
    expectExit(
      await cli('verify-manifest', 'manifest.json', '--bundle', 'dupkey.json', '--key', 'publisher.pub.pem'),
      2,
      /BUNDLE_MALFORMED: bundle: the key "mediaType" appears twice/,
    );
  });

  it('exits 2 for a malformed manifest, with sign and with verify-manifest', async () => {
    const text = read('manifest.json');
    const cases: Record<string, string> = {
      'm-notjson.json': '{ not json',
      'm-dupkey.json': text.replace('"manifestVersion": 1', '"manifestVersion": 1,\n  "manifestVersion": 1'),
      'm-schema.json': JSON.stringify({ ...JSON.parse(text), manifestVersion: 'one' }),
      'm-empty.json': '{}',
    };
    for (const [name, body] of Object.entries(cases)) write(name, body);
    const names = Object.keys(cases);
    const results = await Promise.all(
      names.flatMap((m) => [
        cli('--json', 'verify-manifest', m, '--bundle', 'manifest.json.sigstore.json', '--key', 'publisher.pub.pem'),
        cli('--json', 'sign', m, '--key', 'publisher.pem', '--out', `${m}.bundle`),
      ]),
    );
    for (const r of results) {
      expectExit(r, 2);
      expect(jsonError(r).code).toMatch(/^(JSON_[A-Z_]+|SCHEMA_INVALID|MANIFEST_INVALID)$/);
    }
    expectExit(
      await cli(
        'verify-manifest',
        'm-notjson.json',
        '--bundle',
        'manifest.json.sigstore.json',
        '--key',
        'publisher.pub.pem',
      ),
      2,
      /JSON_SYNTAX: manifest/,
    );
  });

  it('exits 2 for bad keys and flag combinations, without echoing key material', async () => {
    const privatePem = read('publisher.pem');
    const [privAsPub, pubAsPriv, none, both, missing] = await Promise.all([
      cli('verify-manifest', 'manifest.json', '--bundle', 'manifest.json.sigstore.json', '--key', 'publisher.pem'),
      cli('sign', 'manifest.json', '--key', 'publisher.pub.pem', '--out', 'x.json'),
      cli('verify-manifest', 'manifest.json', '--bundle', 'manifest.json.sigstore.json'),
      cli('sign', 'manifest.json', '--key', 'publisher.pem', '--keyless', '--out', 'y.json'),
      cli('verify-manifest', 'manifest.json', '--bundle', 'nope.json', '--key', 'publisher.pub.pem'),
    ]);
    expectExit(privAsPub, 2, /KEY_INVALID/);
    expectExit(pubAsPriv, 2, /KEY_INVALID/);
    expectExit(none, 2, /USAGE/);
    expectExit(both, 2, /USAGE/);
    expectExit(missing, 2, /FILE_NOT_FOUND/);
    for (const r of [privAsPub, pubAsPriv]) {
      expect(r.stdout + r.stderr).not.toContain(pemBody(privatePem).slice(0, 40));
    }
  });
});
