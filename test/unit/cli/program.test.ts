// The command program in process: flags, exit codes and output of real commands, without spawning.
// (The e2e tests spawn bin/mcp-lock.js for the same paths; these keep the parsing and error contract fast
// to check.)

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { VERSION } from '../../../cli/version.ts';
import { runInProcess } from '../../helpers/in-process-cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-lock-program-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the program in process', () => {
  test('--version prints the version and exits 0', async () => {
    const r = await runInProcess(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  test('an unknown command is a usage error: exit 2, and with --json one error document on stdout', async () => {
    const r = await runInProcess(['--json', 'no-such-command']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(doc.error.message).toMatch(/no-such-command/);
  });

  test('an unknown flag is a usage error too, and the text form says how to get help', async () => {
    const r = await runInProcess(['list', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--no-such-flag'/);
    expect(r.stderr).toMatch(/--help/);
  });

  test('init writes an empty lock, list shows it, and a second init is refused without touching it', async () => {
    const init = await runInProcess(['init', '-C', dir]);
    expect(init.code).toBe(0);
    const lock = readFileSync(join(dir, 'mcp-lock.json'), 'utf8');
    expect(JSON.parse(lock)).toMatchObject({ servers: {} });
    const list = await runInProcess(['--json', 'list', '-C', dir]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ servers: [] });
    const again = await runInProcess(['--json', 'init', '-C', dir]);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error.code).toBe('CONFLICT');
    expect(readFileSync(join(dir, 'mcp-lock.json'), 'utf8')).toBe(lock);
  });

  test('a command on a directory without a lock says so with a code and a hint, no stack trace', async () => {
    const r = await runInProcess(['verify', '-C', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error LOCK_MISSING: /m);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
