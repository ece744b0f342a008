// The permission flags `add --tofu` and `manifest` share: --allow-read, --allow-write and --allow-net,
// turned into the manifest's permissions (none beyond the server's own install and a private /tmp and
// HOME when no flag is given). Subprocesses stay allowed: bubblewrap alone cannot stop a server from
// starting programs, so there is no flag that would promise it.

import { isAbsolute, resolve } from 'node:path';
import { type Permissions, PLACEHOLDER_TEXT, parsePermissionFlags } from '../../core/permissions/permissions.ts';
import { collect } from '../command.ts';

export interface PermissionOptions {
  allowRead?: string[];
  allowWrite?: string[];
  allowNet?: string[];
}

const PLACEHOLDER_HELP = `absolute, or starting with ${PLACEHOLDER_TEXT}; repeatable`;

type OptionTuple = [flags: string, description: string, parse: (value: string, previous?: string[]) => string[]];

/** One of the permission options, to spread into a commander chain: `.option(...permissionOption('read'))`. */
export function permissionOption(kind: 'read' | 'write' | 'net', prefix = ''): OptionTuple {
  if (kind === 'read')
    return [
      '--allow-read <path>',
      `${prefix}path the server may read when run sandboxed (${PLACEHOLDER_HELP})`,
      collect,
    ];
  if (kind === 'write')
    return [
      '--allow-write <path>',
      `${prefix}path the server may read and write when run sandboxed (${PLACEHOLDER_HELP})`,
      collect,
    ];
  return [
    '--allow-net <host:port>',
    `${prefix}host:port the server may connect to through mcp-lock's proxy (*.example.com:443, 127.0.0.1:8080; repeatable; default: no network)`,
    collect,
  ];
}

/** A relative path on the command line means one relative to where the command runs. */
function absolute(cwd: string, path: string): string {
  if (path === '~' || path.startsWith('~/') || path.startsWith('${') || isAbsolute(path)) return path;
  return resolve(cwd, path);
}

export function permissionsFromOptions(cwd: string, options: PermissionOptions): Permissions {
  return parsePermissionFlags({
    read: (options.allowRead ?? []).map((p) => absolute(cwd, p)),
    write: (options.allowWrite ?? []).map((p) => absolute(cwd, p)),
    net: options.allowNet ?? [],
  });
}

export function hasPermissionFlags(options: PermissionOptions): boolean {
  return Boolean(options.allowRead?.length || options.allowWrite?.length || options.allowNet?.length);
}
