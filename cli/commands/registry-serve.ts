// `mcp-lock registry serve`: run the registry with its embedded store until interrupted.

import type { Command } from 'commander';
import type { ConfigFlags } from '../../registry/config.ts';
import { action } from '../command.ts';
import { VERSION } from '../version.ts';
import { registryConfigFor, withDataOptions } from './registry-options.ts';

/** The flags of `registry serve`: the configuration's flags, and the config file itself. */
type ServeOptions = ConfigFlags & { config?: string };

export function registerRegistryServe(registry: Command): void {
  withDataOptions(
    registry
      .command('serve')
      .summary('run the registry (official MCP registry API + mcp-lock publishing and curation)')
      .description(
        'Run the registry until interrupted, with its embedded store (no database server needed) or, with ' +
          '--database-url, in PostgreSQL: then any number of replicas may serve one database, and the data ' +
          'directory holds only the approval key (give every replica the same key file). It serves the ' +
          'official MCP registry API (/v0.1, /v0), publishing and curation under /mcp-lock/v1, and its OpenAPI ' +
          'document at /openapi.json. The approval key is created in the data directory on first start (mode 0600).\n\n' +
          'Its state (status, latest and digests of every public version) is a TUF repository at /mcp-lock/v1/tuf/, ' +
          'signed by the online key in the data directory; a TUF root is created on first start (see `registry keys`). ' +
          'Nobody approves their own publish; the config file\'s "curatorsRequired" ({"io.github.acme": 2}) asks for ' +
          'more distinct curators. "oidcIssuers" ([{"issuer", "audience", "jwksUrl", "namespaces": [{"claim": ' +
          '"repository_owner", "namespace": "io.github.{value}"}]}]) lets CI publish with its OIDC ID token ' +
          '(`publish --oidc`) instead of a long-lived token. "oidcIdentityRequired" ({"io.github.acme": "all"}; ' +
          '"*" for every namespace) requires that a publish there be signed keyless by the same identity as the ' +
          'OIDC session publishing it (GitHub Actions: the Fulcio SAN https://github.com/<job_workflow_ref> and the ' +
          'token\'s issuer; other issuers: a verified email, else sub); "all" also refuses long-lived tokens there, ' +
          '"oidc-sessions" checks OIDC sessions only. A refusal is 403 FORBIDDEN and nothing is stored.\n\n' +
          'Every publish is checked with the lint of `mcp-lock scan`: findings are stored with the version and ' +
          'shown to curators; --refuse-findings refuses publishes at or above a severity.\n\n' +
          'Behind a reverse proxy that forwards a path prefix (https://example.com/mcp/ → this registry), pass ' +
          '--base-path /mcp/: the API, the web UI and every link, form, redirect and asset live under it, and ' +
          'nothing is served outside it; the proxy forwards the prefix unchanged. --public-url is then the ' +
          'URL with the prefix (https://example.com/mcp).\n\n' +
          'Settings come from flags, then MCP_LOCK_REGISTRY_{HOST,PORT,DATA,DATABASE_URL,PUBLIC_URL,BASE_PATH,LOG_LEVEL,' +
          'TRUSTED_ROOT,NPM_REGISTRIES,REFUSE_FINDINGS,TIMESTAMP_EXPIRY}, then a JSON config file ({"host", "port", ' +
          '"dataDir", "databaseUrl", "publicUrl", "basePath", "logLevel", "trustedRoot", "npmRegistries", "refuseFindings", ' +
          '"tufExpiries", "curatorsRequired", "oidcIssuers", "oidcIdentityRequired", "limits"}). "limits" tunes the ' +
          'body sizes, connections (maxConnections, maxConnectionsPerAddress: 64), timeouts (headersTimeoutMs: 5 s, ' +
          'also for a socket that sends nothing; requestTimeoutMs, connectionTimeoutMs, keepAliveTimeoutMs) and failed authentications per client ' +
          'address (authFailuresPerWindow: 30 per authFailureWindowMs, then 429 with Retry-After). ' +
          'It binds 127.0.0.1 unless told otherwise; put TLS in front of it before exposing it.',
      )
      .option('-p, --port <port>', 'TCP port, 0 for any free port (default: 8787)')
      .option('--host <host>', 'address to bind (default: 127.0.0.1)')
      .option('--public-url <url>', 'URL clients use, named in approvals (default: the listening address)')
      .option('--base-path <path>', 'path prefix to serve everything under, e.g. /mcp/ behind a proxy (default: /)')
      .option('--log-level <level>', 'silent, fatal, error, warn, info or debug (default: info); logs go to stderr')
      .option('--trusted-root <file>', 'Sigstore trusted_root.json for keyless publishers (default: public-good)')
      .option(
        '--npm-registry <url>',
        'npm registry whose tarballs manifests may pin, e.g. a private mirror (repeatable; default: registry.npmjs.org)',
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option(
        '--refuse-findings <severity>',
        'refuse publishes with lint findings at or above: info … critical, or none (default)',
      )
      .option(
        '--timestamp-expiry <duration>',
        'how long a signed TUF timestamp is valid: seconds or 30m, 12h, 1d (default: 1d; re-signed at half-life)',
      ),
  ).action(
    action(async (ctx, options: ServeOptions) => {
      const config = await registryConfigFor(ctx, options);
      const { isLoopbackHost } = await import('../../registry/config.ts');
      if (!isLoopbackHost(config.host)) {
        ctx.out.warn(
          `binding ${ctx.out.untrusted(config.host)}: other machines can reach this registry; serve it behind TLS`,
        );
      }
      const { startRegistryServer } = await import('../../registry/server.ts');
      const running = await startRegistryServer(config, { log: (line) => ctx.out.stderrLine(line), version: VERSION });
      ctx.out.result(
        {
          url: running.url,
          registry: running.registryId,
          dataDir: running.dataDir,
          store: running.store,
          approvalKeyId: running.keyId,
        },
        [
          `mcp-lock registry listening on ${running.url}`,
          `  store:          ${ctx.out.untrusted(running.store)}`,
          `  data directory: ${ctx.out.untrusted(running.dataDir)}`,
          `  approval key:   ${running.keyId}`,
          `  API:            ${running.url}/v0.1/servers, ${running.url}/openapi.json`,
        ],
      );
      if (!ctx.signal.aborted)
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
      ctx.out.progress('stopping the registry');
      await running.close();
      return 0;
    }),
  );
}
