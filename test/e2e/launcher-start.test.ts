// How bin/mcp-lock.js starts the program fast. It answers `--version` (and `-V`) alone from package.json without loading the program; that
// shortcut must print exactly what the full program prints, and anything more than the bare flag still goes
// through commander, with the same answer. Every other start uses Node's compile cache, but only in a
// directory this user owns and nobody else can write (what is cached there is code that runs).

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../cli/version.ts';
import { runInProcess } from '../helpers/in-process-cli.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;

const work = mkdtempSync(join(tmpdir(), 'mcp-lock-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function bin(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const clean = { ...process.env };
  delete clean.NODE_COMPILE_CACHE;
  delete clean.NODE_DISABLE_COMPILE_CACHE;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...clean, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mcp-lock --version', () => {
  it('the launcher shortcut prints what the full program prints, byte for byte', async () => {
    const full = await runInProcess(['--version']);
    expect(full).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    for (const flag of ['--version', '-V']) expect(bin([flag])).toEqual({ status: 0, stdout: full.stdout, stderr: '' });
  });

  it('with another option the full program answers, with the same text', () => {
    expect(bin(['--no-color', '--version'])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('the compile cache', () => {
  const cacheOf = (home: string) => join(home, 'mcp-lock', 'node-compile-cache');
  const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).length : 0);

  it('is written to a private directory under XDG_CACHE_HOME, and a cached start answers the same', () => {
    const home = join(work, 'private');
    const first = bin(['--help'], { XDG_CACHE_HOME: home });
    expect(first.status).toBe(0);
    expect(entries(cacheOf(home))).toBeGreaterThan(10);
    expect(bin(['--help'], { XDG_CACHE_HOME: home })).toEqual(first);
  });

  it('is not used from a directory others can write (benign twin: the private one above is used)', () => {
    const home = join(work, 'shared');
    mkdirSync(cacheOf(home), { recursive: true });
    chmodSync(cacheOf(home), 0o777);
    expect(bin(['--help'], { XDG_CACHE_HOME: home }).status).toBe(0);
    expect(entries(cacheOf(home))).toBe(0);
  });
});
