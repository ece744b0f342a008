// `mcp-lock sign`: sign a manifest as its publisher (local key or keyless) into a Sigstore bundle.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.ts';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { parsePrivateKey } from '../../adapters/sigstore/keys.ts';
import { signKeyless, signWithKey } from '../../adapters/sigstore/sign.ts';
import { buildStatement, statementBytes } from '../../core/attestation/statement.ts';
import { manifestDigest, parseManifest } from '../../core/manifest/manifest.ts';
import { action, usageError } from '../command.ts';

interface SignOptions {
  key?: string;
  keyless?: boolean;
  identityToken?: string;
  fulcioUrl?: string;
  rekorUrl?: string;
  tsaUrl?: string;
  out?: string;
  force?: boolean;
}

export function registerSign(program: Command): void {
  program
    .command('sign')
    .summary('sign a manifest as its publisher (local key or keyless)')
    .description(
      'Sign a manifest as its publisher. Writes a Sigstore bundle (v0.3, DSSE around an in-toto statement whose ' +
        'subject is the SHA-256 of the canonical manifest). With --key the bundle is signed by a local key; with ' +
        '--keyless an OIDC identity token is exchanged for a short-lived Fulcio certificate and logged in Rekor.',
    )
    .argument('<manifest>', 'manifest file written by `mcp-lock manifest`')
    .option('-k, --key <private.pem>', 'private key from `mcp-lock keygen`')
    .option('--keyless', 'sign with an OIDC identity (Fulcio + Rekor) instead of a key')
    .option('--identity-token <jwt>', 'OIDC identity token for --keyless (default: $SIGSTORE_ID_TOKEN)')
    .option('--fulcio-url <url>', 'Fulcio base URL (default: $MCP_LOCK_FULCIO_URL or https://fulcio.sigstore.dev)')
    .option('--rekor-url <url>', 'Rekor base URL (default: $MCP_LOCK_REKOR_URL or https://rekor.sigstore.dev)')
    .option('--tsa-url <url>', 'RFC 3161 timestamp URL (…/api/v1/timestamp), optional (default: $MCP_LOCK_TSA_URL)')
    .option('-o, --out <file>', 'bundle file (default: <manifest>.sigstore.json)')
    .option('-f, --force', 'replace an existing bundle file')
    .action(
      action(async (ctx, manifestPath: string, options: SignOptions) => {
        if (Boolean(options.key) === Boolean(options.keyless)) {
          throw usageError('pass exactly one of --key <private.pem> or --keyless');
        }
        const manifest = parseManifest(readInputFile(resolve(ctx.cwd, manifestPath), 'manifest'), 'declared');
        const payload = statementBytes(buildStatement(manifest, 'publisher'));
        let bundle: unknown;
        if (options.key) {
          const keyPath = resolve(ctx.cwd, options.key);
          const mode = statSync(keyPath, { throwIfNoEntry: false })?.mode ?? 0;
          if (mode & 0o077) ctx.out.warn(`${keyPath} is readable by other users; chmod 600 it.`);
          bundle = await signWithKey(
            payload,
            parsePrivateKey(readInputFile(keyPath, 'private key', 64 * 1024).toString('utf8')),
          );
        } else {
          const identityToken = options.identityToken ?? ctx.env.SIGSTORE_ID_TOKEN;
          if (!identityToken) {
            throw usageError('--keyless needs an identity token', 'Pass --identity-token or set SIGSTORE_ID_TOKEN.');
          }
          const fulcioURL = options.fulcioUrl ?? ctx.env.MCP_LOCK_FULCIO_URL ?? 'https://fulcio.sigstore.dev';
          const rekorURL = options.rekorUrl ?? ctx.env.MCP_LOCK_REKOR_URL ?? 'https://rekor.sigstore.dev';
          const tsaURL = options.tsaUrl ?? ctx.env.MCP_LOCK_TSA_URL;
          ctx.out.progress(`Requesting a certificate from ${fulcioURL} …`);
          bundle = await signKeyless(payload, { identityToken, fulcioURL, rekorURL, ...(tsaURL ? { tsaURL } : {}) });
        }
        const out = resolve(ctx.cwd, options.out ?? `${manifestPath}.sigstore.json`);
        writeFileAtomic(out, `${JSON.stringify(bundle, null, 2)}\n`, { exclusive: !options.force });
        const digest = manifestDigest(manifest);
        ctx.out.result(
          {
            ok: true,
            bundle: out,
            manifestDigest: digest,
            server: manifest.server.name,
            version: manifest.server.version,
          },
          [
            `Signed ${ctx.out.untrusted(manifest.server.name)}@${ctx.out.untrusted(manifest.server.version)} (${digest})`,
            `Bundle: ${out}`,
          ],
        );
        return 0;
      }),
    );
}
