// A pinned server's launch wrapped in its sandbox: the declared permissions resolved for this machine,
// the per-server data directory created, the allow-listing proxy started when the server may use the
// network, and the bwrap command line that starts it. Fails closed: a lock that declares permissions
// gets a sandbox or no server at all (SANDBOX_UNAVAILABLE, exit 3).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { McpLockError } from '../../core/errors.ts';
import type { KeyValueInput, Permissions } from '../../core/generated/manifest.ts';
import { type ResolvedPermissions, resolvePermissions } from '../../core/permissions/resolve-permissions.ts';
import { planBwrap, sandboxHome } from '../../core/sandbox/bwrap-plan.ts';
import { sandboxEnvironment } from '../../core/sandbox/sandbox-env.ts';
import type { StdioLaunch } from '../mcp/stdio-rpc.ts';
import type { ResolvedServer } from '../project/launch.ts';
import { projectPaths } from '../project/project.ts';
import { type AllowProxy, type ProxyDecision, startAllowProxy } from './allow-proxy.ts';
import { assertSandboxSupport, hostLayout, sandboxSupport } from './bwrap.ts';

const BRIDGE = fileURLToPath(new URL('./proxy-bridge.mjs', import.meta.url));

/** The server's own data directory: .mcp-lock/data/<name>, kept out of git. */
export function dataDir(root: string, name: string): string {
  return join(projectPaths(root).state, 'data', encodeURIComponent(name));
}

export interface SandboxStatus {
  /** sandboxed: run would sandbox it here; unavailable: run would refuse it; unsandboxed: it declares no permissions. */
  state: 'sandboxed' | 'unavailable' | 'unsandboxed' | 'remote';
  reason?: string;
}

/** Would `mcp-lock run` start this pinned server sandboxed on this machine? (For verify.) */
export function sandboxStatus(
  entry: { permissions?: Permissions; package?: unknown },
  env: Readonly<Record<string, string | undefined>>,
): SandboxStatus {
  if (!entry.package) return { state: 'remote' };
  if (!entry.permissions) return { state: 'unsandboxed', reason: 'the manifest declares no permissions' };
  if (entry.permissions.subprocesses === false)
    return { state: 'unavailable', reason: 'it forbids subprocesses, which bubblewrap alone cannot enforce' };
  const support = sandboxSupport(env);
  return support.available ? { state: 'sandboxed' } : { state: 'unavailable', reason: support.reason ?? 'no sandbox' };
}

export interface SandboxedLaunch {
  launch: StdioLaunch;
  permissions: ResolvedPermissions;
  /** Stops the proxy (if any) and removes its socket directory. */
  close(): Promise<void>;
}

export interface SandboxRequest {
  root: string;
  name: string;
  permissions: Permissions;
  /** The unsandboxed launch the lock resolves to: node, [bin, ...package arguments]. */
  launch: StdioLaunch;
  installDir: string;
  declaredEnv: readonly KeyValueInput[];
  callerEnv: Readonly<Record<string, string | undefined>>;
  onNetwork?: (decision: ProxyDecision) => void;
}

export async function sandboxLaunch(request: SandboxRequest): Promise<SandboxedLaunch> {
  const bwrap = assertSandboxSupport(request.callerEnv, request.name);
  if (request.permissions.subprocesses === false) {
    throw new McpLockError(
      'SANDBOX_UNAVAILABLE',
      `${request.name} declares that it starts no subprocesses, which bubblewrap alone cannot enforce`,
      { hint: 'Run it with --no-sandbox knowingly, or pin a manifest that allows subprocesses inside the sandbox.' },
    );
  }
  const home = sandboxHome(request.callerEnv.HOME);
  const [bin, ...args] = request.launch.args;
  const data = dataDir(request.root, request.name);
  const resolved = resolvePermissions(request.permissions, {
    project: request.root,
    data,
    home: request.callerEnv.HOME?.startsWith('/') ? request.callerEnv.HOME : home,
    args,
  });
  if ([...resolved.read, ...resolved.write].some((p) => p === data || p.startsWith(`${data}/`))) {
    mkdirSync(data, { recursive: true, mode: 0o700 });
    const ignore = join(projectPaths(request.root).state, 'data', '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '# each pinned server’s own data (mcp-lock run)\n*\n');
  }
  let proxy: AllowProxy | undefined;
  if (resolved.network.length > 0) {
    proxy = await startAllowProxy({
      allow: resolved.network,
      ...(request.onNetwork ? { onDecision: request.onNetwork } : {}),
    });
  }
  const bwrapArgs = planBwrap({
    host: hostLayout(request.launch.command),
    home,
    installDir: request.installDir,
    permissions: resolved,
    ...(proxy ? { proxy: { socketDir: proxy.socketDir, bridge: BRIDGE } } : {}),
  });
  const env = sandboxEnvironment({
    planned: request.launch.env,
    declared: request.declaredEnv,
    home,
    ...(proxy ? { proxySocket: proxy.socketPath } : {}),
  });
  const node = [request.launch.command, ...(proxy ? ['--import', pathToFileURL(BRIDGE).href] : []), bin!, ...args];
  return {
    launch: { command: bwrap, args: [...bwrapArgs, '--', ...node], env, cwd: request.installDir },
    permissions: resolved,
    close: async () => {
      await proxy?.close();
    },
  };
}

/**
 * The sandbox for a resolved local server whose manifest declares permissions (undefined when it declares
 * none). For everything that starts a pinned server: `run`, `verify --live`, `diff --live`.
 */
export async function sandboxForResolved(
  root: string,
  resolved: ResolvedServer,
  callerEnv: Readonly<Record<string, string | undefined>>,
  onNetwork?: (decision: ProxyDecision) => void,
): Promise<SandboxedLaunch | undefined> {
  const permissions = resolved.manifest.permissions;
  if (resolved.launch.kind !== 'stdio' || !permissions) return undefined;
  const launch = resolved.launch.launch;
  const pkg = resolved.manifest.server.packages?.find((p) => p.registryType === 'npm');
  return sandboxLaunch({
    root,
    name: resolved.name,
    permissions,
    launch,
    installDir: launch.cwd ?? root,
    declaredEnv: pkg?.environmentVariables ?? [],
    callerEnv,
    ...(onNetwork ? { onNetwork } : {}),
  });
}
