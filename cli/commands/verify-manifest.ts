// `mcp-lock verify-manifest`: check, fully offline, that a bundle signs exactly this manifest and who signed it.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { parseBundle, verifyBundle } from '../../adapters/sigstore/verify.ts';
import { type AttestationRole, verifyStatement } from '../../core/attestation/statement.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import { manifestDigest, parseManifest } from '../../core/manifest/manifest.ts';
import { action, usageError } from '../command.ts';

interface VerifyManifestOptions {
  bundle: string;
  key?: string;
  identity?: string;
  issuer?: string;
  trustedRoot?: string;
  role: string;
}

export function registerVerifyManifest(program: Command): void {
  program
    .command('verify-manifest')
    .summary('verify a manifest and its signature offline')
    .description(
      'Verify a manifest and its Sigstore bundle offline: the signature, the signer (a public key, or an exact ' +
        'keyless identity and issuer), and that the signed subject digest is the SHA-256 of this canonical ' +
        'manifest. Exits 1 when verification fails, 2 when an input is malformed.',
    )
    .argument('<manifest>', 'manifest file')
    .requiredOption('-b, --bundle <file>', 'Sigstore bundle from `mcp-lock sign` (or a registry approval bundle)')
    .option('-k, --key <public.pem>', 'trusted public key')
    .option('--identity <exact>', 'trusted keyless identity (certificate SAN), compared exactly')
    .option('--issuer <exact>', 'trusted OIDC issuer, compared exactly')
    .option('--trusted-root <file>', 'Sigstore trusted_root.json for keyless bundles (default: public-good, pinned)')
    .option('--role <role>', 'publisher or approval', 'publisher')
    .action(
      action(async (ctx, manifestPath: string, options: VerifyManifestOptions) => {
        const keyless = options.identity !== undefined || options.issuer !== undefined;
        if (Boolean(options.key) === keyless) {
          throw usageError('pass either --key <public.pem> or both --identity and --issuer');
        }
        if (keyless && (!options.identity || !options.issuer)) throw usageError('--identity and --issuer go together');
        if (options.role !== 'publisher' && options.role !== 'approval')
          throw usageError('--role is publisher or approval');
        const manifest = parseManifest(readInputFile(resolve(ctx.cwd, manifestPath), 'manifest'), 'declared');
        const { json } = parseBundle(readInputFile(resolve(ctx.cwd, options.bundle), 'bundle', 1024 * 1024));
        const trustedRoot = options.trustedRoot
          ? parseStrictJson(
              readInputFile(resolve(ctx.cwd, options.trustedRoot), 'trusted root', 1024 * 1024),
              'trusted root',
            )
          : undefined;
        const verified = verifyBundle(json, {
          ...(options.key
            ? {
                keys: [
                  { publicKey: readInputFile(resolve(ctx.cwd, options.key), 'public key', 64 * 1024).toString('utf8') },
                ],
              }
            : {}),
          ...(keyless ? { identities: [{ identity: options.identity!, issuer: options.issuer! }] } : {}),
          ...(trustedRoot === undefined ? {} : { trustedRoot }),
        });
        verifyStatement(verified.payload, verified.payloadType, manifest, options.role as AttestationRole);
        const digest = manifestDigest(manifest);
        const who =
          verified.signer.type === 'key'
            ? `key ${verified.signer.keyId}`
            : `${verified.signer.identity} (issuer ${verified.signer.issuer})`;
        ctx.out.result(
          {
            ok: true,
            server: manifest.server.name,
            version: manifest.server.version,
            manifestDigest: digest,
            role: options.role,
            signer: verified.signer.type === 'key' ? { type: 'key', keyId: verified.signer.keyId } : verified.signer,
          },
          [
            `Verified: ${ctx.out.untrusted(manifest.server.name)}@${ctx.out.untrusted(manifest.server.version)}`,
            `  manifest ${digest}`,
            `  ${options.role} signature by ${ctx.out.untrusted(who)}`,
          ],
        );
        return 0;
      }),
    );
}
