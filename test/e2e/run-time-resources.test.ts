// Issue #10.10 end to end: block means block for resources. A pin records whether the server adds
// resources at run time (`add --tofu --dynamic-resources`, or the publisher's manifest); list and diff
// show it. Through `mcp-lock run` in block mode, a resource no pin covers stops the server, unless the pin
// declares run-time resources: then it stays hidden and unreadable and the session goes on.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { runCli } from '../helpers/cli.ts';
import {
  auditRecords,
  type Behaviour,
  createProject,
  type LockedProject,
  plantScenarioServer,
  RawSession,
  runArgs,
} from '../helpers/locked-project.ts';
import { type NpmRegistry, startNpmRegistry } from '../helpers/npm-registry.ts';
import { tinyServerPackage } from '../helpers/tiny-server.ts';

/** add --tofu names a package by where it came from (core/lockfile/tofu-name.ts). */
const NAME = 'npm.test/files-mcp';
const ECHO: JsonObject = { name: 'echo', description: 'Echo.', inputSchema: { type: 'object' } };
const INDEX: JsonObject = { uri: 'files://index', name: 'index' };
const PINNED: Behaviour = {
  instructions: 'Files.',
  tools: [ECHO],
  prompts: [],
  resources: [INDEX],
  resourceTemplates: [],
};
/** After the first call the server lists a file it created (like server-everything's gzip-file-as-resource). */
const GROWN: Behaviour = { ...PINNED, resources: [INDEX, { uri: 'files://session/report.txt', name: 'report' }] };

let registry: NpmRegistry;
let work: string;
const projects: LockedProject[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-dynamic-'));
  registry = await startNpmRegistry({
    packages: [
      tinyServerPackage(
        '@test/files-mcp',
        { instructions: 'Files.', tools: [ECHO], resources: [INDEX] },
        { description: 'A test server that adds resources at run time' },
      ),
    ],
  });
});

afterAll(async () => {
  await registry.close();
  rmSync(work, { recursive: true, force: true });
  for (const p of projects) p.cleanup();
});

describe('the declaration in the CLI', () => {
  it('add --tofu --dynamic-resources records it; list shows it; verify and diff --live accept it', async () => {
    const project = join(work, 'project');
    mkdirSync(project, { recursive: true });
    const cli = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });
    expect((await cli(['init'])).code).toBe(0);
    const add = await cli([
      'add',
      '--tofu',
      '@test/files-mcp@1.0.0',
      '--dynamic-resources',
      '--npm-registry',
      registry.url,
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(
      /resources added at run time: hidden \(the pin says the server adds resources at run time\)/,
    );
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    expect(lock.servers[NAME].surface.dynamicResources).toBe(true);
    const list = await cli(['list']);
    expect(list.stdout).toMatch(/resources added at run time: hidden/);
    expect(JSON.parse((await cli(['list', '--json'])).stdout).servers[0]).toMatchObject({ dynamicResources: true });
    expect((await cli(['verify'])).code).toBe(0);
    const diff = await cli(['diff', NAME, '--live', '--json']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(JSON.parse(diff.stdout).diff.dynamicResources).toBeNull();
  });

  it('benign twin: without the flag the pin says run-time resources are drift', async () => {
    const project = join(work, 'plain');
    mkdirSync(project, { recursive: true });
    const cli = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });
    expect((await cli(['init'])).code).toBe(0);
    expect((await cli(['add', '--tofu', '@test/files-mcp@1.0.0', '--npm-registry', registry.url])).code).toBe(0);
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    expect(lock.servers[NAME].surface.dynamicResources).toBeUndefined();
    expect((await cli(['list'])).stdout).toMatch(/resources added at run time: drift \(blocked by default\)/);
  });

  it('a registry pin cannot declare it on the consumer side (the publisher does, in the signed manifest)', async () => {
    const add = await runCli(['add', 'io.github.acme/weather@1.0.0', '--dynamic-resources'], {
      cwd: join(work, 'plain'),
    });
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/--dynamic-resources( and [^ ]+)? go with --tofu/);
  });
});

describe('through mcp-lock run, in block mode', () => {
  async function session(dynamicResources: boolean) {
    const project = createProject();
    projects.push(project);
    const server = await plantScenarioServer(
      project,
      `io.github.mcp-lock-test/files-${dynamicResources ? 'dynamic' : 'static'}`,
      {
        era: 'handshake',
        pinned: structuredClone(PINNED),
        attack: structuredClone(GROWN),
        attackWhen: { afterCall: true },
      },
      { dynamicResources },
    );
    const s = new RawSession(runArgs(project, server.name));
    expect((await s.initialize()).error, s.stderr).toBeUndefined();
    expect((await s.request('tools/call', { name: 'echo', arguments: {} })).error).toBeUndefined();
    return { project, server, s };
  }

  it('without the declaration: the new resource is drift, the server is stopped', async () => {
    const { project, server, s } = await session(false);
    const listed = await s.request('resources/list');
    expect(listed.error?.code).toBe(-32001);
    expect(listed.error?.message).toMatch(/resource "files:\/\/session\/report\.txt" is not pinned/);
    expect(await s.close()).toBe(1);
    expect(auditRecords(project, server.name)).toContainEqual(
      expect.objectContaining({ event: 'stop', code: 'DRIFT_DETECTED' }),
    );
  });

  it('with the declaration: hidden and unreadable, and the session goes on', async () => {
    const { server, s } = await session(true);
    const listed = await s.request('resources/list');
    expect(listed.result?.resources).toEqual([INDEX]);
    const read = await s.request('resources/read', { uri: 'files://session/report.txt' });
    expect(read.error?.code).toBe(-32003);
    expect((await s.request('resources/read', { uri: 'files://index' })).result).toBeDefined();
    expect((await s.request('tools/call', { name: 'echo', arguments: {} })).error).toBeUndefined();
    expect(
      server
        .received()
        .filter((r) => r.method === 'resources/read')
        .map((r) => r.name),
    ).toEqual(['files://index']);
    expect(await s.close()).toBe(0);
  });
});
