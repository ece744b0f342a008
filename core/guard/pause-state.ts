// The big red button's state (issue #13.7): which servers of a project are paused, as written by
// `mcp-lock pause` / `resume` into .mcp-lock/control/pause.json and read by every running `mcp-lock run`.
// A pause of one server wins over --all and so does a resume of one server (`pause --all`, then
// `resume x`, runs only x). Pure: parse, apply a command, and say whether a server is paused.

import { McpLockError } from '../errors.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../json/strict-json.ts';

export interface PauseMark {
  /** ISO time of the command. */
  since: string;
  /** What the person said (`--reason`), untrusted text. */
  reason?: string;
}

export interface PauseState {
  version: 1;
  /** `pause --all`, or null. */
  all: PauseMark | null;
  /** One server paused or resumed by name, over what `all` says. */
  servers: Record<string, PauseMark & { paused: boolean }>;
}

/** What a running guard needs to know: paused or not, and why (for the error the client gets). */
export interface PauseInfo {
  scope: 'all' | 'server';
  since: string;
  reason?: string;
}

export const PAUSE_FILE_MAX_BYTES = 1024 * 1024;
const MAX_SERVERS = 10_000;
const MAX_REASON = 500;
const MAX_NAME = 256;

export function emptyPauseState(): PauseState {
  return { version: 1, all: null, servers: {} };
}

function invalid(what: string): McpLockError {
  return new McpLockError('CONFIG_INVALID', `the pause file ${what}`, {
    hint: 'Write it again with `mcp-lock resume --all` (or `mcp-lock pause --all`); until then every server is paused.',
  });
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMark(value: JsonValue | undefined, where: string): PauseMark {
  if (!isObject(value)) throw invalid(`has no object at ${where}`);
  const { since, reason } = value;
  if (typeof since !== 'string' || since.length > 64 || Number.isNaN(Date.parse(since))) {
    throw invalid(`has no valid "since" time at ${where}`);
  }
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON)) {
    throw invalid(`has an unreadable "reason" at ${where}`);
  }
  return { since, ...(reason !== undefined ? { reason } : {}) };
}

/** The pause file's bytes, strictly parsed; throws CONFIG_INVALID (a running guard then pauses everything). */
export function parsePauseState(bytes: string | Uint8Array): PauseState {
  const value = parseStrictJson(bytes, 'pause file', { maxBytes: PAUSE_FILE_MAX_BYTES, maxDepth: 8 });
  if (!isObject(value)) throw invalid('is not a JSON object');
  for (const key of Object.keys(value)) {
    if (key !== 'version' && key !== 'all' && key !== 'servers') throw invalid(`has an unknown field "${key}"`);
  }
  if (value.version !== 1) throw invalid('is not version 1');
  const all = value.all === null || value.all === undefined ? null : parseMark(value.all, 'all');
  const servers: PauseState['servers'] = {};
  const raw = value.servers ?? {};
  if (!isObject(raw)) throw invalid('has no "servers" object');
  const names = Object.keys(raw);
  if (names.length > MAX_SERVERS) throw invalid(`names more than ${MAX_SERVERS} servers`);
  for (const name of names) {
    if (name.length === 0 || name.length > MAX_NAME) throw invalid('names a server with an unusable name');
    const entry = raw[name];
    if (!isObject(entry) || typeof entry.paused !== 'boolean') throw invalid(`has no "paused" for ${name}`);
    servers[name] = { paused: entry.paused, ...parseMark(entry, `servers.${name}`) };
  }
  return { version: 1, all, servers };
}

export function formatPauseState(state: PauseState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

export type PauseCommand = { action: 'pause' | 'resume'; target: { all: true } | { server: string } } & PauseMark;

/** The state after `pause` or `resume` (a new value; the old one is not changed). */
export function applyPauseCommand(state: PauseState, command: PauseCommand): PauseState {
  const mark: PauseMark = { since: command.since, ...(command.reason ? { reason: command.reason } : {}) };
  if ('all' in command.target) {
    return { version: 1, all: command.action === 'pause' ? mark : null, servers: {} };
  }
  const servers = { ...state.servers };
  const name = command.target.server;
  if (command.action === 'pause') servers[name] = { paused: true, ...mark };
  else if (state.all) servers[name] = { paused: false, ...mark };
  else delete servers[name];
  return { version: 1, all: state.all, servers };
}

/** Whether one server is paused, and by which command; null when it runs. */
export function pauseOf(state: PauseState, server: string): PauseInfo | null {
  const own = Object.hasOwn(state.servers, server) ? state.servers[server] : undefined;
  if (own) return own.paused ? markInfo('server', own) : null;
  return state.all ? markInfo('all', state.all) : null;
}

function markInfo(scope: PauseInfo['scope'], mark: PauseMark): PauseInfo {
  return { scope, since: mark.since, ...(mark.reason !== undefined ? { reason: mark.reason } : {}) };
}

/** The state a pause file that cannot be read stands for: everything paused (the button must not fail open). */
export function unreadablePauseInfo(reason: string, since: string): PauseInfo {
  return { scope: 'all', since, reason: `the pause file cannot be read (${reason})` };
}

export function samePause(a: PauseInfo | null, b: PauseInfo | null): boolean {
  if (a === null || b === null) return a === b;
  return a.scope === b.scope && a.since === b.since && a.reason === b.reason;
}
