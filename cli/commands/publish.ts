// `mcp-lock publish`: send a signed manifest to a registry. The manifest and bundle are checked locally
// first (so a broken file fails fast, exit 2); the registry checks everything again.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { parseBundle } from '../../adapters/sigstore/verify.ts';
import { manifestDigest, parseManifest } from '../../core/manifest/manifest.ts';
import { action } from '../command.ts';
import { type ClientOptions, clientFor, withClientOptions } from './registry-options.ts';

interface PublishOptions extends ClientOptions {
  bundle?: string;
  oidc?: boolean;
  oidcTokenFile?: string;
  oidcAudience?: string;
}

export function registerPublish(program: Command): void {
  withClientOptions(
    program
      .command('publish')
      .summary('publish a signed manifest to a registry (it waits for curator review)')
      .description(
        'Publish a manifest and its publisher Sigstore bundle to an mcp-lock registry. The registry accepts it only ' +
          'if the bundle verifies against a signer registered for the namespace and signs exactly this manifest. ' +
          'New versions are pending until a curator approves them. Publishing the same manifest again changes ' +
          'nothing; other content for a published version is refused (versions are immutable).\n\n' +
          "Needs a publisher token scoped to the server name (--token or MCP_LOCK_TOKEN), or --oidc: the CI job's " +
          "OIDC ID token (GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, MCP_LOCK_OIDC_TOKEN, or " +
          '--oidc-token-file) is exchanged for a publish session of a few minutes, scoped to the namespaces the ' +
          'registry maps its claims to. No long-lived token needed. A namespace whose registry sets ' +
          '"oidcIdentityRequired" accepts only a bundle signed keyless (`sign --keyless`) in the same CI job: its ' +
          "Fulcio identity and issuer must be the ID token's (GitHub Actions: https://github.com/<job_workflow_ref>).",
      )
      .argument('<manifest>', 'manifest file from `mcp-lock manifest`')
      .option('-b, --bundle <file>', 'bundle from `mcp-lock sign` (default: <manifest>.sigstore.json)')
      .option('--oidc', 'publish with the CI job’s OIDC ID token instead of a registry token')
      .option('--oidc-token-file <file>', 'with --oidc: read the ID token from this file')
      .option('--oidc-audience <aud>', 'with --oidc: the audience to ask the CI for (default: the registry URL)'),
  ).action(
    action(async (ctx, manifestPath: string, options: PublishOptions) => {
      const path = resolve(ctx.cwd, manifestPath);
      const manifest = parseManifest(readInputFile(path, 'manifest'));
      const bundlePath = resolve(ctx.cwd, options.bundle ?? `${manifestPath}.sigstore.json`);
      const { json: bundle } = parseBundle(readInputFile(bundlePath, 'bundle', 1024 * 1024), bundlePath);
      let client = await clientFor(ctx, options, !options.oidc);
      if (options.oidc) {
        const { ciIdToken } = await import('../../adapters/oidc/ci-token.ts');
        const idToken = await ciIdToken({
          ...(options.oidcTokenFile ? { file: resolve(ctx.cwd, options.oidcTokenFile) } : {}),
          env: ctx.env,
          audience: options.oidcAudience ?? client.baseUrl.href.replace(/\/$/, ''),
          signal: ctx.signal,
        });
        const session = await client.exchangeOidc(idToken);
        ctx.out.progress(`publish session until ${session.expiresAt} for ${session.scopes.join(', ')}`);
        client = client.withToken(session.token);
      }
      const name = ctx.out.untrusted(manifest.server.name);
      const version = ctx.out.untrusted(manifest.server.version);
      ctx.out.progress(`publishing ${name}@${version} (${manifestDigest(manifest)}) to ${client.baseUrl.origin}`);
      const { created, version: info } = await client.publish(manifest, bundle);
      ctx.out.result(
        { created, ...info },
        created
          ? `published ${name}@${version}: ${info.status}, waiting for a curator (manifest ${info.manifestDigest})`
          : `${name}@${version} was already published with this manifest: ${info.status}`,
      );
    }),
  );
}
