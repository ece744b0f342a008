// `mcp-lock list`: what is pinned, by whom, and how.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readPolicy } from '../../adapters/project/policy-file.ts';
import { loadManifest, readLock } from '../../adapters/project/project.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { serverNames } from '../../core/lockfile/lockfile.ts';
import { describeSigner } from '../../core/lockfile/signer.ts';
import { isLocalPackage, LOCAL_LABEL } from '../../core/manifest/check-tree.ts';
import { describePermissions } from '../../core/permissions/permissions.ts';
import { describeServerPolicy, policyLines, type ServerPolicyView } from '../../core/policy/policy-report.ts';
import { POLICY_FILE } from '../../core/policy/policy-types.ts';
import { resolveServerPolicy } from '../../core/policy/resolve-policy.ts';
import { SURFACE_KINDS } from '../../core/surface/pin.ts';
import { action } from '../command.ts';
import { dynamicResourcesLabel } from '../render/manifest-diff.ts';

export function registerList(program: Command): void {
  program
    .command('list')
    .summary('list the pinned servers')
    .description(
      'List the servers mcp-lock.json pins: version, source, signer, approval, how much surface is pinned, ' +
        'whether resources the server adds at run time are hidden (the pin declares them) or drift, and the ' +
        'permissions `run` enforces in its sandbox, and the environment variables the lock passes through from ' +
        `the caller (passEnv), and the runtime policy that applies (${POLICY_FILE}, or the built-in defaults): the ` +
        'settings that differ from the defaults, the tools that will ask before a call, and path arguments without ' +
        'an allow-list. Unsigned (TOFU) pins are marked.',
    )
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .action(
      action(async (ctx, options: { project?: string }) => {
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        const policyFile = readPolicy(root);
        /** The pinned tool definitions (none when the stored manifest cannot be read; verify says why). */
        const toolsOf = (digest: string): JsonObject[] => {
          try {
            return loadManifest(root, digest).surface.tools.map((t) => t.definition as JsonObject);
          } catch {
            return [];
          }
        };
        const rows = serverNames(lock).map((name) => {
          const e = lock.servers[name]!;
          const serverPolicy = resolveServerPolicy(policyFile, name);
          const policyView: ServerPolicyView = describeServerPolicy(serverPolicy, toolsOf(e.manifest));
          return {
            name,
            version: e.version,
            source: e.source.type === 'registry' ? e.source.registry : `tofu:${e.source.spec}`,
            unsigned: Boolean(e.unsigned),
            local: e.package ? isLocalPackage(e.package) : false,
            signer: e.signer,
            approval: e.approval,
            manifest: e.manifest,
            package: e.package ? `${e.package.identifier}@${e.package.version}` : null,
            remote: e.remote?.url ?? null,
            passEnv: e.passEnv ?? [],
            counts: Object.fromEntries(SURFACE_KINDS.map((k) => [k, Object.keys(e.surface[k]).length])),
            dynamicResources: e.surface.dynamicResources === true,
            permissions: e.permissions ?? null,
            policy: {
              settings: serverPolicy.settings,
              changed: policyView.changed,
              tools: policyView.tools,
              confirm: policyView.confirm,
              unguardedPaths: policyView.unguardedPaths,
            },
          };
        });
        ctx.out.result(
          { servers: rows, registries: lock.registries, policyFile: policyFile ? POLICY_FILE : null },
          () =>
            rows.length === 0
              ? ['No servers pinned. Add one with `mcp-lock add <name>`.']
              : rows.flatMap((r) => [
                  `${ctx.out.untrusted(r.name)}@${ctx.out.untrusted(r.version)}${r.unsigned ? ctx.out.style('  UNSIGNED (trust on first use)', 'yellow', 'bold') : ''}${r.local ? ctx.out.style(`  ${LOCAL_LABEL}`, 'yellow', 'bold') : ''}`,
                  `    source ${ctx.out.untrusted(r.source)}; ${r.package ? `package ${ctx.out.untrusted(r.package)}` : `remote ${ctx.out.untrusted(r.remote ?? '')}`}`,
                  `    signer ${ctx.out.untrusted(describeSigner(r.signer))}; approval ${r.approval ? `key ${r.approval.keyId.slice(0, 16)}…` : 'none'}`,
                  `    ${SURFACE_KINDS.map((k) => `${r.counts[k]} ${k}`).join(', ')}`,
                  `    resources added at run time: ${dynamicResourcesLabel(r.dynamicResources)}`,
                  ...(r.package
                    ? describePermissions(r.permissions ?? undefined).map((l) => `    ${ctx.out.untrusted(l)}`)
                    : []),
                  ...(r.passEnv.length
                    ? [
                        `    passes from the caller's environment: ${r.passEnv.map((n) => ctx.out.untrusted(n)).join(', ')}`,
                      ]
                    : []),
                  ...policyLines({ server: r.name, ...r.policy }, policyFile !== undefined).map(
                    (l) => `    ${ctx.out.untrusted(l)}`,
                  ),
                ]),
        );
        return 0;
      }),
    );
}
