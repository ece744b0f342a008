// `mcp-lock remove`: unpin a server and delete what only it used.

import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bundlePath, manifestPath, readLock, storeDir, writeLock } from '../../adapters/project/project.ts';
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
        const { [name]: _removed, ...servers } = lock.servers;
        writeLock(root, { ...lock, servers });
        const stillUsed = Object.values(servers).some((e) => e.manifest === entry.manifest);
        if (!stillUsed) {
          for (const path of [
            manifestPath(root, entry.manifest),
            bundlePath(root, entry.manifest, 'publisher'),
            bundlePath(root, entry.manifest, 'approval'),
          ]) {
            if (existsSync(path)) rmSync(path);
          }
        }
        rmSync(storeDir(root, name, entry.manifest), { recursive: true, force: true });
        ctx.out.result(
          { ok: true, removed: name, version: entry.version },
          `Removed ${ctx.out.untrusted(name)}@${ctx.out.untrusted(entry.version)}`,
        );
        return 0;
      }),
    );
}
