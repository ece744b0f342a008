// scripts/system-deps.ts, the pretest step that brings Chromium and bubblewrap to a fresh machine. Nothing is
// purged to test it: the script is run in --dry-run with a PATH and MCP_LOCK_CHROMIUM that make it believe a
// package is missing, and its install plan is a pure function tested for every kind of host.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missing, planInstall, type Requirement, requirements } from '../../scripts/system-deps.ts';

const SCRIPT = new URL('../../scripts/system-deps.ts', import.meta.url).pathname;
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A PATH directory holding only the given commands: real ones linked in, or shell scripts. */
function pathWith(commands: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'system-deps-'));
  dirs.push(dir);
  for (const [name, target] of Object.entries(commands)) {
    if (target.startsWith('#!')) {
      writeFileSync(join(dir, name), target);
      chmodSync(join(dir, name), 0o755);
    } else symlinkSync(target, join(dir, name));
  }
  return dir;
}

function run(env: NodeJS.ProcessEnv, args: string[] = ['--dry-run']) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Answers `sudo -n true` with success, as passwordless sudo does; never used to run anything (dry run).
const FAKE_SUDO = '#!/bin/sh\n[ "$1" = "-n" ] && [ "$2" = "true" ] && exit 0\nexit 1\n';
const AS_ROOT = process.getuid?.() === 0;
const APT_PREFIX = AS_ROOT ? '' : 'sudo -n --preserve-env=DEBIAN_FRONTEND ';

describe('system-deps script', () => {
  it('finds everything on this machine (npm test ran it first) and plans nothing', () => {
    const result = run(process.env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('chromium, bubblewrap present');
    expect(result.stdout).not.toContain('would run');
    expect(result.status).toBe(0);
  });

  it('plans apt-get update, then an install of exactly the missing packages', () => {
    const PATH = pathWith({ 'apt-get': '/usr/bin/apt-get', sudo: FAKE_SUDO });
    const result = run({ PATH, MCP_LOCK_CHROMIUM: '/nonexistent/chromium' });
    expect(result.stdout).toContain(`would run: ${APT_PREFIX}apt-get update -qq\n`);
    expect(result.stdout).toContain(
      `would run: ${APT_PREFIX}apt-get install -y -qq --no-install-recommends chromium bubblewrap\n`,
    );
    expect(result.status).toBe(0);
  });

  it('leaves a present package alone: Chromium found, only bubblewrap planned', () => {
    const PATH = pathWith({ 'apt-get': '/usr/bin/apt-get', sudo: FAKE_SUDO });
    const result = run({ PATH, MCP_LOCK_CHROMIUM: process.execPath });
    expect(result.stdout).toMatch(/install -y -qq --no-install-recommends bubblewrap\n/);
    expect(result.stdout).not.toContain('chromium');
  });

  it('without apt-get, fails naming the packages and how to install them', () => {
    const result = run({ PATH: pathWith({}), MCP_LOCK_CHROMIUM: '/nonexistent/chromium' });
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('would run');
    expect(result.stderr).toContain('error SYSTEM_DEPS');
    expect(result.stderr).toMatch(/chromium +provides \/nonexistent\/chromium, for the web UI tests/);
    expect(result.stderr).toMatch(/bubblewrap +provides bwrap/);
    expect(result.stderr).toContain('apt-get is not on PATH');
    expect(result.stderr).toContain(
      'hint: install them, then run npm test again: sudo apt-get install -y chromium bubblewrap',
    );
  });

  it('an empty MCP_LOCK_CHROMIUM means the default path, not a directory on PATH', () => {
    const found = requirements({ MCP_LOCK_CHROMIUM: '' })[0];
    expect(found?.executable).toBe('/usr/bin/chromium');
  });
});

describe('planInstall', () => {
  const absent: Requirement[] = requirements({ PATH: '' });

  it('installs nothing when nothing is missing', () => {
    expect(planInstall([], { apt: false, privilege: 'none' })).toEqual({ kind: 'nothing' });
  });

  it('runs apt-get directly as root, through sudo -n otherwise', () => {
    expect(planInstall(absent, { apt: true, privilege: 'root' })).toEqual({
      kind: 'apt',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'bubblewrap'],
      ],
    });
    const sudo = planInstall(absent, { apt: true, privilege: 'sudo' });
    expect(sudo.kind === 'apt' && sudo.commands.map((c) => c.slice(0, 4))).toEqual([
      ['sudo', '-n', '--preserve-env=DEBIAN_FRONTEND', 'apt-get'],
      ['sudo', '-n', '--preserve-env=DEBIAN_FRONTEND', 'apt-get'],
    ]);
  });

  it('refuses without privilege or without apt-get, saying which', () => {
    expect(planInstall(absent, { apt: true, privilege: 'none' })).toMatchObject({
      kind: 'refuse',
      reason: expect.stringContaining('sudo -n'),
    });
    expect(planInstall(absent, { apt: false, privilege: 'root' })).toMatchObject({
      kind: 'refuse',
      reason: expect.stringContaining('apt-get is not on PATH'),
    });
  });

  it('counts a command as missing only when no PATH entry has it executable', () => {
    const bwrap = requirements({}).filter((r) => r.debian === 'bubblewrap');
    expect(missing(bwrap, { PATH: pathWith({}) })).toHaveLength(1);
    expect(missing(bwrap, { PATH: `${pathWith({})}:${pathWith({ bwrap: '#!/bin/sh\n' })}` })).toHaveLength(0);
    expect(missing(bwrap, { PATH: pathWith({ bwrap: '/nonexistent/target' }) })).toHaveLength(1);
  });
});
