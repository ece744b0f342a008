// Configs a team can commit: a project with a TOFU pin is wrapped for VS Code (.vscode/mcp.json, JSONC) and
// Claude Code (.mcp.json), then the whole project directory is moved elsewhere, as a teammate's checkout
// would be. Each wrapped entry is then started the way its client starts it (`mcp-lock` found on PATH;
// VS Code substitutes ${workspaceFolder}, Claude Code starts project servers in the project directory), and
// the official SDK client lists and calls the pinned tool through `mcp-lock run`. Nothing in the configs
// names this machine's node binary, script or the old project path; the user's ${input:…} stays.

import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_FOLDER } from '../../core/clients/launcher.ts';
import { runCli } from '../helpers/cli.ts';
import { type NpmRegistry, startNpmRegistry } from '../helpers/npm-registry.ts';
import { TINY_SERVER_JS } from '../helpers/tiny-server.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const NAME = 'npm.test/portable-mcp';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code input reference, kept as the user wrote it
const INPUT = '${input:portable-key}';
const SPEC = '@test/portable-mcp@1.0.0';

let registry: NpmRegistry;
let work: string;
let original: string;
let moved: string;
let pathDir: string;

const VSCODE_CONFIG = `{
  // The team's servers; the key is asked for once.
  "inputs": [{ "type": "promptString", "id": "portable-key", "password": true }],
  "servers": {
    "portable": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "${SPEC}"],
      "env": { "PORTABLE_KEY": "\${input:portable-key}" },
    },
  },
}
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-portable-'));
  registry = await startNpmRegistry({
    packages: [
      {
        name: '@test/portable-mcp',
        version: '1.0.0',
        files: {
          'server.js': TINY_SERVER_JS,
          'surface.json': JSON.stringify({
            tools: [{ name: 'hello', description: 'Say hello', inputSchema: { type: 'object' } }],
          }),
        },
        bin: { 'portable-mcp': 'server.js' },
      },
    ],
  });
  original = join(work, 'alice', 'project');
  mkdirSync(join(original, '.vscode'), { recursive: true });
  writeFileSync(join(original, '.vscode', 'mcp.json'), VSCODE_CONFIG);
  writeFileSync(
    join(original, '.mcp.json'),
    `${JSON.stringify({ mcpServers: { portable: { command: 'npx', args: ['-y', SPEC] } } }, null, 2)}\n`,
  );
  // `mcp-lock` on PATH, as an installed package puts it there.
  pathDir = join(work, 'bin');
  mkdirSync(pathDir);
  symlinkSync(BIN, join(pathDir, 'mcp-lock'));
});

afterAll(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[], cwd: string) =>
  runCli(args, { cwd, env: { npm_config_cache: join(work, 'npm-cache') }, timeoutMs: 120_000 });

/** Start an entry as a client does, and list and call its tools with the SDK client. */
async function launch(entry: { command: string; args: string[] }, cwd: string): Promise<string[]> {
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: {
      ...getDefaultEnvironment(),
      PATH: [dirname(process.execPath), pathDir, process.env.PATH ?? ''].join(delimiter),
    },
    cwd,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'portable-client', version: '1.0.0' });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const called = await client.callTool({ name: 'hello', arguments: {} });
    expect(called.isError ?? false, stderr).toBe(false);
    return tools.map((t) => t.name);
  } catch (error) {
    throw new Error(`${String(error)}\n${stderr}`);
  } finally {
    await client.close();
  }
}

describe('wrapped configs survive a move of the project', () => {
  it('pins, installs and wraps VS Code and Claude Code configs without machine paths', async () => {
    expect((await cli(['init'], original)).code).toBe(0);
    const add = await cli(['add', '--tofu', SPEC, '--npm-registry', registry.url], original);
    expect(add.code, add.stderr).toBe(0);
    for (const client of ['vscode', 'claude-code']) {
      const r = await cli(['wrap', '--client', client, '--json'], original);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).servers[0]).toMatchObject({ key: 'portable', action: 'wrap', name: NAME });
    }
    const vscode = readFileSync(join(original, '.vscode', 'mcp.json'), 'utf8');
    const claude = readFileSync(join(original, '.mcp.json'), 'utf8');
    for (const text of [vscode, claude]) {
      expect(text).not.toContain(original);
      expect(text).not.toContain(process.execPath);
      expect(text).not.toContain('mcp-lock.js');
    }
    // The user's comments and input reference are kept as they are.
    expect(vscode).toContain("// The team's servers; the key is asked for once.");
    expect(vscode).toContain(`"PORTABLE_KEY": "${INPUT}"`);
    expect(parseJsonc(vscode).servers.portable).toEqual({
      type: 'stdio',
      command: 'mcp-lock',
      args: ['run', NAME, '--project', WORKSPACE_FOLDER],
      env: { PORTABLE_KEY: INPUT },
    });
    expect(JSON.parse(claude).mcpServers.portable).toEqual({
      command: 'mcp-lock',
      args: ['run', NAME, '--project', '.'],
    });
  });

  it('after the project moves, each client starts the pinned server from the committed config', async () => {
    moved = join(work, 'bob', 'checkout');
    mkdirSync(dirname(moved), { recursive: true });
    renameSync(original, moved);
    // VS Code substitutes ${workspaceFolder} in args, and starts servers from anywhere.
    const vscode = parseJsonc(readFileSync(join(moved, '.vscode', 'mcp.json'), 'utf8')).servers.portable;
    const args = (vscode.args as string[]).map((a) => a.replace(WORKSPACE_FOLDER, moved));
    expect(await launch({ command: vscode.command, args }, tmpdir())).toEqual(['hello']);
    // Claude Code starts a project's servers in the project directory.
    const claude = JSON.parse(readFileSync(join(moved, '.mcp.json'), 'utf8')).mcpServers.portable;
    expect(await launch(claude, moved)).toEqual(['hello']);
  });

  it('a second wrap in the moved project recognises the portable entries and changes nothing', async () => {
    const before = readFileSync(join(moved, '.mcp.json'));
    const again = await cli(['wrap', '--client', 'claude-code', '--json'], moved);
    expect(again.code, again.stdout).toBe(0);
    expect(JSON.parse(again.stdout).changed).toBe(false);
    expect(readFileSync(join(moved, '.mcp.json')).equals(before)).toBe(true);
  });
});
