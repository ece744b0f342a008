// `mcp-lock registry signer add|list|remove`: who may sign for a namespace (public keys, or exact keyless
// identities), administered directly in a data directory. A publish verifies only against these.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { keyIdOf, parsePublicKey } from '../../adapters/sigstore/keys.ts';
import type { SignerRecord } from '../../core/registry/records.ts';
import { action, usageError } from '../command.ts';
import { type DataOptions, openStoreFor, withDataOptions } from './registry-options.ts';

interface SignerOptions extends DataOptions {
  namespace?: string;
  key?: string;
  identity?: string;
  issuer?: string;
  id?: string;
  label?: string;
}

function describe(s: SignerRecord, untrusted: (t: string) => string): string {
  const who = s.type === 'key' ? `key ${s.keyId}` : `keyless ${untrusted(s.identity)} (issuer ${untrusted(s.issuer)})`;
  return `${untrusted(s.namespace)}  ${who}${s.label ? `  ${untrusted(s.label)}` : ''}  added ${s.addedAt}`;
}

function readKey(cwd: string, path: string): { keyId: string; publicKey: string } {
  const pem = readInputFile(resolve(cwd, path), 'public key', 64 * 1024).toString('utf8');
  const key = parsePublicKey(pem, path);
  return { keyId: keyIdOf(key), publicKey: key.export({ type: 'spki', format: 'pem' }).toString() };
}

export function registerRegistrySigner(registry: Command): void {
  const signer = registry
    .command('signer')
    .summary('register who may sign for a namespace (keys or keyless identities)')
    .description(
      'Register, list and remove the signers of a namespace (the part of a server name before "/"), directly in a ' +
        'data directory. A publish is accepted only if its bundle verifies against one of them: a public key, or a ' +
        'keyless identity and issuer compared exactly.',
    );

  withDataOptions(
    signer
      .command('add')
      .description('Register a public key (--key) or a keyless identity (--identity and --issuer) for a namespace.')
      .requiredOption('--namespace <ns>', 'namespace, e.g. io.github.acme')
      .option('--key <public.pem>', 'public key from `mcp-lock keygen` (.pub.pem)')
      .option('--identity <exact>', 'keyless certificate identity (SAN), compared exactly')
      .option('--issuer <exact>', 'keyless OIDC issuer URL, compared exactly')
      .option('--label <text>', 'a note, e.g. who holds the key', ''),
  ).action(
    action(async (ctx, options: SignerOptions) => {
      const keyless = options.identity !== undefined || options.issuer !== undefined;
      if (Boolean(options.key) === keyless) throw usageError('pass either --key or both --identity and --issuer');
      if (keyless && (!options.identity || !options.issuer)) throw usageError('--identity and --issuer go together');
      const { keySigner, keylessSigner } = await import('../../core/registry/signers.ts');
      const { addSigner } = await import('../../core/registry/admin.ts');
      const now = new Date().toISOString();
      const namespace = options.namespace ?? '';
      const record = options.key
        ? keySigner({ namespace, ...readKey(ctx.cwd, options.key), label: options.label ?? '', now })
        : keylessSigner({
            namespace,
            identity: options.identity!,
            issuer: options.issuer!,
            label: options.label ?? '',
            now,
          });
      const { store } = await openStoreFor(ctx, options);
      try {
        const { added, signer: stored } = await addSigner(store, record);
        ctx.out.result(
          { added, signer: stored },
          `${added ? 'registered' : 'already registered'}: ${describe(stored, (t) => ctx.out.untrusted(t))}`,
        );
      } finally {
        await store.close();
      }
    }),
  );

  withDataOptions(
    signer.command('list').description('List registered signers.').option('--namespace <ns>', 'only this namespace'),
  ).action(
    action(async (ctx, options: SignerOptions) => {
      const { store } = await openStoreFor(ctx, options);
      try {
        const signers = await store.listSigners(options.namespace);
        ctx.out.result({ signers }, () =>
          signers.length === 0
            ? ['no signers']
            : signers.map((s) => `${s.id.slice(0, 16)}  ${describe(s, (t) => ctx.out.untrusted(t))}`),
        );
      } finally {
        await store.close();
      }
    }),
  );

  withDataOptions(
    signer
      .command('remove')
      .description('Remove a signer from a namespace: by --id, --key, or --identity and --issuer.')
      .requiredOption('--namespace <ns>', 'namespace, e.g. io.github.acme')
      .option('--id <id>', 'signer id (as `signer list` shows, full or the first 16 characters)')
      .option('--key <public.pem>', 'the public key to remove')
      .option('--identity <exact>', 'the keyless identity to remove')
      .option('--issuer <exact>', 'its issuer'),
  ).action(
    action(async (ctx, options: SignerOptions) => {
      const namespace = options.namespace ?? '';
      const { keylessSignerId } = await import('../../core/registry/signers.ts');
      const { removeSigner } = await import('../../core/registry/admin.ts');
      const { store } = await openStoreFor(ctx, options);
      try {
        let id: string | undefined;
        if (options.key) id = readKey(ctx.cwd, options.key).keyId;
        else if (options.identity && options.issuer) id = keylessSignerId(options.identity, options.issuer);
        else if (options.id) {
          const prefix = options.id;
          const matches = (await store.listSigners(namespace)).filter((s) => s.id.startsWith(prefix));
          if (matches.length > 1) throw usageError(`the id prefix ${prefix} matches several signers; give more of it`);
          id = matches[0]?.id ?? prefix;
        } else throw usageError('pass --id, --key, or --identity and --issuer');
        const removed = await removeSigner(store, namespace, id, new Date().toISOString());
        ctx.out.result({ removed }, `removed: ${describe(removed, (t) => ctx.out.untrusted(t))}`);
      } finally {
        await store.close();
      }
    }),
  );
}
