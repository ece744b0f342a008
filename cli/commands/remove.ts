// `mcp-lock remove`: unpin a server and delete what only it used.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readLock, removeOrphans, writeLock } from '../../adapters/project/project.ts';
import { planRemove } from '../../core/consumer/plan.ts';
import { getEntry } from '../../core/lockfile/lockfile.ts';
import { action } from '../command.ts';

export function registerRemove(program: Command): void {
  program
    .command('remove')
    .summary('unpin a server')
    .description(
      'Remove a server from mcp-lock.json, then delete its stored manifest, bundles and installed files unless another entry still uses them. The lock is written first, atomically.',
    )
    .argument('<name>', 'server name')
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .action(
      action(async (ctx, name: string, options: { project?: string }) => {
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        const entry = getEntry(lock, name);
        const plan = planRemove(lock, name);
        writeLock(root, plan.lock);
        removeOrphans(root, plan.orphans);
        ctx.out.result(
          { ok: true, removed: name, version: entry.version },
          `Removed ${ctx.out.untrusted(name)}@${ctx.out.untrusted(entry.version)}`,
        );
        return 0;
      }),
    );
}
