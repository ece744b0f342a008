// bin/mcp-lock.js answers `--version` (and `-V`) alone from package.json without loading the program; that
// shortcut must print exactly what the full program prints, and anything more than the bare flag still goes
// through commander, with the same answer.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../cli/version.ts';
import { runInProcess } from '../helpers/in-process-cli.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;

function bin(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
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
