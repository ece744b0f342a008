// When mcp-lock colours its output (#11.9): FORCE_COLOR is honoured like Node and supports-color read it,
// NO_COLOR turns colour off, a terminal turns it on; --no-color beats everything.

import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { colorWanted, Output } from '../../../cli/output.ts';
import { runCli } from '../../helpers/cli.ts';

describe('colorWanted', () => {
  const cases: [string, Record<string, string>, boolean, boolean][] = [
    ['a TTY', {}, true, true],
    ['a pipe', {}, false, false],
    ['TERM=dumb', { TERM: 'dumb' }, true, false],
    ['NO_COLOR on a TTY', { NO_COLOR: '1' }, true, false],
    ['an empty NO_COLOR is unset', { NO_COLOR: '' }, true, true],
    ['FORCE_COLOR=1 on a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=3 on a pipe', { FORCE_COLOR: '3' }, false, true],
    ['an empty FORCE_COLOR on a pipe', { FORCE_COLOR: '' }, false, true],
    ['FORCE_COLOR=true with TERM=dumb', { FORCE_COLOR: 'true', TERM: 'dumb' }, false, true],
    ['FORCE_COLOR beats NO_COLOR', { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a TTY', { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR=false on a TTY', { FORCE_COLOR: 'false' }, true, false],
  ];
  for (const [what, env, tty, expected] of cases) {
    it(`${what}: ${expected ? 'colour' : 'plain'}`, () => expect(colorWanted(env, tty)).toBe(expected));
  }
});

describe('Output', () => {
  const streams = (sink: string[]) => ({
    stdout: { write: (c: string) => sink.push(c) },
    stderr: { write: (c: string) => sink.push(c) },
  });

  it('--no-color beats FORCE_COLOR', () => {
    const saved = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = '1';
    try {
      const sink: string[] = [];
      new Output({ json: false, color: false }, streams(sink)).warn('x');
      expect(sink.join('')).toBe('warning: x\n');
      const forced: string[] = [];
      new Output({ json: false }, streams(forced)).warn('x');
      expect(forced.join('')).toContain('\x1b[33m');
    } finally {
      if (saved === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = saved;
    }
  });
});

describe('the real CLI on a pipe', () => {
  const run = (env: Record<string, string | undefined>, args: string[] = ['list']) =>
    runCli(args, { cwd: tmpdir(), env: { MCP_LOCK_PROJECT: undefined, ...env } });

  it('FORCE_COLOR=1 colours the error, even with NO_COLOR set', async () => {
    const forced = await run({ FORCE_COLOR: '1' });
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain('\x1b[31merror');
  });

  it('benign twins: plain by default on a pipe, with FORCE_COLOR=0, and with --no-color', async () => {
    for (const result of [
      await run({}),
      await run({ FORCE_COLOR: '0' }),
      await run({ FORCE_COLOR: '1' }, ['list', '--no-color']),
    ]) {
      expect(result.stderr).toMatch(/^error LOCK_MISSING/);
      expect(result.stderr).not.toContain('\x1b[');
    }
  });
});
