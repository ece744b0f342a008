// The running sessions of a project, for `mcp-lock status`: every `mcp-lock run` writes
// .mcp-lock/run/<encoded name>.<pid>.json (git-ignored) when its guard starts and removes it when it
// ends, even on a crash-free exit through process.on('exit'). A file whose pid no longer runs is stale
// (a killed run): status shows it as gone and ignores it for the pause state.

import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { projectPaths } from '../project/project.ts';
import { ensureIgnoredDir } from './control-watch.ts';

export interface RunRecord {
  name: string;
  pid: number;
  session: string;
  startedAt: string;
  version: string;
  manifest: string;
  online: boolean;
}

export interface ListedRun extends RunRecord {
  /** The process still runs. */
  alive: boolean;
}

/** Records status reads at most (a directory full of junk must not stall it). */
const MAX_RECORDS = 1000;
const MAX_RECORD_BYTES = 64 * 1024;

export function runDir(root: string): string {
  return join(projectPaths(root).state, 'run');
}

/** Register this run; the returned function (also run at process exit) removes the record. */
export function registerRunSession(root: string, record: RunRecord): () => void {
  const dir = runDir(root);
  ensureIgnoredDir(dir, 'the running `mcp-lock run` sessions');
  const path = join(dir, `${encodeURIComponent(record.name)}.${record.pid}.json`);
  writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', remove);
  return remove;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function toRecord(value: unknown): RunRecord | null {
  const v = value as JsonObject;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  if (typeof v.name !== 'string' || !Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return null;
  const str = (x: unknown) => (typeof x === 'string' ? x.slice(0, 256) : '');
  return {
    name: v.name.slice(0, 256),
    pid: v.pid as number,
    session: str(v.session),
    startedAt: str(v.startedAt),
    version: str(v.version),
    manifest: str(v.manifest),
    online: v.online === true,
  };
}

/** The registered sessions (alive or stale), oldest first; unreadable records are skipped. */
export function listRunSessions(root: string): ListedRun[] {
  let names: string[];
  try {
    names = readdirSync(runDir(root)).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  } catch {
    return [];
  }
  const out: ListedRun[] = [];
  for (const file of names.sort().slice(0, MAX_RECORDS)) {
    const path = join(runDir(root), file);
    try {
      if (statSync(path).size > MAX_RECORD_BYTES) continue;
      const record = toRecord(parseStrictJson(readFileSync(path), 'run record', { maxDepth: 4 }));
      if (record) out.push({ ...record, alive: isAlive(record.pid) });
    } catch {
      // a record being written or removed right now, or junk: not a session
    }
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
