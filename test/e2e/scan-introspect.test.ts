// `mcp-lock scan` on what is not pinned yet, for real: an npm spec and a client config's npx server are
// installed from the npm registry into a sandbox (install scripts off), started, introspected and
// scanned. The real reference servers must pass at the default --fail-on high.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHiddenCharacters } from '../../core/text/hidden-chars.ts';
import { runCli } from '../helpers/cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-lock-scan-live-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan introspects what it is given', () => {
  it('an npm spec: server-everything is installed, started, scanned, and passes', async () => {
    const r = await runCli(['scan', '@modelcontextprotocol/server-everything@2026.8.31', '--json'], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('npm');
    expect(doc.servers).toEqual(['@modelcontextprotocol/server-everything@2026.8.31']);
    expect(doc.notScanned).toEqual([]);
    expect(doc.maxSeverity === null || ['info', 'low', 'medium'].includes(doc.maxSeverity)).toBe(true);
    expect(r.code).toBe(0);
  });

  it('a client config with an npx server: introspected with its arguments, scanned, passes', async () => {
    writeFileSync(
      join(dir, '.mcp.json'),
      JSON.stringify({
        mcpServers: {
          files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', dir] },
          broken: { command: 'npx', args: ['-y', '@modelcontextprotocol/no-such-package-for-mcp-lock@0.0.1'] },
        },
      }),
    );
    const r = await runCli(['scan', '.mcp.json'], { cwd: dir, timeoutMs: 240_000 });
    expect(hasHiddenCharacters(r.stdout + r.stderr)).toBe(false);
    expect(r.stderr).toContain('Introspecting files (@modelcontextprotocol/server-filesystem@2026.8.31)');
    expect(r.stderr).toMatch(/broken not scanned: \w+/);
    expect(r.stdout).toContain('in 1 server; 1 not scanned.');
    expect(r.stdout).toContain('Passing: nothing at or above high.');
    expect(r.code).toBe(0);
  });
});
