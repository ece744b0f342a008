// `mcp-lock list`: what is pinned, by whom, and how.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readLock } from '../../adapters/project/project.ts';
import { serverNames } from '../../core/lockfile/lockfile.ts';
import { describeSigner } from '../../core/lockfile/signer.ts';
import { isLocalPackage, LOCAL_LABEL } from '../../core/manifest/check-tree.ts';
import { describePermissions } from '../../core/permissions/permissions.ts';
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
        'the caller (passEnv). Unsigned (TOFU) pins are marked.',
    )
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .action(
      action(async (ctx, options: { project?: string }) => {
        const lock = readLock(resolve(ctx.cwd, options.project ?? '.'));
        const rows = serverNames(lock).map((name) => {
          const e = lock.servers[name]!;
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
          };
        });
        ctx.out.result({ servers: rows, registries: lock.registries }, () =>
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
              ]),
        );
        return 0;
      }),
    );
}
