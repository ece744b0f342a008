// The official MCP Inspector CLI (@modelcontextprotocol/inspector --cli, a real client nobody on the team
// wrote) through `mcp-lock run` in block mode, on the real server-everything and server-filesystem: every
// listing it prints is byte-identical to the one it prints on a direct connection to the same installed
// server. The Inspector declares roots, so server-everything shows it a capability-gated tool that is only
// pinned because introspection plays a fully capable client.

import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLockedServer } from '../../adapters/project/launch.ts';
import { createProject, type LockedProject, lockNpmServer, runArgs } from '../helpers/locked-project.ts';

const run = promisify(execFile);
const INSPECTOR = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector/package.json')),
  'clients/launcher/build/index.js',
);
const EVERYTHING = 'io.github.modelcontextprotocol/server-everything';
const FILESYSTEM = 'io.github.modelcontextprotocol/server-filesystem';

let project: LockedProject;
let shared: string;

/** Run the Inspector CLI on one server of a config file; its stdout (JSON) and exit code. */
async function inspect(config: string, server: string, method: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [INSPECTOR, '--cli', '--config', config, '--server', server, '--method', method],
    {
      env: { PATH: process.env.PATH ?? '', HOME: project.root },
      timeout: 60_000,
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  return stdout;
}

function writeConfig(name: string, servers: Record<string, { command: string; args: string[] }>): string {
  const path = join(project.root, name);
  writeFileSync(path, JSON.stringify({ mcpServers: servers }, null, 2));
  return path;
}

let direct: string;
let guarded: string;

beforeAll(async () => {
  project = createProject('mcp-lock-inspector-');
  shared = join(project.root, 'shared');
  mkdirSync(shared);
  writeFileSync(join(shared, 'notes.txt'), 'pinned and guarded\n');
  await lockNpmServer(project, '@modelcontextprotocol/server-everything@2026.8.31');
  await lockNpmServer(project, '@modelcontextprotocol/server-filesystem@2026.8.31', {
    packageArguments: [{ type: 'positional', value: shared }],
  });
  const launch = (name: string) => {
    const resolved = resolveLockedServer(project.root, name, process.env);
    if (resolved.launch.kind !== 'stdio') throw new Error('expected a stdio server');
    return { command: resolved.launch.launch.command, args: resolved.launch.launch.args };
  };
  direct = writeConfig('direct.json', { everything: launch(EVERYTHING), filesystem: launch(FILESYSTEM) });
  guarded = writeConfig('guarded.json', {
    everything: { command: process.execPath, args: runArgs(project, EVERYTHING) },
    filesystem: { command: process.execPath, args: runArgs(project, FILESYSTEM) },
  });
});

afterAll(() => project?.cleanup());

describe('the MCP Inspector CLI through mcp-lock run', () => {
  for (const server of ['everything', 'filesystem']) {
    for (const method of ['tools/list', 'prompts/list', 'resources/list']) {
      it(`${server}: ${method} prints exactly what a direct connection prints`, async () => {
        const [a, b] = [await inspect(direct, server, method), await inspect(guarded, server, method)];
        expect(b).toBe(a);
        expect(JSON.parse(b)).toBeTypeOf('object');
        if (server === 'everything' && method === 'tools/list') {
          const names = (JSON.parse(b).tools as { name: string }[]).map((t) => t.name);
          expect(names).toContain('get-roots-list');
          expect(names).toContain('echo');
        }
        if (server === 'filesystem' && method === 'tools/list') {
          expect(JSON.parse(b).tools.map((t: { name: string }) => t.name)).toContain('read_text_file');
        }
      });
    }
  }
});
