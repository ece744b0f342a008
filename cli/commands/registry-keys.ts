// `mcp-lock registry keys init|show|rotate|sign-root`: the registry's TUF keys. Root keys sign the root
// (keep them offline: --root-key-dir); the online key in the data directory signs targets, snapshot and
// timestamp. Rotation writes root N+1, which needs the threshold of root N's keys and its own.

import { mkdirSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Metadata, Root } from '@tufjs/models';
import type { Command } from 'commander';
import { createFileExclusive } from '../../adapters/fs/atomic-write.ts';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { generateKeyPair, parsePrivateKey, parsePublicKey } from '../../adapters/sigstore/keys.ts';
import { tufPublicKeyOf, tufSignerOf } from '../../adapters/tuf/keys.ts';
import { McpLockError } from '../../core/errors.ts';
import type { RegistryStore } from '../../core/registry/ports.ts';
import {
  metadataBytes,
  parseRoot,
  rootFingerprint,
  TUF_ROLES,
  type TufPublicKey,
  type TufSigner,
  tufKeyId,
} from '../../core/registry/tuf/metadata.ts';
import { TufRepository } from '../../core/registry/tuf/repository.ts';
import {
  applyRoot,
  currentRoot,
  proposeRoot,
  type RootSignatureStatus,
  rootSignatureStatus,
  signRoot,
} from '../../core/registry/tuf/root-admin.ts';
import { action, type CommandContext, collect, usageError } from '../command.ts';
import { type DataOptions, openStoreFor, registryConfigFor, withDataOptions } from './registry-options.ts';

interface KeysOptions extends DataOptions {
  rootKeyDir?: string;
  rootKeys?: string;
  threshold?: string;
  rootKey?: string[];
  newRootKey?: string[];
  keepRootKeys?: boolean;
  out?: string;
  apply?: boolean;
}

function count(value: string | undefined, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1) throw usageError(`${what} must be a number from 1 to 99`);
  return Number(value);
}

function readSigner(ctx: CommandContext, path: string): TufSigner {
  const pem = readInputFile(resolve(ctx.cwd, path), 'root key', 64 * 1024).toString('utf8');
  return tufSignerOf(parsePrivateKey(pem, path));
}

/** A root key file: a private key (its holder signs now) or a public key (added; signs later). */
function readRootKey(ctx: CommandContext, path: string): { publicKey: TufPublicKey; signer?: TufSigner } {
  const pem = readInputFile(resolve(ctx.cwd, path), 'root key', 64 * 1024).toString('utf8');
  if (pem.includes('PRIVATE KEY')) {
    const signer = tufSignerOf(parsePrivateKey(pem, path));
    return { publicKey: signer.publicKey, signer };
  }
  return { publicKey: tufPublicKeyOf(parsePublicKey(pem, path)) };
}

async function withStore<T>(
  ctx: CommandContext,
  options: DataOptions,
  fn: (store: RegistryStore, dataDir: string) => Promise<T>,
) {
  const { store, dataDir } = await openStoreFor(ctx, options);
  try {
    return await fn(store, dataDir);
  } finally {
    await store.close();
  }
}

async function repositoryFor(ctx: CommandContext, options: DataOptions, dataDir: string): Promise<TufRepository> {
  const config = await registryConfigFor(ctx, options);
  const { loadOnlineSigner } = await import('../../registry/keys/tuf-keys.ts');
  const { signer } = await loadOnlineSigner(dataDir);
  return new TufRepository({ online: signer, expiries: config.tufExpiries });
}

function describeStatus(s: RootSignatureStatus): string {
  return `root ${s.version}: ${s.previous.signed}/${s.previous.threshold} signatures of the current root keys, ${s.own.signed}/${s.own.threshold} of its own`;
}

function rootSummary(root: Metadata<Root>) {
  const role = root.signed.roles.root!;
  return {
    version: root.signed.version,
    fingerprint: rootFingerprint(root),
    expires: root.signed.expires,
    rootKeys: role.keyIDs,
    threshold: role.threshold,
    onlineKey: root.signed.roles.timestamp?.keyIDs ?? [],
  };
}

