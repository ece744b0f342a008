// `mcp-lock outdated`: for every server pinned from a registry, its signed status and the newer
// approved versions, from the registry's fresh TUF state only. Exit 1 when a pinned version is yanked.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type SignedStates, signedStateOf } from '../../adapters/consumer/tuf-state.ts';
import { readLock } from '../../adapters/project/project.ts';
import { serverNames } from '../../core/lockfile/lockfile.ts';
import { checkOutdated, isBlocking, type OutdatedReport } from '../../core/lockfile/outdated.ts';
import { action } from '../command.ts';
import { EXIT } from '../exit-codes.ts';

export function registerOutdated(program: Command): void {
  program
    .command('outdated')
    .summary('list newer approved versions, and deprecations or yanks of what is pinned')
    .description(
      'For every server pinned from a registry, refresh the registry’s signed TUF state (from the root pinned in ' +
        'mcp-lock.json) and show the pinned version’s status with its reason, the latest approved version and the ' +
        'approved versions newer than the pin. Status and versions come from signed targets only. Exit 1 when a ' +
        'pinned version is yanked or no longer in the signed targets, 3 when the state cannot be checked (an ' +
        'expired timestamp: frozen metadata), 0 otherwise. TOFU pins are listed as not from a registry.',
    )
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .action(
      action(async (ctx, options: { project?: string }) => {
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        const states: SignedStates = new Map();
        const reports: (OutdatedReport & { registry: string | null })[] = [];
        for (const name of serverNames(lock)) {
          const entry = lock.servers[name]!;
          if (entry.source.type !== 'registry') {
            reports.push({
              name,
              version: entry.version,
              status: 'unlisted',
              statusReason: null,
              latest: null,
              newer: [],
              registry: null,
            });
            continue;
          }
          ctx.out.progress(`Checking ${name} against the signed state of ${entry.source.registry} …`);
          const state = await signedStateOf(root, lock, entry.source.registry, states);
          reports.push({
            ...checkOutdated(name, entry.version, await state.server(name)),
            registry: entry.source.registry,
          });
        }
        const blocking = reports.filter((r) => r.registry !== null && isBlocking(r));
        const code = blocking.length > 0 ? EXIT.verificationFailed : EXIT.ok;
        const u = (t: string) => ctx.out.untrusted(t);
        ctx.out.result({ ok: code === EXIT.ok, exitCode: code, servers: reports }, () => [
          ...reports.map((r) => {
            if (r.registry === null)
              return `${u(r.name)}@${u(r.version)}  not from a registry (TOFU): nothing to compare`;
            const why = r.statusReason ? `: ${u(r.statusReason)}` : '';
            const state =
              r.status === 'yanked' || r.status === 'unlisted' || r.status === 'rejected'
                ? ctx.out.style(`${r.status.toUpperCase()}${why}`, 'red', 'bold')
                : r.status === 'deprecated'
                  ? ctx.out.style(`deprecated${why}`, 'yellow')
                  : 'approved';
            const newer = r.newer.length > 0 ? `newer approved: ${r.newer.map(u).join(', ')}` : 'up to date';
            return `${u(r.name)}@${u(r.version)}  ${state}  ${newer}${r.latest ? ` (latest ${u(r.latest)})` : ''}`;
          }),
          code === EXIT.ok
            ? `${reports.length} server(s) checked against signed, fresh registry state`
            : `${blocking.length} pinned version(s) yanked or no longer listed: move them (mcp-lock update or rollback)`,
        ]);
        return code;
      }),
    );
}
