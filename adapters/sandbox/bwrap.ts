// Whether a bubblewrap sandbox can be set up on this machine, and what of the host it shows.
//
// Why bubblewrap driven directly rather than @anthropic-ai/sandbox-runtime (0.0.x, evaluated for issue 14):
// srt's Linux mode binds the whole root read-only and then denies listed paths, where we want an
// allow-list (only the runtime, the server and the declared paths exist in the sandbox); it composes one
// shell command string (shell-quote) where we pass argv; it needs socat on the host for its proxy bridge
// (we bridge with a 30-line Node preload instead, so a user needs only the `bubblewrap` package); and it
// is configured as one process-wide singleton, while `run` wants one sandbox per server from its signed
// permissions. Its good ideas are kept: bwrap with every namespace unshared, network only through an
// allow-listing proxy reached over a bound Unix socket.
//
// macOS (designed, not enabled): `sandbox-exec -p <profile>` with a profile generated from the same
// resolved permissions — (deny default), (allow process-exec/fork), (allow file-read*) for the runtime,
// the install dir and declared read paths as (subpath …), (allow file-write*) for declared write paths,
// a private TMPDIR/HOME, and (allow network-outbound (remote unix-socket (path-literal <proxy socket>)))
// only, with the same proxy. It cannot be tested here, so `run` fails closed on every platform but Linux.

import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { McpLockError } from '../../core/errors.ts';
import { ETC_ENTRIES, type HostLayout, SYSTEM_ENTRIES } from '../../core/sandbox/bwrap-plan.ts';

export interface SandboxSupport {
  available: boolean;
  /** The bwrap executable when found. */
  bwrap?: string;
  /** Why not, when not available. */
  reason?: string;
  hint?: string;
}

const INSTALL_HINT =
  'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or run ' +
  'with --no-sandbox to start the server with all of your rights (loudly, and recorded in the audit log).';

function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const dir of (env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const cache = new Map<string, SandboxSupport>();

/**
 * Can bubblewrap make a sandbox here? Linux only; bwrap from $MCP_LOCK_BWRAP or PATH; and a probe that
 * unshares every namespace and runs bwrap itself inside (user namespaces disabled, an AppArmor or
 * seccomp policy that forbids them, a container without the rights: all fail here, not at start).
 */
export function sandboxSupport(env: Readonly<Record<string, string | undefined>>): SandboxSupport {
  if (process.platform !== 'linux') {
    return {
      available: false,
      reason: `sandboxing on ${process.platform} is not supported yet (the macOS sandbox-exec design is untested)`,
      hint: 'Run it on Linux with bubblewrap, or pass --no-sandbox to run it with all of your rights.',
    };
  }
  const bwrap = env.MCP_LOCK_BWRAP
    ? existsSync(env.MCP_LOCK_BWRAP)
      ? env.MCP_LOCK_BWRAP
      : undefined
    : findOnPath('bwrap', env);
  if (!bwrap) {
    const where = env.MCP_LOCK_BWRAP ? `at $MCP_LOCK_BWRAP (${env.MCP_LOCK_BWRAP})` : 'on PATH';
    return { available: false, reason: `bubblewrap (bwrap) is not installed ${where}`, hint: INSTALL_HINT };
  }
  const known = cache.get(bwrap);
  if (known) return known;
  const probe = spawnSync(
    bwrap,
    ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--', realpathSafe(bwrap), '--version'],
    { encoding: 'utf8', timeout: 10_000, env: { PATH: env.PATH ?? '/usr/bin:/bin' } },
  );
  const support: SandboxSupport =
    probe.status === 0
      ? { available: true, bwrap }
      : {
          available: false,
          bwrap,
          reason: `bubblewrap cannot create a sandbox here: ${(probe.error?.message ?? probe.stderr ?? '').trim().split('\n')[0] || `exit ${probe.status}`}`,
          hint:
            'bwrap needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 ' +
            'the AppArmor profile that ships with bubblewrap). In a container, allow them or run mcp-lock outside. Or pass --no-sandbox to run the server with all of your rights.',
        };
  cache.set(bwrap, support);
  return support;
}

function realpathSafe(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Throw SANDBOX_UNAVAILABLE (exit 3) unless a sandbox can be set up. */
export function assertSandboxSupport(env: Readonly<Record<string, string | undefined>>, server: string): string {
  const support = sandboxSupport(env);
  if (!support.available || !support.bwrap) {
    throw new McpLockError('SANDBOX_UNAVAILABLE', `${server} must run sandboxed, but ${support.reason}`, {
      ...(support.hint ? { hint: support.hint } : {}),
    });
  }
  return support.bwrap;
}

/** What of this host the sandbox shows: system directories (links kept as links), /etc essentials, Node. */
export function hostLayout(execPath: string): HostLayout {
  const system: HostLayout['system'] = [];
  for (const path of SYSTEM_ENTRIES) {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) system.push({ path, symlink: readlinkSync(path) });
    else if (stat.isDirectory()) system.push({ path });
  }
  return {
    system,
    etc: ETC_ENTRIES.filter((p) => existsSync(p)),
    runtime: { path: execPath, real: realpathSafe(execPath) },
  };
}
