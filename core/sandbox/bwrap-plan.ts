// The bubblewrap command line for one sandboxed server, computed purely from what the caller found on the
// host. The sandbox is an allow-list: a fresh mount namespace that shows only the runtime (the system's
// /usr and its /lib* links, a few files of /etc, the Node executable), the installed server (read-only),
// the declared paths (read-only or read-write), and a private /tmp and HOME. Every namespace bubblewrap
// can unshare is unshared, the network included: declared hosts are reached only through mcp-lock's
// allow-listing proxy, whose Unix socket is the one thing bound in for it.

import { posix } from 'node:path';
import type { ResolvedPermissions } from '../permissions/resolve-permissions.ts';

export interface HostLayout {
  /** Top-level system entries that exist here (/usr, /lib, /bin, …); `symlink` when the entry is a link. */
  system: { path: string; symlink?: string }[];
  /** Files and directories of /etc that exist here and that programs need to run (loader cache, time zone). */
  etc: string[];
  /** The Node executable as the server is started with it, and the file it really is. */
  runtime: { path: string; real: string };
}

export interface SandboxPlanInput {
  host: HostLayout;
  /** The private HOME's path (the caller's HOME, so that ~ in declared paths means the same place). */
  home: string;
  /** The installed server (its store directory), bound read-only. */
  installDir: string;
  permissions: ResolvedPermissions;
  /** The proxy's socket directory and the bridge module, bound read-only at the same paths. */
  proxy?: { socketDir: string; bridge: string };
}

/** Directories of the system the sandbox shows, when they exist. */
export const SYSTEM_ENTRIES = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** What of /etc a Node program needs (dynamic loader, time zone, host names, CA certificates). */
export const ETC_ENTRIES = [
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/ssl/certs',
  '/etc/ca-certificates',
  '/etc/pki/tls/certs',
];

const depth = (path: string) => (path === '/' ? 0 : path.split('/').length - 1);

/** bwrap arguments (without the program to run). Mounts are ordered so that deeper paths cover shallower ones. */
export function planBwrap(input: SandboxPlanInput): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session'];
  for (const entry of input.host.system) {
    if (entry.symlink !== undefined) args.push('--symlink', entry.symlink, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  if (input.home !== '/tmp') args.push('--tmpfs', input.home);
  for (const path of input.host.etc) args.push('--ro-bind', path, path);
  const { runtime } = input.host;
  if (!SYSTEM_ENTRIES.some((dir) => runtime.path.startsWith(`${dir}/`)) || runtime.real !== runtime.path) {
    args.push('--ro-bind', runtime.real, runtime.path);
  }
  // Declared paths, parents before children; a path that does not exist is skipped (-try), never created.
  const binds = [
    ...input.permissions.read.map((path) => ({ path, flag: '--ro-bind-try' })),
    ...input.permissions.write.map((path) => ({ path, flag: '--bind-try' })),
  ].sort((a, b) => depth(a.path) - depth(b.path) || a.path.localeCompare(b.path));
  for (const b of binds) args.push(b.flag, b.path, b.path);
  // The server's own code stays read-only even inside a writable declared path.
  args.push('--ro-bind', input.installDir, input.installDir);
  if (input.proxy) {
    args.push('--ro-bind', input.proxy.socketDir, input.proxy.socketDir);
    args.push('--ro-bind', input.proxy.bridge, input.proxy.bridge);
  }
  args.push('--chdir', input.installDir);
  return args;
}

/** The private HOME: the caller's, unless that is missing, relative or the root itself. */
export function sandboxHome(callerHome: string | undefined): string {
  if (!callerHome?.startsWith('/')) return '/home/mcp-lock';
  const home = posix.normalize(callerHome).replace(/(.)\/$/, '$1');
  return home === '/' ? '/home/mcp-lock' : home;
}
