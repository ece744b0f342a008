// What a client config entry launches, read from its command line or URL: an npm package run through a
// package runner (npx -y, npm exec, pnpm dlx, bunx, yarn dlx; also behind Windows' `cmd /c`), a remote
// server, an entry mcp-lock already wrapped, or something mcp-lock cannot pin (uvx, docker, a local path).

import type { JsonValue } from '../json/strict-json.ts';
import { parseNpmSpec } from '../npm/spec.ts';

export type EntryLaunch =
  | {
      kind: 'npm';
      /** The runner as written (npx, npm exec, pnpm dlx, …). */
      runner: string;
      spec: string;
      pkg: string;
      /** Version, range or tag after @; undefined means latest. */
      range: string | undefined;
      args: string[];
      env: Record<string, string>;
    }
  | {
      kind: 'remote';
      url: string;
      transport: 'streamable-http' | 'sse';
      headerNames: string[];
    }
  | { kind: 'wrapped'; name: string; project: string | undefined }
  | { kind: 'other'; what: string; reason: string };

const isObject = (v: JsonValue | undefined): v is { [k: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `C:\Program Files\nodejs\npx.cmd` → `npx`. */
export function commandBase(command: string): string {
  const base = command.split(/[\\/]/).pop() ?? command;
  return base.toLowerCase().replace(/\.(?:cmd|exe|bat|ps1)$/, '');
}

/** Runner flags that do not change what is run. Anything else before the package is refused. */
const HARMLESS_FLAGS = new Set(['-y', '--yes', '-q', '--quiet', '--silent', '-s', '--bun', '--prefer-online']);

interface Runner {
  runner: string;
  rest: string[];
}

function runnerOf(command: string, args: string[]): Runner | null {
  const base = commandBase(command);
  if (base === 'npx' || base === 'bunx' || base === 'pnpx') return { runner: base, rest: args };
  const sub = args[0];
  if (base === 'npm' && (sub === 'exec' || sub === 'x')) return { runner: `npm ${sub}`, rest: args.slice(1) };
  if ((base === 'pnpm' || base === 'yarn') && sub === 'dlx') return { runner: `${base} dlx`, rest: args.slice(1) };
  if (base === 'bun' && sub === 'x') return { runner: 'bun x', rest: args.slice(1) };
  return null;
}

function stringArray(value: JsonValue | undefined): string[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return null;
  return value as string[];
}

function stringMap(value: JsonValue | undefined): Record<string, string> | null {
  if (value === undefined) return {};
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) return null;
  return value as Record<string, string>;
}

function wrappedBy(command: string, args: string[]): EntryLaunch | null {
  const base = commandBase(command);
  let at = -1;
  if (base === 'mcp-lock' && args[0] === 'run') at = 0;
  else if (/^node\d*$/.test(base) && commandBase(args[0] ?? '') === 'mcp-lock.js' && args[1] === 'run') at = 1;
  else {
    // `npx -y <mcp-lock package>@<version> run <name> --project <dir>`, as `wrap --launcher npx` writes it.
    const runner = runnerOf(command, args);
    const spec = runner?.rest.findIndex((a) => !a.startsWith('-')) ?? -1;
    const name = runner?.rest[spec + 2];
    if (runner && spec >= 0 && runner.rest[spec + 1] === 'run' && name && runner.rest[spec + 3] === '--project') {
      return { kind: 'wrapped', name, project: runner.rest[spec + 4] };
    }
  }
  if (at < 0 || typeof args[at + 1] !== 'string') return null;
  const flag = args.findIndex((a, i) => i > at && (a === '--project' || a === '-p' || a === '-C'));
  const inline = args.find((a) => a.startsWith('--project='));
  const project = flag >= 0 ? args[flag + 1] : inline?.slice('--project='.length);
  return { kind: 'wrapped', name: args[at + 1]!, project };
}

/** Describe one entry of a client's server list. */
export function describeEntry(entry: JsonValue): EntryLaunch {
  if (!isObject(entry)) return { kind: 'other', what: 'entry', reason: 'the entry is not an object' };
  const type = typeof entry.type === 'string' ? entry.type : undefined;
  if (typeof entry.command !== 'string') {
    if (typeof entry.url !== 'string') {
      return { kind: 'other', what: 'entry', reason: 'the entry has neither a command nor a url' };
    }
    const headers = stringMap(entry.headers);
    if (headers === null) return { kind: 'other', what: entry.url, reason: '"headers" is not an object of strings' };
    if (type !== undefined && !['http', 'streamable-http', 'sse'].includes(type)) {
      return { kind: 'other', what: entry.url, reason: `unknown remote type "${type}"` };
    }
    return {
      kind: 'remote',
      url: entry.url,
      transport: type === 'sse' ? 'sse' : 'streamable-http',
      headerNames: Object.keys(headers),
    };
  }
  let command = entry.command;
  let args = stringArray(entry.args);
  const env = stringMap(entry.env);
  if (args === null) return { kind: 'other', what: command, reason: '"args" is not a list of strings' };
  if (env === null) return { kind: 'other', what: command, reason: '"env" is not an object of strings' };
  const what = [command, ...args].join(' ');
  // Windows configs often run `cmd /c npx -y pkg` so that npx.cmd is found.
  if (commandBase(command) === 'cmd' && /^\/[cCkK]$/.test(args[0] ?? '') && args.length >= 2) {
    command = args[1]!;
    args = args.slice(2);
  }
  const wrapped = wrappedBy(command, args);
  if (wrapped) return wrapped;
  const runner = runnerOf(command, args);
  if (!runner) {
    return {
      kind: 'other',
      what,
      reason: `${commandBase(command)} is not an npm package runner (mcp-lock pins npm packages and remote servers)`,
    };
  }
  let i = 0;
  const rest = runner.rest;
  while (i < rest.length && rest[i]!.startsWith('-')) {
    if (rest[i] === '--') {
      i++;
      break;
    }
    if (!HARMLESS_FLAGS.has(rest[i]!)) {
      return { kind: 'other', what, reason: `the ${runner.runner} option ${rest[i]} is not supported` };
    }
    i++;
  }
  const spec = rest[i];
  if (spec === undefined) return { kind: 'other', what, reason: `${runner.runner} names no package` };
  try {
    const parsed = parseNpmSpec(spec);
    return {
      kind: 'npm',
      runner: runner.runner,
      spec,
      pkg: parsed.name,
      range: parsed.range,
      args: rest.slice(i + 1),
      env,
    };
  } catch (error) {
    return { kind: 'other', what, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** True when a string uses a client-side variable (${input:…}, ${workspaceFolder}, ${VAR}, ${env:…}). */
export function usesClientVariable(text: string): boolean {
  return /\$\{[^}]*\}/.test(text);
}
