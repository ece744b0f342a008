// A wrapped Claude Code .mcp.json entry started exactly as the client starts it: the command (`mcp-lock`,
// found on PATH) and args read back from the rewritten file, its env on top of the SDK's default
// environment, in the project directory (where Claude Code starts project servers). The official MCP SDK
// client then lists and calls tools through `mcp-lock run`.

import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { runCli } from '../helpers/cli.ts';
import {
  auditRecords,
  createProject,
  type LockedProject,
  type PlantedServer,
  plantScenarioServer,
} from '../helpers/locked-project.ts';

const NAME = 'io.github.mcp-lock-test/wrapped';
const TOOLS: JsonObject[] = [
  { name: 'lookup', description: 'Look a word up.', inputSchema: { type: 'object' } },
  { name: 'define', description: 'Define a word.', inputSchema: { type: 'object' } },
];

let project: LockedProject;
let server: PlantedServer;
let elsewhere: string;

beforeAll(async () => {
  project = createProject('mcp-lock-wrap-launch-');
  server = await plantScenarioServer(project, NAME, { era: 'handshake', pinned: { tools: TOOLS } });
  // `mcp-lock` on PATH, as an installed package puts it there.
  elsewhere = mkdtempSync(join(tmpdir(), 'mcp-lock-client-path-'));
  symlinkSync(new URL('../../bin/mcp-lock.js', import.meta.url).pathname, join(elsewhere, 'mcp-lock'));
  const config = {
    mcpServers: {
      dictionary: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '@mcp-lock-test/wrapped@1.0.0', server.scenarioPath],
        env: { DICTIONARY_TOKEN: 'not-a-real-token' },
      },
    },
  };
  writeFileSync(join(project.root, '.mcp.json'), `${JSON.stringify(config, null, 2)}\n`);
});

afterAll(() => {
  project?.cleanup();
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('a wrapped Claude Code entry, launched as the client launches it', () => {
  it('starts mcp-lock run, and the SDK client lists and calls the pinned tools through it', async () => {
    const wrap = await runCli(['wrap', '--client', 'claude-code', '--json'], { cwd: project.root });
    expect(wrap.code, wrap.stdout + wrap.stderr).toBe(0);
    const result = JSON.parse(wrap.stdout);
    expect(result.servers).toHaveLength(1);
    expect(result.notInstalled).toEqual([]);
    expect(result.servers[0]).toMatchObject({ key: 'dictionary', action: 'wrap', name: NAME });
    // The planted manifest declares no variables: the config's token would not reach the server, and wrap says so.
    expect(result.servers[0].notes).toEqual([
      {
        kind: 'env',
        message: 'the pinned manifest does not declare DICTIONARY_TOKEN, so run will not pass it to the server',
      },
    ]);

    const entry = JSON.parse(readFileSync(join(project.root, '.mcp.json'), 'utf8')).mcpServers.dictionary;
    expect(entry.command).toBe('mcp-lock');
    expect(entry.args).toEqual(['run', NAME, '--project', '.']);
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: {
        ...getDefaultEnvironment(),
        ...entry.env,
        PATH: [dirname(process.execPath), elsewhere, process.env.PATH ?? ''].join(delimiter),
      },
      cwd: project.root,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const client = new Client({ name: 'claude-code-like', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort(), stderr).toEqual(['define', 'lookup']);
      const called = await client.callTool({ name: 'lookup', arguments: {} });
      expect(called.isError ?? false, stderr).toBe(false);
    } finally {
      await client.close();
    }
    expect(server.received().map((r) => r.method)).toContain('tools/call');
    const session = auditRecords(project, NAME).find((r) => r.event === 'session');
    expect(session?.decision).toBe('allowed');
  });
});
