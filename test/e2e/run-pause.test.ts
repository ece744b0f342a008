// Issue #13.7, the big red button, end to end: the real server-everything behind `mcp-lock run`, the
// official SDK client, and `mcp-lock pause` / `resume` / `status` spawned as separate processes, as a
// person in another terminal would. A pause takes effect within a second (measured from the time the
// pause command recorded to the moment the in-flight call was cancelled), new calls are refused with an
// error saying how to resume, the session stays up (lists still work), and resume needs no restart.
// Benign twins: a call before the pause and after the resume goes through; a server not paused by name
// keeps running while another one is paused.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, runCli, stdoutJson } from '../helpers/cli.ts';
import {
  auditRecords,
  connectSdk,
  createProject,
  type LockedProject,
  lockNpmServer,
  runArgs,
  type SdkConnection,
} from '../helpers/locked-project.ts';

const SPEC = '@modelcontextprotocol/server-everything@2026.8.31';
const NAME = 'io.github.modelcontextprotocol/server-everything';

let project: LockedProject;
let conn: SdkConnection;

const cli = (args: string[]) => runCli([...args, '--project', project.root], { cwd: project.root });
const echo = (message: string) => conn.client.callTool({ name: 'echo', arguments: { message } });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (error: Error) => ({ message: error.message, at: Date.now() }),
  );
const since = () =>
  Date.parse(JSON.parse(readFileSync(join(project.root, '.mcp-lock/control/pause.json'), 'utf8')).all?.since ?? '');
const sinceOf = (name: string) =>
  Date.parse(JSON.parse(readFileSync(join(project.root, '.mcp-lock/control/pause.json'), 'utf8')).servers[name].since);

beforeAll(async () => {
  project = createProject('mcp-lock-pause-');
  await lockNpmServer(project, SPEC, { dynamicResources: true });
  conn = await connectSdk({ command: process.execPath, args: runArgs(project, NAME) });
}, 300_000);

afterAll(async () => {
  await conn?.close();
  project?.cleanup();
});

describe('mcp-lock pause / resume / status from another process', () => {
  it('status lists the running session; pausing a name the lock does not pin is refused', async () => {
    expect((await echo('before')).content).toEqual([{ type: 'text', text: 'Echo: before' }]);
    const status = stdoutJson(expectOk(await cli(['status', '--json'])));
    expect(status.sessions).toEqual([
      expect.objectContaining({ name: NAME, alive: true, state: 'running', version: '2026.8.31' }),
    ]);
    expect(expectOk(await cli(['status'])).stdout).toMatch(
      /1 running session.*\n.*server-everything@2026\.8\.31.*RUNNING/,
    );
    // The session record and (after the first pause) the pause file never reach git.
    // A name the lock does not pin is a usage error (exit 2), and writes nothing.
    expect((await cli(['pause', 'io.github.other/not-pinned'])).code).toBe(2);
    // So is a pause in a directory with no lock: it would pause nothing.
    const elsewhere = await runCli(['pause', '--all', '--project', join(project.root, '.mcp-lock')], {
      cwd: project.root,
    });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/LOCK_MISSING/);
  });

  it('pauses within a second: the in-flight call is cancelled, new calls are refused, the session stays up', async () => {
    const inFlight = failure(
      conn.client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 20, steps: 20 } }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const pause = expectOk(await cli(['pause', '--all', '--reason', 'incident 42']));
    expect(pause.stdout).toMatch(/paused every server: 1 running session/);
    const cancelled = await inFlight;
    expect(cancelled?.message).toMatch(/every server of this project is paused .*\(incident 42\).*was cancelled/);
    const latency = cancelled!.at - since();
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency, `pause took ${latency} ms`).toBeLessThan(1000);

    const refused = await failure(echo('while paused'));
    expect(refused?.message).toMatch(/-32013.*paused.*echo|tools\/call was not forwarded/);
    expect(refused?.message).toMatch(/Resume with `mcp-lock resume --all`; no restart is needed/);
    // The session is up: listings still work.
    expect((await conn.client.listTools()).tools.length).toBeGreaterThan(5);
    const status = stdoutJson(expectOk(await cli(['status', '--json'])));
    expect(status.sessions[0]).toMatchObject({ name: NAME, state: 'paused' });
    expect(status.pause.all).toMatchObject({ reason: 'incident 42' });

    const audit = auditRecords(project, NAME);
    const seen = audit.find((r) => r.event === 'pause' && r.decision === 'paused');
    expect(seen).toMatchObject({ scope: 'all', seenAfterMs: expect.any(Number) });
    expect(seen?.seenAfterMs as number).toBeLessThan(1000);
    expect(audit).toContainEqual(
      expect.objectContaining({ event: 'request', decision: 'blocked', reason: 'cancelled: paused' }),
    );
  });

  it('resumes without a restart, within a second', async () => {
    expectOk(await cli(['resume', '--all']));
    const resumedAt = Date.now();
    let result: unknown = null;
    while (result === null && Date.now() - resumedAt < 3000) {
      result = await echo('after').catch(() => null);
    }
    expect(Date.now() - resumedAt).toBeLessThan(1000);
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'Echo: after' }] });
    expect(auditRecords(project, NAME)).toContainEqual(
      expect.objectContaining({ event: 'pause', decision: 'resumed' }),
    );
  });

  it('pausing by name reaches this server; resuming it while --all is paused lets only it through', async () => {
    expectOk(await cli(['pause', NAME]));
    const t0 = sinceOf(NAME);
    let refused: { message: string; at: number } | null = null;
    while (refused === null && Date.now() - t0 < 3000) refused = await failure(echo('x'));
    expect(refused!.at - t0).toBeLessThan(1000);
    expect(refused!.message).toMatch(
      new RegExp(`${NAME.replace(/[./]/g, '\\$&')} is paused .*mcp-lock resume ${NAME.replace(/[./]/g, '\\$&')}`),
    );
    expectOk(await cli(['pause', '--all']));
    expectOk(await cli(['resume', NAME]));
    const t1 = sinceOf(NAME);
    let ok: unknown = null;
    while (ok === null && Date.now() - t1 < 3000) ok = await echo('only me').catch(() => null);
    expect(Date.now() - t1).toBeLessThan(1500);
    expect(stdoutJson(expectOk(await cli(['status', '--json']))).sessions[0].state).toBe('running');
    expectOk(await cli(['resume', '--all']));
  });

  it('status shows a record whose process is gone as gone, and ignores it', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    writeFileSync(
      join(project.root, '.mcp-lock/run', `${encodeURIComponent('io.github.x/crashed')}.${pid}.json`),
      JSON.stringify({
        name: 'io.github.x/crashed',
        pid,
        session: 's',
        startedAt: '2026-01-01T00:00:00.000Z',
        version: '1.0.0',
        manifest: 'sha256:x',
        online: false,
      }),
    );
    const status = stdoutJson(expectOk(await cli(['status', '--json'])));
    expect(status.sessions).toContainEqual(
      expect.objectContaining({ name: 'io.github.x/crashed', alive: false, state: 'gone' }),
    );
    expect(expectOk(await cli(['status'])).stdout).toMatch(/1 running session[\s\S]*crashed@1\.0\.0.*gone \(ignored\)/);
  });

  it('git never sees the runtime files', () => {
    const git = (...args: string[]) => spawnSync('git', args, { cwd: project.root, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    const listed = git('status', '--porcelain', '--untracked-files=all').stdout;
    expect(listed).toContain('mcp-lock.json');
    expect(listed).not.toMatch(/\.mcp-lock\/(run|control)\/\w/);
  });
});
