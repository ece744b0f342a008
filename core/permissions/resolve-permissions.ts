// Declared permission paths made concrete for one launch: placeholders (~, ${project}, ${data}, ${arg:N})
// replaced by this machine's directories and the server's own arguments. Pure: the caller passes every
// directory in. A placeholder that cannot be resolved is an error, never a silently dropped path.

import { posix } from 'node:path';
import { McpLockError } from '../errors.ts';
import type { Permissions } from '../generated/manifest.ts';

export interface PermissionContext {
  /** The directory holding mcp-lock.json. */
  project: string;
  /** The server's own data directory. */
  data: string;
  /** The user's home directory (the real one: ~ in a declared path means it). */
  home: string;
  /** The server's package arguments, in order, as they will be passed. */
  args: readonly string[];
}

export interface ResolvedPermissions {
  read: string[];
  write: string[];
  network: string[];
  subprocesses: boolean;
}

const PLACEHOLDER = /^(?:(~)|\$\{(project|data|arg:([1-9][0-9]?))\})?(.*)$/s;

function expand(declared: string, ctx: PermissionContext): string {
  const [, tilde, name, argIndex, rest = ''] = PLACEHOLDER.exec(declared)!;
  let base = '/';
  if (tilde) base = ctx.home;
  else if (name === 'project') base = ctx.project;
  else if (name === 'data') base = ctx.data;
  else if (argIndex) {
    const n = Number(argIndex);
    const value = ctx.args[n - 1];
    if (value === undefined) {
      throw new McpLockError(
        'CONFIG_INVALID',
        `the permission ${declared} names argument ${n}, which the server lacks`,
        {
          hint: `The server is started with ${ctx.args.length} argument(s).`,
        },
      );
    }
    if (!value.startsWith('/')) {
      throw new McpLockError(
        'CONFIG_INVALID',
        `the permission ${declared} names argument ${n} ("${value}"), which is not an absolute path`,
      );
    }
    base = value;
  }
  if (!base.startsWith('/'))
    throw new McpLockError('CONFIG_INVALID', `${declared} does not resolve to an absolute path`);
  return posix.normalize(posix.join(base, rest)).replace(/(.)\/$/, '$1');
}

/** Concrete absolute paths for every declared path; a path both read and written is only written. */
export function resolvePermissions(permissions: Permissions, ctx: PermissionContext): ResolvedPermissions {
  const write = [...new Set((permissions.filesystem.write ?? []).map((p) => expand(p, ctx)))];
  const read = [...new Set((permissions.filesystem.read ?? []).map((p) => expand(p, ctx)))].filter(
    (p) => !write.includes(p),
  );
  return {
    read,
    write,
    network: [...(permissions.network.allow ?? [])],
    subprocesses: permissions.subprocesses !== false,
  };
}
