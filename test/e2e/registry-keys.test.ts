// `mcp-lock registry keys`: a root with three offline keys and threshold two, then a rotation proposed
// with one key holder's signature and completed by a second one (`sign-root --apply`), on a data directory.

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../adapters/sigstore/keys.ts';
import { type CliResult, runCli } from '../helpers/cli.ts';

let work: string;
const cli = (args: string[]) => runCli([...args, '--data', join(work, 'data'), '--json'], { cwd: work });
const ok = (r: CliResult) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-keys-'));
  writeFileSync(join(work, 'new.pub.pem'), generateKeyPair('ed25519').publicKeyPem);
  writeFileSync(join(work, 'stranger.pem'), generateKeyPair('ed25519').privateKeyPem, { mode: 0o600 });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('registry keys', () => {
  it('init writes three root keys (0600) and root 1 with threshold 2; a second init is refused', async () => {
    const init = ok(
      await cli(['registry', 'keys', 'init', '--root-key-dir', 'offline', '--root-keys', '3', '--threshold', '2']),
    );
    expect(init).toMatchObject({ version: 1, threshold: 2 });
    expect(init.rootKeys).toHaveLength(3);
    for (const file of init.rootKeyFiles) expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await cli(['registry', 'keys', 'init', '--root-key-dir', 'offline2']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error.code).toBe('CONFLICT');
    const show = ok(await cli(['registry', 'keys', 'show']));
    expect(show.roles).toMatchObject({ root: { version: 1 }, timestamp: { version: 1 }, targets: { version: 1 } });
  });

  it('a rotation signed by one of two needed keys is written out, not applied; a second key holder completes it', async () => {
    const proposed = ok(
      await cli([
        'registry',
        'keys',
        'rotate',
        '--root-key',
        'offline/root-1.pem',
        '--keep-root-keys',
        '--new-root-key',
        'new.pub.pem',
        '--threshold',
        '2',
        '--out',
        'root-2.json',
      ]),
    );
    expect(proposed).toMatchObject({
      applied: false,
      version: 2,
      previous: { signed: 1, threshold: 2 },
      own: { signed: 1 },
    });
    expect(ok(await cli(['registry', 'keys', 'show'])).version).toBe(1);
    const stranger = await cli(['registry', 'keys', 'sign-root', 'root-2.json', '--root-key', 'stranger.pem']);
    expect(stranger.code).toBe(2);
    const applied = ok(
      await cli(['registry', 'keys', 'sign-root', 'root-2.json', '--root-key', 'offline/root-2.pem', '--apply']),
    );
    expect(applied).toMatchObject({ applied: true, complete: true, previous: { signed: 2, threshold: 2 } });
    const show = ok(await cli(['registry', 'keys', 'show']));
    expect(show).toMatchObject({ version: 2, threshold: 2 });
    expect(show.rootKeys).toHaveLength(4);
    expect(show.roles.timestamp.version).toBe(2); // the registry's state was re-signed under the new root
  });
});
