// `mcp-lock keygen`: create a signing key pair for publishing manifests.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.ts';
import { generateKeyPair, type KeyAlgorithm } from '../../adapters/sigstore/keys.ts';
import { McpLockError } from '../../core/errors.ts';
import { action, usageError } from '../command.ts';

interface KeygenOptions {
  out: string;
  algorithm: string;
  force?: boolean;
}

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .summary('create a key pair for signing manifests')
    .description(
      'Create a key pair for signing manifests: <out>.pem (private, mode 0600, never printed) and <out>.pub.pem. ' +
        'Register the public key with your registry namespace; keep the private key out of version control.',
    )
    .option('-o, --out <prefix>', 'path prefix of the two files', 'mcp-lock-signing')
    .option('-a, --algorithm <alg>', 'ecdsa-p256 or ed25519', 'ecdsa-p256')
    .option('-f, --force', 'replace existing key files')
    .action(
      action(async (ctx, options: KeygenOptions) => {
        if (options.algorithm !== 'ecdsa-p256' && options.algorithm !== 'ed25519') {
          throw usageError(`unknown algorithm ${options.algorithm}`, 'Use ecdsa-p256 (default) or ed25519.');
        }
        const pair = generateKeyPair(options.algorithm as KeyAlgorithm);
        const privatePath = resolve(ctx.cwd, `${options.out}.pem`);
        const publicPath = resolve(ctx.cwd, `${options.out}.pub.pem`);
        const exclusive = !options.force;
        for (const path of exclusive ? [privatePath, publicPath] : []) {
          if (existsSync(path))
            throw new McpLockError('CONFLICT', `${path} already exists`, { hint: 'Pass --force to replace it.' });
        }
        writeFileAtomic(privatePath, pair.privateKeyPem, { mode: 0o600, exclusive });
        writeFileAtomic(publicPath, pair.publicKeyPem, { mode: 0o644, exclusive });
        ctx.out.result(
          { ok: true, algorithm: pair.algorithm, keyId: pair.keyId, privateKey: privatePath, publicKey: publicPath },
          [`Wrote ${publicPath} (public) and ${privatePath} (private, 0600).`, `Key id: ${pair.keyId}`],
        );
        return 0;
      }),
    );
}
