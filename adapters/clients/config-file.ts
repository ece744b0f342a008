// Reading and writing an MCP client's config file: size-capped, decoded as strict UTF-8, comments allowed
// only where the client's format has them, parsed strictly (duplicate keys and __proto__ refused), and the
// position of every server entry located so a rewrite touches nothing else. Writes are atomic and keep
// the file's permissions (configs hold secrets).

import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import {
  type ClientFormat,
  type ConfigLocation,
  type ConfigScope,
  defaultConfigLocation,
  serversPathFor,
} from '../../core/clients/client-formats.ts';
import { type LocatedValue, locateJson, memberOf } from '../../core/clients/json-locate.ts';
import { blankJsonc } from '../../core/clients/jsonc.ts';
import type { ConfigEntry } from '../../core/clients/wrap-plan.ts';
import { McpLockError } from '../../core/errors.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { readInputFile } from '../fs/read-input.ts';

/** ~/.claude.json also holds Claude Code's history, so the cap is generous; the entry count is not. */
export const CONFIG_LIMITS = { maxBytes: 16 * 1024 * 1024, maxEntries: 1000, maxDepth: 64 };

export interface ClientConfig {
  path: string;
  format: ClientFormat;
  serversPath: string[];
  bytes: Buffer;
  /** Permission bits of the file, kept on rewrite. */
  mode: number;
  text: string;
  /** False when the file has no servers object at serversPath (nothing to wrap or import). */
  hasServers: boolean;
  entries: ConfigEntry[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The file a config path names, through symlinks (dotfile managers link configs): the rewrite and the
 * restore replace that file, so the link stays a link. A path that does not exist is returned as it is.
 */
export function configTarget(path: string): string {
  return existsSync(path) ? realpathSync(path) : path;
}

/** Where the config is: --config, or the client's default location for the scope. */
export function resolveConfigLocation(
  format: ClientFormat,
  scope: ConfigScope,
  options: { config?: string | undefined; cwd: string; projectDir: string; env: NodeJS.ProcessEnv },
): ConfigLocation {
  if (options.config) {
    const path = isAbsolute(options.config) ? options.config : resolve(options.cwd, options.config);
    return { path: configTarget(path), serversPath: serversPathFor(format, scope, options.projectDir) };
  }
  const home = options.env.HOME || options.env.USERPROFILE || homedir();
  const location = defaultConfigLocation(format, scope, {
    platform: process.platform,
    home,
    appData: options.env.APPDATA,
    xdgConfigHome: options.env.XDG_CONFIG_HOME,
    projectDir: options.projectDir,
  });
  return { ...location, path: configTarget(location.path) };
}

function valueAt(root: JsonValue, path: readonly string[]): JsonValue | undefined {
  let v: JsonValue | undefined = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
    v = (v as JsonObject)[key];
  }
  return v;
}

/** Parse config bytes (already read) for a client. */
export function parseClientConfig(
  path: string,
  bytes: Buffer,
  format: ClientFormat,
  serversPath: string[],
  mode = 0o644,
): ClientConfig {
  const what = `${format.label} config ${path}`;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new McpLockError('JSON_INVALID_UTF8', `${what} is not valid UTF-8`);
  }
  const blanked = blankJsonc(text, what, format.jsonc);
  const root = parseStrictJson(blanked, what, { maxBytes: CONFIG_LIMITS.maxBytes, maxDepth: CONFIG_LIMITS.maxDepth });
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new McpLockError('CONFIG_INVALID', `${what} is not a JSON object`);
  }
  const servers = valueAt(root, serversPath);
  const base = { path, format, serversPath, bytes, mode, text };
  if (servers === undefined) return { ...base, hasServers: false, entries: [] };
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new McpLockError('CONFIG_INVALID', `${what}: "${serversPath.join('.')}" is not an object`);
  }
  const count = Object.keys(servers).length;
  if (count > CONFIG_LIMITS.maxEntries) {
    throw new McpLockError('LIMIT_EXCEEDED', `${what} lists ${count} servers, more than ${CONFIG_LIMITS.maxEntries}`);
  }
  let located: LocatedValue | undefined = locateJson(blanked);
  for (const key of serversPath) located = located && memberOf(located, key)?.value;
  const entries: ConfigEntry[] = (located?.members ?? []).map((m) => ({
    key: m.key,
    keyStart: m.keyStart,
    value: (servers as JsonObject)[m.key]!,
    valueStart: m.value.start,
    valueEnd: m.value.end,
    members: m.value.members,
  }));
  return { ...base, hasServers: true, entries };
}

/** Read a client's config file. */
export function readClientConfig(path: string, format: ClientFormat, serversPath: string[]): ClientConfig {
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, `${format.label} config`, CONFIG_LIMITS.maxBytes);
  } catch (error) {
    if (error instanceof McpLockError && error.code === 'FILE_NOT_FOUND') {
      throw new McpLockError('FILE_NOT_FOUND', `no ${format.label} config at ${path}`, {
        hint: `Pass --config <path> (or --scope ${format.scopes.join('|')}) to name the file the client reads.`,
      });
    }
    throw error;
  }
  return parseClientConfig(path, bytes, format, serversPath, statSync(path).mode & 0o777);
}

/** Replace the config atomically, with the permissions it had. */
export function writeClientConfig(path: string, data: string | Uint8Array, mode: number): void {
  writeFileAtomic(path, data, { mode });
}