export function registerRegistryKeys(registry: Command): void {
  const keys = registry
    .command('keys')
    .summary('the registry’s TUF keys: create the root, show it, rotate it, sign a proposed root')
    .description(
      'The registry publishes its state (status, latest and digests of every version) as a TUF repository. Root ' +
        'keys sign the root and belong offline; the online key in the data directory signs targets, snapshot and ' +
        'timestamp. `init` creates the first root (`registry serve` makes one itself on first start, with its root ' +
        'key in the data directory: rotate it to offline keys). `rotate` proposes root N+1, which must be signed by ' +
        'the threshold of root N’s keys and by its own; `sign-root` adds signatures to a proposed root file.',
    );

  withDataOptions(
    keys
      .command('init')
      .description(
        'Create root version 1: generate root keys (Ed25519) into --root-key-dir, the online key in the data ' +
          'directory, and sign the first targets, snapshot and timestamp. Refused when a root exists.',
      )
      .requiredOption('--root-key-dir <dir>', 'where to write the root keys (take them offline afterwards)')
      .option('--root-keys <n>', 'how many root keys (default: 1)')
      .option('--threshold <k>', 'root signatures a new root needs (default: 1)'),
  ).action(
    action(async (ctx, options: KeysOptions) => {
      const n = count(options.rootKeys, '--root-keys', 1);
      const threshold = count(options.threshold, '--threshold', 1);
      if (threshold > n) throw usageError(`--threshold ${threshold} is more than --root-keys ${n}`);
      const dir = resolve(ctx.cwd, options.rootKeyDir!);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (readdirSync(dir).some((f) => /^root-\d+\.pem$/.test(f))) {
        throw new McpLockError('CONFLICT', `${dir} already holds root keys`, { hint: 'Use an empty directory.' });
      }
      return withStore(ctx, options, async (store, dataDir) => {
        if (await currentRoot(store)) {
          throw new McpLockError('CONFLICT', 'this registry has a TUF root already', {
            hint: 'Rotate it with `mcp-lock registry keys rotate`.',
          });
        }
        const config = await registryConfigFor(ctx, options);
        const { initRoot, loadOnlineSigner } = await import('../../registry/keys/tuf-keys.ts');
        const signers: TufSigner[] = [];
        const files: string[] = [];
        for (let i = 1; i <= n; i++) {
          const pair = generateKeyPair('ed25519');
          const file = join(dir, `root-${i}.pem`);
          await createFileExclusive(file, pair.privateKeyPem, 0o600);
          files.push(file);
          signers.push(tufSignerOf(parsePrivateKey(pair.privateKeyPem)));
        }
        const { signer: online } = await loadOnlineSigner(dataDir);
        const root = await initRoot(store, {
          rootSigners: signers,
          threshold,
          online,
          expiries: config.tufExpiries,
          now: new Date(),
        });
        const summary = rootSummary(root);
        ctx.out.result({ ...summary, rootKeyFiles: files }, [
          `TUF root 1 created, fingerprint ${summary.fingerprint}`,
          `  ${n} root key(s), threshold ${threshold}: ${files.map((f) => ctx.out.untrusted(f)).join(', ')}`,
          '  Move the root keys offline; consumers pin this root with `mcp-lock init --registry <url>`.',
        ]);
        return 0;
      });
    }),
  );

  withDataOptions(
    keys
      .command('show')
      .description('Show the current root (keys, threshold, fingerprint) and each role’s version and expiry.'),
  ).action(
    action(async (ctx, options: KeysOptions) =>
      withStore(ctx, options, async (store) => {
        const root = await currentRoot(store);
        if (!root)
          throw new McpLockError('NOT_FOUND', 'this registry has no TUF root yet', {
            hint: 'Run `mcp-lock registry keys init`.',
          });
        const roles: Record<string, { version: number; expires: string }> = {};
        for (const role of TUF_ROLES) {
          const bytes = await store.getTufMetadata(role);
          if (!bytes) continue;
          const signed = (
            JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed: { version: number; expires: string } }
          ).signed;
          roles[role] = { version: signed.version, expires: signed.expires };
        }
        const summary = rootSummary(root);
        ctx.out.result({ ...summary, roles }, [
          `TUF root ${summary.version}, fingerprint ${summary.fingerprint}, expires ${summary.expires}`,
          `  root keys (threshold ${summary.threshold}): ${summary.rootKeys.join(', ')}`,
          `  online key: ${summary.onlineKey.join(', ')}`,
          ...Object.entries(roles).map(([role, r]) => `  ${role.padEnd(9)} version ${r.version}, expires ${r.expires}`),
        ]);
        return 0;
      }),
    ),
  );

  withDataOptions(
    keys
      .command('rotate')
      .description(
        'Propose root N+1 with new root keys and threshold (the online key stays) and sign it with the given ' +
          'keys. When both thresholds are met it is stored and the registry re-signs its state; otherwise it is ' +
          'written to --out for other key holders (`registry keys sign-root`).',
      )
      .option('--root-key <key.pem>', 'a current root private key to sign with (repeatable)', collect)
      .option(
        '--new-root-key <key.pem>',
        'a root key of the new root: private (signs now) or public (repeatable)',
        collect,
      )
      .option('--keep-root-keys', 'keep the current root keys in the new root (add, do not replace)')
      .option('--threshold <k>', 'root threshold of the new root (default: the current one, at most the key count)')
      .option('--out <file>', 'write the proposed root here when it still needs signatures'),
  ).action(
    action(async (ctx, options: KeysOptions) =>
      withStore(ctx, options, async (store, dataDir) => {
        const current = await currentRoot(store);
        if (!current)
          throw new McpLockError('NOT_FOUND', 'this registry has no TUF root yet', {
            hint: 'Run `mcp-lock registry keys init`.',
          });
        const oldSigners = (options.rootKey ?? []).map((p) => readSigner(ctx, p));
        const added = (options.newRootKey ?? []).map((p) => readRootKey(ctx, p));
        const kept = options.keepRootKeys
          ? current.signed.roles
              .root!.keyIDs.map((id) => current.signed.keys[id]!)
              .map((k) => ({
                keytype: k.keyType as TufPublicKey['keytype'],
                scheme: k.scheme as TufPublicKey['scheme'],
                public: k.keyVal.public!,
              }))
          : [];
        const rootKeys = [...kept, ...added.map((a) => a.publicKey)].filter(
          (k, i, all) => all.findIndex((o) => tufKeyId(o) === tufKeyId(k)) === i,
        );
        if (rootKeys.length === 0) throw usageError('the new root needs root keys: --new-root-key or --keep-root-keys');
        const threshold = count(
          options.threshold,
          '--threshold',
          Math.min(current.signed.roles.root!.threshold, rootKeys.length),
        );
        const onlineId = current.signed.roles.timestamp!.keyIDs[0]!;
        const onlineKey = current.signed.keys[onlineId]!;
        const config = await registryConfigFor(ctx, options);
        const proposed = proposeRoot(current, {
          rootKeys,
          rootThreshold: threshold,
          online: {
            keytype: onlineKey.keyType as TufPublicKey['keytype'],
            scheme: onlineKey.scheme as TufPublicKey['scheme'],
            public: onlineKey.keyVal.public!,
          },
          expiries: config.tufExpiries,
          now: new Date(),
        });
        signRoot(current, proposed, [...oldSigners, ...added.flatMap((a) => (a.signer ? [a.signer] : []))]);
        return finish(ctx, options, store, dataDir, current, proposed);
      }),
    ),
  );

  withDataOptions(
    keys
      .command('sign-root')
      .description('Add signatures to a proposed root file; with --apply, store it once both thresholds are met.')
      .argument('<root.json>', 'a proposed root written by `registry keys rotate --out`')
      .requiredOption(
        '--root-key <key.pem>',
        'a root private key (of the current or the proposed root; repeatable)',
        collect,
      )
      .option('--apply', 'store the root when it is fully signed'),
  ).action(
    action(async (ctx, file: string, options: KeysOptions) =>
      withStore(ctx, options, async (store, dataDir) => {
        const path = resolve(ctx.cwd, file);
        const proposed = parseRoot(readInputFile(path, 'proposed root', 512_000), path);
        const current = await currentRoot(store);
        signRoot(
          current,
          proposed,
          (options.rootKey ?? []).map((p) => readSigner(ctx, p)),
        );
        return finish(
          ctx,
          { ...options, out: options.apply ? undefined : file, apply: options.apply },
          store,
          dataDir,
          current,
          proposed,
        );
      }),
    ),
  );
}

