// `mcp-lock diff`: what changed between the pin and another version, or the live server.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { prepareCandidate } from '../../adapters/consumer/candidate.ts';
import { remoteRpc } from '../../adapters/mcp/remote-rpc.ts';
import { StdioRpc } from '../../adapters/mcp/stdio-rpc.ts';
import { resolveLockedServer } from '../../adapters/project/launch.ts';
import { readPolicy } from '../../adapters/project/policy-file.ts';
import { loadManifest, readLock } from '../../adapters/project/project.ts';
import { projectTrustedRoot } from '../../adapters/project/verify-entry.ts';
import { sandboxForResolved } from '../../adapters/sandbox/sandbox.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { introspect } from '../../core/introspect/introspect.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { getEntry, treeRulesOf } from '../../core/lockfile/lockfile.ts';
import { diffManifests } from '../../core/manifest/manifest-diff.ts';
import { diffServerPolicy, type PolicyDiff } from '../../core/policy/policy-report.ts';
import { POLICY_FILE } from '../../core/policy/policy-types.ts';
import { resolveServerPolicy } from '../../core/policy/resolve-policy.ts';
import { pinSurface } from '../../core/surface/pin.ts';
import { action, usageError } from '../command.ts';
import { renderManifestDiff } from '../render/manifest-diff.ts';
import { GENERATOR, VERSION } from '../version.ts';

interface DiffOptions {
  project?: string;
  to?: string;
  live?: boolean;
}

async function liveManifest(
  root: string,
  name: string,
  pinned: McpLockManifest,
  env: NodeJS.ProcessEnv,
): Promise<McpLockManifest> {
  const resolved = resolveLockedServer(root, name, env);
  // Started the way run starts it: in its sandbox when the manifest declares permissions.
  const sandbox = await sandboxForResolved(root, resolved, env);
  const rpc =
    resolved.launch.kind === 'stdio'
      ? new StdioRpc(sandbox?.launch ?? resolved.launch.launch)
      : remoteRpc(resolved.launch);
  try {
    const { snapshot } = await introspect(rpc, { client: { name: 'mcp-lock', version: VERSION } });
    return { ...pinned, surface: pinSurface(snapshot, { dynamicResources: pinned.surface.dynamicResources === true }) };
  } finally {
    await rpc.close();
    await sandbox?.close();
  }
}

function renderPolicyDiff(policy: PolicyDiff, hasFile: boolean): string[] {
  const source = hasFile ? POLICY_FILE : 'the built-in default policy';
  const lines: string[] = [];
  if (policy.newConfirm.length)
    lines.push(`under ${source}, newly asks before calling: ${policy.newConfirm.join(', ')}`);
  if (policy.newUnguardedPaths.length) {
    lines.push(
      `new path arguments without an allow-list in ${source}: ${policy.newUnguardedPaths.map((u) => `${u.tool} ${u.pointer}`).join(', ')}`,
    );
  }
  if (policy.orphanedTools.length)
    lines.push(`${source} names tools this version does not have: ${policy.orphanedTools.join(', ')}`);
  return lines;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('show what changed between a pin and another version or the live server')
    .description(
      'Show, field by field, how a pinned server differs from another version (default: the registry’s latest ' +
        'approved, verified like `add`; --to picks one) or, with --live, from what the installed server shows right ' +
        `now, and how the runtime policy (${POLICY_FILE}, or the built-in defaults) lands on it: tools that will ` +
        'newly ask before a call, new path arguments without an allow-list, tools the policy names that are gone. ' +
        'Hidden and control characters are made visible. Changes nothing. Exits 0 whether or not it differs.',
    )
    .argument('<name>', 'pinned server name')
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('--to <version>', 'compare with this version (registry) or npm version/spec (TOFU)')
    .option('--live', 'compare with the live surface of the installed server')
    .action(
      action(async (ctx, name: string, options: DiffOptions) => {
        if (options.live && options.to) throw usageError('--live and --to do not go together');
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        const policyFile = readPolicy(root);
        const entry = getEntry(lock, name);
        const pinned = loadManifest(root, entry.manifest, treeRulesOf(lock));
        const other = options.live
          ? await liveManifest(root, name, pinned, ctx.env)
          : (
              await prepareCandidate(lock, name, entry, pinned, {
                project: root,
                ...(options.to ? { to: options.to } : {}),
                allowSignerChange: true,
                trustedRoot: projectTrustedRoot(root),
                callerEnv: ctx.env,
                generator: GENERATOR,
                client: { name: 'mcp-lock', version: VERSION },
                onProgress: (m) => ctx.out.progress(m),
              })
            ).manifest;
        const diff = diffManifests(pinned, other);
        const tools = (m: typeof pinned) => m.surface.tools.map((t) => t.definition as JsonObject);
        const policy = diffServerPolicy(resolveServerPolicy(policyFile, name), tools(pinned), tools(other));
        ctx.out.result(
          { server: name, from: entry.version, to: other.server.version, live: Boolean(options.live), diff, policy },
          [
            `${ctx.out.untrusted(name)}: pinned ${ctx.out.untrusted(entry.version)} → ${options.live ? 'live' : ctx.out.untrusted(other.server.version)}`,
            ...renderManifestDiff(diff).map((l) => `  ${l}`),
            ...renderPolicyDiff(policy, policyFile !== undefined).map((l) => `  ${ctx.out.untrusted(l)}`),
          ],
        );
        return 0;
      }),
    );
}
