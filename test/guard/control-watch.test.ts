// The pause file on disk and the watch every `mcp-lock run` keeps on it (adapters/proxy/control-watch.ts),
// the session records of `mcp-lock status` (run-registry.ts) and what an --online check means for a running
// session (online-watch.ts). Real files in a temporary project; the registry answer is injected.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  currentPause,
  PauseWatch,
  pauseFilePath,
  readPauseState,
  writePauseState,
} from '../../adapters/proxy/control-watch.ts';
import { checkRunningVersion } from '../../adapters/proxy/online-watch.ts';
import { listRunSessions, registerRunSession, runDir } from '../../adapters/proxy/run-registry.ts';
import type { Finding } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import { applyPauseCommand, emptyPauseState, type PauseInfo } from '../../core/guard/pause-state.ts';

let root: string;
const SINCE = '2026-12-03T13:00:00.000Z';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mcp-lock-control-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const pauseAll = () =>
  writePauseState(root, applyPauseCommand(emptyPauseState(), { action: 'pause', target: { all: true }, since: SINCE }));

describe('the pause file', () => {
  it('is absent until written; written atomically in a git-ignored directory', () => {
    expect(readPauseState(root)).toEqual(emptyPauseState());
    expect(currentPause(root, 'a')).toBeNull();
    pauseAll();
    expect(currentPause(root, 'a')).toEqual({ scope: 'all', since: SINCE });
    expect(readFileSync(join(root, '.mcp-lock/control/.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('an unreadable pause file pauses every server (fail closed), with a stable since', () => {
    pauseAll();
    writeFileSync(pauseFilePath(root), '{"version":1,"all":');
    const a = currentPause(root, 'a');
    expect(a).toMatchObject({ scope: 'all', reason: expect.stringMatching(/cannot be read/) });
    expect(currentPause(root, 'a')).toEqual(a);
  });

  it('the watch reports a pause and a resume well within a second, and nothing when nothing changed', async () => {
    const seen: { info: PauseInfo | null; at: number }[] = [];
    const watch = new PauseWatch(root, 'a', (info) => seen.push({ info, at: Date.now() }), 100);
    watch.start();
    try {
      await new Promise((r) => setTimeout(r, 250));
      expect(seen).toEqual([]);
      const t0 = Date.now();
      pauseAll();
      while (seen.length === 0 && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
      expect(seen[0]?.info).toMatchObject({ scope: 'all' });
      expect(seen[0]!.at - t0).toBeLessThan(1000);
      writePauseState(root, emptyPauseState());
      while (seen.length === 1 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 10));
      expect(seen[1]?.info).toBeNull();
    } finally {
      watch.close();
    }
  });
});

describe('session records', () => {
  it('registers, lists as alive, removes on exit; a dead pid is listed as not alive', () => {
    const record = {
      name: 'io.github.x/y',
      pid: process.pid,
      session: 's',
      startedAt: SINCE,
      version: '1.0.0',
      manifest: 'sha256:a',
      online: false,
    };
    const remove = registerRunSession(root, record);
    expect(listRunSessions(root)).toEqual([{ ...record, alive: true }]);
    expect(readFileSync(join(runDir(root), '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    remove();
    expect(listRunSessions(root)).toEqual([]);
    writeFileSync(join(runDir(root), 'junk.json'), 'not json');
    writeFileSync(join(runDir(root), 'dead.2147483646.json'), JSON.stringify({ ...record, pid: 2147483646 }));
    expect(listRunSessions(root)).toEqual([{ ...record, pid: 2147483646, alive: false }]);
  });
});

describe('what an --online check means for a running session', () => {
  const lock = { servers: { s: { version: '1.0.1' } } } as unknown as McpLockFile;
  const verdict = (findings: Finding[]) => checkRunningVersion({ root, lock, name: 's', check: async () => findings });
  const finding = (code: string, severity: 'error' | 'warning', message: string) =>
    ({ code, severity, message, path: '$' }) as Finding;

  it('a yank, a rejection, another manifest or a dropped version stops it, pointing to rollback', async () => {
    for (const code of ['VERSION_YANKED', 'VERSION_REJECTED', 'DIGEST_MISMATCH', 'VERSION_NOT_LISTED']) {
      const v = await verdict([finding(code, 'error', 's@1.0.1 was yanked: leaks tokens')]);
      expect(v.stop, code).toMatchObject({ code, detail: { version: '1.0.1' } });
      expect(v.stop?.reason).toMatch(
        /signed state says s@1\.0\.1 was yanked: leaks tokens; roll back with `mcp-lock rollback s`/,
      );
    }
  });

  it('benign twins: a good version, a deprecation and an unreachable registry do not stop it', async () => {
    expect(await verdict([])).toEqual({});
    expect((await verdict([finding('VERSION_YANKED', 'warning', 's@1.0.1 is deprecated')])).note?.decision).toBe(
      'reported',
    );
    const down = await verdict([finding('REGISTRY_UNAVAILABLE', 'error', 's: cannot read the signed state')]);
    expect(down.stop).toBeUndefined();
    expect(down.note).toMatchObject({ decision: 'failed', code: 'REGISTRY_UNAVAILABLE' });
  });
});
