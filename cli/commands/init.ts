// `mcp-lock init`: create mcp-lock.json and pin a registry's approval key (given, or on first use).

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fetchRegistryTrust, normalizeRegistryUrl } from '../../adapters/consumer/registry.ts';
import { refreshRegistryState } from '../../adapters/consumer/tuf-state.ts';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { ensureStateDirs, lockExists, writeLock } from '../../adapters/project/project.ts';
import { keyIdOf, parsePublicKey } from '../../adapters/sigstore/keys.ts';
import { McpLockError } from '../../core/errors.ts';
import type { PinnedKey } from '../../core/generated/lockfile.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import { emptyLock, LOCK_FILE } from '../../core/lockfile/lockfile.ts';
import { action } from '../command.ts';

interface InitOptions {
  registry?: string;
  registryKey?: string[];
  registryRoot?: string;
  project?: string;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .summary('create mcp-lock.json and pin a registry')
    .description(
      'Create mcp-lock.json (and .mcp-lock/, whose store/ is git-ignored) in the project directory. With --registry, ' +
        'the registry is trusted and its approval key is pinned: given explicitly with --registry-key, or fetched on ' +
        'first use, in which case its fingerprint is shown — compare it with what your registry operator publishes. ' +
        "The registry's TUF root (version 1, or --registry-root) is pinned too: add, update, outdated and verify " +
        '--online take status and latest only from its signed, fresh state.',
    )
    .option('--registry <url>', 'a private registry to trust (its approval countersignatures are required)')
    .option(
      '--registry-key <public.pem>',
      'the registry approval key, pinned instead of fetching it (repeatable)',
      (v, p: string[] = []) => [...p, v],
    )
    .option('--registry-root <root.json>', 'the registry TUF root to pin instead of fetching version 1')
    .option('-C, --project <dir>', 'project directory (default: current directory)')
    .action(
      action(async (ctx, options: InitOptions) => {
        const root = resolve(ctx.cwd, options.project ?? '.');
        if (lockExists(root)) {
          throw new McpLockError('CONFLICT', `${LOCK_FILE} already exists in ${root}`, {
            hint: 'Add servers with `mcp-lock add`; to trust another registry, pass --registry to `mcp-lock add`.',
          });
        }
        if ((options.registryKey || options.registryRoot) && !options.registry)
          throw new McpLockError('USAGE', '--registry-key and --registry-root need --registry');
        const lock = emptyLock();
        let fetched = false;
        let fingerprint = '';
        if (options.registry) {
          const url = normalizeRegistryUrl(options.registry);
          let keys: PinnedKey[] | undefined;
          if (options.registryKey?.length) {
            keys = options.registryKey.map((file) => {
              const pem = readInputFile(resolve(ctx.cwd, file), 'registry key', 64 * 1024).toString('utf8');
              return { keyId: keyIdOf(parsePublicKey(pem, file)), publicKey: pem.trim() + '\n' };
            });
          }
          const givenRoot = options.registryRoot
            ? parseStrictJson(readInputFile(resolve(ctx.cwd, options.registryRoot), 'TUF root', 512_000), 'TUF root')
            : undefined;
          fetched = !keys || !givenRoot;
          ctx.out.progress(`Fetching the approval key and TUF root of ${url} …`);
          const { trust, rootFingerprint } = await fetchRegistryTrust(url, {
            ...(keys ? { approvalKeys: keys } : {}),
            ...(givenRoot !== undefined ? { tufRoot: givenRoot } : {}),
          });
          // The root must work now: refresh the signed state once (it also starts the TUF cache).
          const state = await refreshRegistryState(root, url, trust.tufRoot!);
          lock.registries[url] = { ...trust, tufSeen: state.seen };
          fingerprint = rootFingerprint;
        }
        ensureStateDirs(root);
        writeLock(root, lock);
        const registries = Object.entries(lock.registries);
        ctx.out.result(
          {
            ok: true,
            lock: resolve(root, LOCK_FILE),
            registries: lock.registries,
            pinnedOnFirstUse: fetched,
            ...(fingerprint ? { tufRootFingerprint: fingerprint } : {}),
          },
          [
            `Created ${resolve(root, LOCK_FILE)}`,
            ...registries.flatMap(([url, r]) => [
              `Trusting registry ${url}`,
              ...r.approvalKeys.map(
                (k) => `  approval key ${k.keyId}${fetched ? ' (pinned on first use: check this fingerprint)' : ''}`,
              ),
              `  TUF root ${fingerprint}${fetched ? ' (pinned on first use: check this fingerprint)' : ''}`,
            ]),
          ],
        );
        return 0;
      }),
    );
}
