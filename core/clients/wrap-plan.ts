// The plan of `mcp-lock wrap`, computed before anything is written: for each server of a client config,
// whether it is rewritten to `mcp-lock run <lock name>`, already wrapped, or cannot be (not pinned, not
// something mcp-lock pins, ambiguous); and the rewritten text. Pure, so it is tested over fixtures.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import type { ClientFormat } from './client-formats.ts';
import { applyEdits, headerEnv, type Launcher, type TextEdit, wrapEdits, wrappedEntry } from './config-edit.ts';
import type { LocatedMember } from './json-locate.ts';
import { describeEntry, type EntryLaunch } from './launch-spec.ts';
import { type LockedTarget, type MatchNote, matchEntry } from './match.ts';

export interface ConfigEntry {
  key: string;
  keyStart: number;
  value: JsonValue;
  valueStart: number;
  valueEnd: number;
  /** Where each member of the entry is (when the entry is an object). */
  members: LocatedMember[] | undefined;
}

export type WrapAction = 'wrap' | 'already' | 'unpinned' | 'unsupported' | 'ambiguous';

export interface WrapItem {
  key: string;
  action: WrapAction;
  launch: EntryLaunch;
  /** The lock entry it runs (wrap, already). */
  name?: string;
  notes: MatchNote[];
  reason?: string;
  candidates?: string[];
  newValue?: JsonObject;
}

export interface WrapPlanOptions {
  format: ClientFormat;
  launcher: Launcher;
  /** Absolute project directory the launcher points to. */
  project: string;
  /** Config key → lock name chosen by the user (--map). */
  map: Readonly<Record<string, string>>;
}

export function planWrap(
  entries: readonly ConfigEntry[],
  targets: readonly LockedTarget[],
  options: WrapPlanOptions,
): WrapItem[] {
  return entries.map((entry): WrapItem => {
    const launch = describeEntry(entry.value);
    const base = { key: entry.key, launch, notes: [] as MatchNote[] };
    if (launch.kind === 'wrapped') {
      const elsewhere = launch.project !== undefined && launch.project !== options.project;
      return {
        ...base,
        action: 'already',
        name: launch.name,
        ...(elsewhere ? { reason: `already wrapped for the project ${launch.project}` } : {}),
      };
    }
    if (launch.kind === 'other') return { ...base, action: 'unsupported', reason: launch.reason };
    const value = entry.value as JsonObject;
    if (launch.kind === 'remote' && Object.keys(headerEnv(value.headers)).length > 0 && Object.hasOwn(value, 'env')) {
      return {
        ...base,
        action: 'unsupported',
        reason: 'its headers use variables and it also has an env; move them into env by hand, then wrap again',
      };
    }
    const match = matchEntry(launch, targets, options.map[entry.key]);
    if (match.status === 'unpinned') return { ...base, action: 'unpinned', reason: match.reason };
    if (match.status === 'ambiguous') {
      return {
        ...base,
        action: 'ambiguous',
        candidates: match.candidates,
        reason: `several lock entries pin it (${match.candidates.join(', ')}); choose one with --map ${entry.key}=<name>`,
      };
    }
    return {
      ...base,
      action: 'wrap',
      name: match.target.name,
      notes: match.notes,
      newValue: wrappedEntry(entry.value as JsonObject, options.launcher, match.target.name, options.format),
    };
  });
}

/**
 * The config text with the launch of every planned entry rewritten in place (type, command, args, url,
 * headers); everything else, the entries' env and any comments in them included, keeps its bytes.
 */
export function renderWrap(
  text: string,
  entries: readonly ConfigEntry[],
  items: readonly WrapItem[],
  options: Pick<WrapPlanOptions, 'format' | 'launcher'>,
): string {
  const edits: TextEdit[] = [];
  items.forEach((item, i) => {
    if (item.action !== 'wrap' || !item.name) return;
    const entry = entries[i]!;
    edits.push(...wrapEdits(text, entry, options.launcher, item.name, options.format));
  });
  return applyEdits(text, edits);
}