/** Store a complete root (rotate, or sign-root --apply), or write it out for more signatures. */
async function finish(
  ctx: CommandContext,
  options: KeysOptions,
  store: RegistryStore,
  dataDir: string,
  current: Metadata<Root> | undefined,
  proposed: Metadata<Root>,
): Promise<number> {
  const status = rootSignatureStatus(current, proposed);
  if (status.complete && options.apply !== false) {
    await applyRoot(store, proposed, await repositoryFor(ctx, options, dataDir));
    ctx.out.result({ applied: true, ...status, fingerprint: rootFingerprint(proposed) }, [
      `${describeStatus(status)}: stored; the registry re-signed its state`,
      `  fingerprint ${rootFingerprint(proposed)}`,
    ]);
    return 0;
  }
  if (!options.out) {
    throw new McpLockError('SIGNATURE_INVALID', `${describeStatus(status)}: not enough to store it`, {
      hint: 'Pass --out <file> to hand it to the other key holders (`mcp-lock registry keys sign-root`).',
      data: { ...status },
    });
  }
  const out = resolve(ctx.cwd, options.out);
  await writeFile(out, metadataBytes(proposed));
  ctx.out.result({ applied: false, file: out, ...status }, [
    `${describeStatus(status)}: written to ${ctx.out.untrusted(out)}`,
    status.complete
      ? '  Fully signed: store it with `registry keys sign-root <file> --apply`.'
      : '  Pass it on for more signatures.',
  ]);
  return 0;
}
