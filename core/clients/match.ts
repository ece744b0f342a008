// Which lock entry a client config entry runs: by the npm package it launches (package.identifier) or the
// remote URL it connects to (remote.url). When several lock entries pin the same package, the one whose
// pinned arguments equal the config's wins; otherwise the user chooses with --map. Also what will differ
// once the entry runs through `mcp-lock run` (version, arguments, environment), so it can be reported.

import { isExactVersion } from '../npm/spec.ts';
import type { EntryLaunch } from './launch-spec.ts';

export interface LockedTarget {
  name: string;
  version: string;
  source: 'registry' | 'tofu';
  packageIdentifier?: string;
  remoteUrl?: string;
  /** The pinned remote's transport. */
  remoteTransport?: 'streamable-http' | 'sse';
  /** The arguments `run` starts the server with (from its manifest); null when unknown. */
  pinnedArgs: string[] | null;
  /** Environment variable names the manifest declares; null when unknown. */
  envNames: string[] | null;
}

export interface MatchNote {
  kind: 'version' | 'args' | 'env' | 'transport';
  message: string;
}

export type Match =
  | { status: 'pinned'; target: LockedTarget; notes: MatchNote[] }
  | { status: 'unpinned'; reason: string }
  | { status: 'ambiguous'; candidates: string[] };

/** URLs compare as the URL parser normalises them, ignoring one trailing slash. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      return new URL(u).href.replace(/\/$/, '');
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

const sameArgs = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function targetsFor(launch: EntryLaunch, targets: readonly LockedTarget[]): LockedTarget[] {
  if (launch.kind === 'npm') return targets.filter((t) => t.packageIdentifier === launch.pkg);
  if (launch.kind === 'remote')
    return targets.filter((t) => t.remoteUrl !== undefined && sameUrl(t.remoteUrl, launch.url));
  return [];
}

/** What changes when this entry runs the pinned server instead of what the config launched. */
export function launchNotes(launch: EntryLaunch, target: LockedTarget): MatchNote[] {
  const notes: MatchNote[] = [];
  if (launch.kind === 'npm') {
    if (launch.range !== undefined && isExactVersion(launch.range) && launch.range !== target.version) {
      notes.push({
        kind: 'version',
        message: `the config runs ${launch.pkg}@${launch.range}, the lock pins ${target.version}`,
      });
    } else if (launch.range !== undefined && !isExactVersion(launch.range)) {
      notes.push({
        kind: 'version',
        message: `the config asks for "${launch.range}"; the pinned ${target.version} runs`,
      });
    }
    if (target.pinnedArgs !== null && !sameArgs(launch.args, target.pinnedArgs)) {
      notes.push({
        kind: 'args',
        message: `the config passes ${JSON.stringify(launch.args)}, the pinned server starts with ${JSON.stringify(target.pinnedArgs)}`,
      });
    }
    if (target.envNames !== null) {
      const undeclared = Object.keys(launch.env).filter((n) => !target.envNames!.includes(n));
      if (undeclared.length > 0) {
        notes.push({
          kind: 'env',
          message: `the pinned manifest does not declare ${undeclared.join(', ')}, so run will not pass ${undeclared.length === 1 ? 'it' : 'them'} to the server`,
        });
      }
    }
    if (launch.envFile !== undefined) {
      notes.push({
        kind: 'env',
        message: `the config loads the variables of ${launch.envFile} (envFile); run passes on only those the pinned manifest declares or the lock's passEnv names, and drops the rest`,
      });
    }
  }
  if (launch.kind === 'remote' && launch.transport !== (target.remoteTransport ?? 'streamable-http')) {
    notes.push({
      kind: 'transport',
      message:
        launch.transport === 'sse'
          ? 'the config says SSE; run reaches the pinned server over Streamable HTTP'
          : 'the config says Streamable HTTP; run reaches the pinned server over SSE, as it was pinned',
    });
  }
  return notes;
}

/** Find the lock entry a config entry runs. `mapped` is the lock name the user chose for it (--map). */
export function matchEntry(launch: EntryLaunch, targets: readonly LockedTarget[], mapped?: string): Match {
  if (mapped !== undefined) {
    const target = targets.find((t) => t.name === mapped);
    if (!target) return { status: 'unpinned', reason: `--map names ${mapped}, which is not in the lock` };
    if (!targetsFor(launch, [target]).length) {
      return { status: 'unpinned', reason: `--map names ${mapped}, which pins another package or URL` };
    }
    return { status: 'pinned', target, notes: launchNotes(launch, target) };
  }
  const found = targetsFor(launch, targets);
  if (found.length === 0) {
    return {
      status: 'unpinned',
      reason:
        launch.kind === 'npm'
          ? `no lock entry pins the npm package ${launch.pkg}`
          : launch.kind === 'remote'
            ? `no lock entry pins the remote ${launch.url}`
            : 'not an npm package or remote server',
    };
  }
  let chosen = found;
  if (found.length > 1 && launch.kind === 'npm') {
    chosen = found.filter((t) => t.pinnedArgs !== null && sameArgs(t.pinnedArgs, launch.args));
  }
  if (chosen.length !== 1) return { status: 'ambiguous', candidates: found.map((t) => t.name).sort() };
  return { status: 'pinned', target: chosen[0]!, notes: launchNotes(launch, chosen[0]!) };
}
