// `mcp-lock rollback <name>`: pin the last approved version before the current one (by the registry's
// signed order), verified exactly like `add`, after showing the diff.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { signedStateOf } from '../../adapters/consumer/tuf-state.ts';
import { readLock } from '../../adapters/project/project.ts';
import { McpLockError } from '../../core/errors.ts';
import { getEntry } from '../../core/lockfile/lockfile.ts';
import { previousApproved } from '../../core/lockfile/outdated.ts';
import { action, usageError } from '../command.ts';
import { movePin, type UpdateOptions } from './update.ts';

export function registerRollback(program: Command): void {
  program
    .command('rollback')
    .summary('pin the last approved version before the current one')
    .description(
      'Find the last approved version before the pinned one in the registry’s signed, fresh TUF state (yanked and ' +
        'deprecated versions are skipped), verify it exactly like `add`, show the field-level diff, and ask before ' +
        'writing (--yes for scripts). Only for servers pinned from a registry.',
    )
    .argument('<name>', 'a pinned server')
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('-y, --yes', 'write without asking')
    .option('--allow-signer-change', 'accept a different publisher signer than the one pinned')
    .option('--allow-shadowing', 'roll back even if a tool name collides with another pinned server’s tool')
    .option('--npm-registry <url>', 'npm registry to download tarballs from', 'https://registry.npmjs.org')
    .option(
      '--allow-wider-permissions',
      'accept a version that may read, write or reach more than the pinned one (refused otherwise, even with --yes)',
    )
    .action(
      action(async (ctx, name: string, options: UpdateOptions) => {
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        const entry = getEntry(lock, name);
        if (entry.source.type !== 'registry') throw usageError(`${name} is not pinned from a registry`);
        const state = await signedStateOf(root, lock, entry.source.registry, new Map());
        const target = previousApproved(await state.server(name), entry.version);
        if (target === null) {
          throw new McpLockError(
            'NOT_FOUND',
            `the registry signed no approved version of ${name} before ${entry.version}`,
            {
              hint: 'Pick a version explicitly with `mcp-lock update <name>@<version>`.',
            },
          );
        }
        ctx.out.progress(`Rolling ${name} back from ${entry.version} to ${target}`);
        return movePin(ctx, options, name, target);
      }),
    );
}
