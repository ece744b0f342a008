// Server permissions as the manifest declares them: what a server may read, write and connect to at run
// time. This module owns their rules (checkPermissions), how flags become permissions (parsePermissionFlags),
// what counts as wider (comparePermissions: every widening is drift a reviewer must see) and how they read
// for humans (describePermissions). Placeholders are resolved to paths in resolve-permissions.ts.

import { type Finding, McpLockError } from '../errors.ts';
import type { Permissions } from '../generated/manifest.ts';

export type { Permissions } from '../generated/manifest.ts';

/** How the placeholders read in hints and help (literal text, not templates). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholders are literal text
export const PLACEHOLDER_TEXT = '~, ${project}, ${data} or ${arg:N}';

/** The strictest permissions: nothing beyond the server's own install, a private /tmp and HOME. */
export function noPermissions(): Permissions {
  return { filesystem: {}, network: {} };
}

const PATH_PATTERN = /^(?=.)(~|\$\{(project|data|arg:[1-9][0-9]?)\}|)(\/(?!\.\.?(\/|$))[^/\0]+)*\/?$/;
const TARGET_PATTERN =
  /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?:([1-9][0-9]{0,4}|\*)$/;

/** A declared path without a trailing slash (except "/" itself). */
function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Findings for permissions the schema lets through: duplicates, ports out of range. */
export function checkPermissions(permissions: Permissions, path = '$.permissions'): Finding[] {
  const findings: Finding[] = [];
  const add = (where: string, message: string) =>
    findings.push({ code: 'MANIFEST_INVALID', path: `${path}.${where}`, message, severity: 'error' });
  for (const kind of ['read', 'write'] as const) {
    const seen = new Set<string>();
    (permissions.filesystem[kind] ?? []).forEach((p, i) => {
      if (!PATH_PATTERN.test(p)) add(`filesystem.${kind}[${i}]`, `"${p}" is not an absolute path or placeholder path`);
      const key = trimSlash(p);
      if (seen.has(key)) add(`filesystem.${kind}[${i}]`, `"${p}" is listed twice`);
      seen.add(key);
    });
  }
  const seen = new Set<string>();
  (permissions.network.allow ?? []).forEach((t, i) => {
    const port = t.slice(t.lastIndexOf(':') + 1);
    if (!TARGET_PATTERN.test(t)) add(`network.allow[${i}]`, `"${t}" is not host:port`);
    else if (port !== '*' && Number(port) > 65535) add(`network.allow[${i}]`, `port ${port} is out of range`);
    if (seen.has(t.toLowerCase())) add(`network.allow[${i}]`, `"${t}" is listed twice`);
    seen.add(t.toLowerCase());
  });
  return findings;
}

export interface PermissionFlags {
  read?: readonly string[];
  write?: readonly string[];
  net?: readonly string[];
  noSubprocesses?: boolean;
}

/** Permissions from `--allow-read`, `--allow-write`, `--allow-net` (paths already absolute or placeholders). */
export function parsePermissionFlags(flags: PermissionFlags): Permissions {
  const permissions = noPermissions();
  const unique = (values: readonly string[]) => [...new Set(values.map(trimSlash))];
  if (flags.read?.length) permissions.filesystem.read = unique(flags.read);
  if (flags.write?.length) permissions.filesystem.write = unique(flags.write);
  if (flags.net?.length) permissions.network.allow = [...new Set(flags.net.map((t) => t.toLowerCase()))];
  if (flags.noSubprocesses) permissions.subprocesses = false;
  const findings = checkPermissions(permissions, 'flags');
  if (findings.length > 0) {
    throw new McpLockError('USAGE', findings[0]!.message, {
      hint:
        `Paths are absolute or start with ${PLACEHOLDER_TEXT} (no . or .. segments); ` +
        'network targets are host:port (*.example.com:443, 127.0.0.1:8080, api.example.com:*).',
    });
  }
  return permissions;
}

export interface PermissionChange {
  /** filesystem.read, filesystem.write, network.allow, subprocesses, sandbox */
  field: string;
  value: string;
}

export interface PermissionsDiff {
  widened: PermissionChange[];
  narrowed: PermissionChange[];
}

const list = (values: readonly string[] | undefined) => new Set((values ?? []).map(trimSlash));

/**
 * What got wider and narrower from `before` to `after`. Absent permissions mean "not sandboxed": dropping
 * them is the widest change of all. A path newly writable counts as wider even if it was readable.
 */
export function comparePermissions(before: Permissions | undefined, after: Permissions | undefined): PermissionsDiff {
  const diff: PermissionsDiff = { widened: [], narrowed: [] };
  if (!before && !after) return diff;
  if (before && !after) {
    diff.widened.push({ field: 'sandbox', value: 'removed: the server would run with all of the user’s rights' });
    return diff;
  }
  if (!before && after) {
    diff.narrowed.push({ field: 'sandbox', value: 'added: the server runs sandboxed' });
    return diff;
  }
  const b = before!;
  const a = after!;
  const sets: [string, Set<string>, Set<string>][] = [
    ['filesystem.read', list(b.filesystem.read), list(a.filesystem.read)],
    ['filesystem.write', list(b.filesystem.write), list(a.filesystem.write)],
    ['network.allow', list(b.network.allow), list(a.network.allow)],
  ];
  for (const [field, old, neu] of sets) {
    for (const v of neu) if (!old.has(v)) diff.widened.push({ field, value: v });
    for (const v of old) if (!neu.has(v)) diff.narrowed.push({ field, value: v });
  }
  const subOld = b.subprocesses !== false;
  const subNew = a.subprocesses !== false;
  if (subNew && !subOld) diff.widened.push({ field: 'subprocesses', value: 'allowed' });
  if (!subNew && subOld) diff.narrowed.push({ field: 'subprocesses', value: 'denied' });
  return diff;
}

/** One line per permission, for `list`, `add`, `diff` and reviews. */
export function describePermissions(permissions: Permissions | undefined): string[] {
  if (!permissions) return ['not sandboxed: the manifest declares no permissions'];
  const read = permissions.filesystem.read ?? [];
  const write = permissions.filesystem.write ?? [];
  const net = permissions.network.allow ?? [];
  return [
    `read   ${read.length ? read.join(', ') : 'nothing beyond its own package'}`,
    `write  ${write.length ? write.join(', ') : 'only a private /tmp and HOME'}`,
    `net    ${net.length ? net.join(', ') : 'none'}`,
    `spawn  ${permissions.subprocesses === false ? 'denied' : 'allowed (inside the sandbox)'}`,
  ];
}

/** Does `host:port` match one of the allowed targets? Host names compare case-insensitively. */
export function networkAllowed(allow: readonly string[] | undefined, host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const target of allow ?? []) {
    const colon = target.lastIndexOf(':');
    const pattern = target.slice(0, colon).toLowerCase();
    const p = target.slice(colon + 1);
    if (p !== '*' && Number(p) !== port) continue;
    if (pattern.startsWith('*.')) {
      if (h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1) return true;
    } else if (h === pattern) return true;
  }
  return false;
}

/**
 * Loopback, private, link-local and unspecified addresses: a declared host *name* must not resolve to one
 * (DNS rebinding into the user's machine or network); only a declared address literal may reach them.
 */
export function isInternalAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    const [x, y] = [Number(v4[1]), Number(v4[2])];
    return (
      x === 0 ||
      x === 10 ||
      x === 127 ||
      (x === 100 && y >= 64 && y <= 127) ||
      (x === 169 && y === 254) ||
      (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168)
    );
  }
  return a === '::' || a === '::1' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a);
}
