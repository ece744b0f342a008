// Issue #13.7, `run --online` end to end: a real registry on 127.0.0.1 (its signed TUF state pinned by
// `init`), the real server-everything published and approved as 1.0.0 and 1.0.1, a project pinned to
// 1.0.1 and `mcp-lock run --online --online-interval 1` driven by the SDK client. While the signed state
// says the version is good the session runs (benign twin, audited as verified); after a curator yanks
// 1.0.1 the guard stops at its next check and tells the client why and to run `mcp-lock rollback`
// (which would pin 1.0.0; rollback itself is covered by the registry-trust tests).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk as ok } from '../helpers/cli.ts';
import { type E2eRegistry, startE2eRegistry } from '../helpers/e2e-registry.ts';
import { connectSdk, type SdkConnection } from '../helpers/locked-project.ts';

const PKG = '@modelcontextprotocol/server-everything';
const NAME = 'io.github.test/everything';
const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;

let setup: E2eRegistry;
let project: string;
let conn: SdkConnection;

const audit = () =>
  readFileSync(join(project, '.mcp-lock', 'audit', `${encodeURIComponent(NAME)}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const run = () =>
  connectSdk({
    command: process.execPath,
    args: [BIN, 'run', NAME, '--project', project, '--online', '--online-interval', '1'],
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1', npm_config_cache: join(setup.work, 'npm-cache') },
  });

beforeAll(async () => {
  setup = await startE2eRegistry({ prefix: 'mcp-lock-online-', namespace: 'io.github.test' });
  const { work, cli } = setup;
  ok(await cli(['manifest', `${PKG}@2026.8.31`, '--name', NAME, '--out', 'everything.json']));
  const manifest = JSON.parse(readFileSync(join(work, 'everything.json'), 'utf8'));
  for (const version of ['1.0.0', '1.0.1']) {
    writeFileSync(
      join(work, `v${version}.json`),
      JSON.stringify({ ...manifest, server: { ...manifest.server, version } }),
    );
    await setup.publishFile(`v${version}.json`);
  }
  project = join(work, 'project');
  mkdirSync(project);
  ok(await cli(['init', '--registry', setup.registry.url], project));
  ok(await cli(['add', `${NAME}@1.0.1`], project));
}, 300_000);

afterAll(async () => {
  await conn?.close();
  await setup?.close();
});

describe('mcp-lock run --online', () => {
  it('runs while the signed state says the version is good (checked at start and every interval)', async () => {
    conn = await run();
    const echo = await conn.client.callTool({ name: 'echo', arguments: { message: 'fresh' } });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: fresh' }]);
    const deadline = Date.now() + 10_000;
    while (audit().filter((r) => r.event === 'online' && r.decision === 'verified').length < 2) {
      if (Date.now() > deadline) throw new Error(`no two verified online checks; stderr:\n${conn.stderr()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await conn.client.callTool({ name: 'echo', arguments: { message: 'still' } })).content).toEqual([
      { type: 'text', text: 'Echo: still' },
    ]);
  });

  it('stops at the next check after the running version is yanked, pointing to rollback', async () => {
    const { cli, tokens } = setup;
    const yank = ['registry', 'yank', `${NAME}@1.0.1`, '--reason', 'leaks tokens', '--registry', setup.registry.url];
    ok(await cli([...yank, '--token', tokens.curator]));
    const yankedAt = Date.now();
    let error: Error | null = null;
    while (error === null && Date.now() - yankedAt < 15_000) {
      error = await conn.client.callTool({ name: 'echo', arguments: { message: 'x' } }).then(
        () => null,
        (e: Error) => e,
      );
      if (error === null) await new Promise((r) => setTimeout(r, 200));
    }
    expect(error?.message).toMatch(
      /-32004.*stopped .*was yanked: leaks tokens.*mcp-lock rollback io\.github\.test\/everything/,
    );
    expect(conn.stderr()).toMatch(/STOPPING: .*yanked.*mcp-lock rollback/);
    const halt = audit().find((r) => r.event === 'halt');
    expect(halt).toMatchObject({ decision: 'stopped', code: 'VERSION_YANKED', version: '1.0.1', check: 'online' });
  });
});
