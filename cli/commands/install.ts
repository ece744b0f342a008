// `mcp-lock install`: install exactly what mcp-lock.json pins, like `npm ci`.

import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { installedFilesDigest } from '../../adapters/npm/files-digest.ts';
import { installPinnedTree } from '../../adapters/npm/tree-install.ts';
import { ensureStateDirs, readLock, storeDir } from '../../adapters/project/project.ts';
import { checkLockedServer } from '../../adapters/project/verify-entry.ts';
import { McpLockError } from '../../core/errors.ts';
import { serverNames, treeRulesOf } from '../../core/lockfile/lockfile.ts';
import { action } from '../command.ts';

interface InstallOptions {
  project?: string;
  npmRegistry?: string;
}

type Outcome = 'installed' | 'reinstalled' | 'unchanged' | 'remote';

export function registerInstall(program: Command): void {
  program
    .command('install')
    .summary('install exactly what mcp-lock.json pins (like npm ci)')
    .description(
      'Install every pinned server from the lock only, like `npm ci`: a missing or inconsistent lock is an error, ' +
        'nothing is re-resolved, and everything is re-verified first (stored manifests, signatures, approvals). Each ' +
        'package tree is installed with install scripts off, every tarball checked against its pinned integrity, and ' +
        'the installed files must hash to the digest in the lock. Each server is installed into a temporary directory ' +
        'and moved into place only when complete. Already-installed, unmodified servers are left as they are.',
    )
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('--npm-registry <url>', 'npm registry (or mirror) to download tarballs from', 'https://registry.npmjs.org')
    .action(
      action(async (ctx, options: InstallOptions) => {
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        const names = serverNames(lock);
        // Verify everything before installing anything: an inconsistent lock installs nothing.
        const reports = names.map((name) => checkLockedServer(root, lock, name));
        const failed = reports.filter((r) => r.findings.length > 0);
        if (failed.length > 0) {
          const first = failed[0]!.findings[0]!;
          throw new McpLockError(first.code, `the lock does not verify: ${first.message}`, {
            hint: 'Nothing was installed. Run `mcp-lock verify` for the full report.',
            data: { findings: failed.flatMap((r) => r.findings) },
          });
        }
        ensureStateDirs(root);
        const outcomes: Record<string, Outcome> = {};
        for (const report of reports) {
          const entry = lock.servers[report.name]!;
          const pkg = report.manifest!.package;
          if (!pkg || !entry.package) {
            outcomes[report.name] = 'remote';
            continue;
          }
          const dir = storeDir(root, report.name, entry.manifest);
          let outcome: Outcome = 'installed';
          if (existsSync(dir)) {
            const current = existsSync(join(dir, 'node_modules'))
              ? installedFilesDigest(join(dir, 'node_modules'))
              : null;
            if (current === entry.package.files) {
              outcomes[report.name] = 'unchanged';
              continue;
            }
            ctx.out.warn(`${report.name}: installed files differ from the pin; reinstalling`);
            rmSync(dir, { recursive: true, force: true });
            outcome = 'reinstalled';
          }
          ctx.out.progress(
            `Installing ${report.name} (${pkg.identifier}@${pkg.version}, ${pkg.tree.length} packages) …`,
          );
          const result = await installPinnedTree(pkg, dir, {
            project: root,
            trustedRegistries: treeRulesOf(lock).registries,
            ...(options.npmRegistry ? { registry: options.npmRegistry } : {}),
          });
          if (result.files !== entry.package.files) {
            rmSync(dir, { recursive: true, force: true });
            throw new McpLockError(
              'INTEGRITY_MISMATCH',
              `${report.name}: the installed files do not hash to the pinned digest`,
              {
                hint: 'The tarballs matched their integrity but unpacked differently than when pinned; nothing was kept.',
                data: { expected: entry.package.files, found: result.files },
              },
            );
          }
          outcomes[report.name] = outcome;
        }
        const counts: Record<string, number> = {};
        for (const o of Object.values(outcomes)) counts[o] = (counts[o] ?? 0) + 1;
        ctx.out.result({ ok: true, servers: outcomes }, [
          ...names.map(
            (n) =>
              `  ${outcomes[n]!.padEnd(11)} ${ctx.out.untrusted(n)}@${ctx.out.untrusted(lock.servers[n]!.version)}`,
          ),
          `${names.length} server(s): ${
            Object.entries(counts)
              .map(([o, c]) => `${c} ${o}`)
              .join(', ') || 'nothing pinned'
          }`,
        ]);
        return 0;
      }),
    );
}
