// Start the registry: open its store (the embedded files, or PostgreSQL for replicas), load (or on first
// start create) the approval key, build
// the app, and listen with bounded headers, requests and connections. Nothing else lives here.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { joseVerifier } from '../adapters/oidc/verify.ts';
import { trustMaterialFromRoot, verifyBundle } from '../adapters/sigstore/verify.ts';
import { McpLockError } from '../core/errors.ts';
import { parseStrictJson } from '../core/json/strict-json.ts';
import { DEFAULT_PUBLISH_LIMITS } from '../core/registry/publish.ts';
import { RegistryService } from '../core/registry/service.ts';
import { buildRegistryApp } from './app.ts';
import type { RegistryConfig } from './config.ts';
import { guardConnections } from './connections.ts';
import { loadOrCreateApprovalKey } from './keys/approval-key.ts';
import { openTufRepository, TUF_LOCAL_ROOT_KEY_FILE } from './keys/tuf-keys.ts';
import { describeStore, openRegistryStore } from './store/open-store.ts';

export interface RunningRegistry {
  /** The listening address with the base path, e.g. http://127.0.0.1:8787/mcp. */
  url: string;
  registryId: string;
  keyId: string;
  dataDir: string;
  /** Where versions and the audit log live: the data directory, or the database URL without password. */
  store: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go (one JSON object per line); nothing is logged without it. */
  log?: (line: string) => void;
  version?: string;
}

async function loadTrustedRoot(path: string | null): Promise<unknown> {
  if (path === null) return undefined;
  let root: unknown;
  try {
    root = parseStrictJson(await readFile(path), 'trusted root', { maxBytes: 4 * 1024 * 1024, maxDepth: 32 });
    trustMaterialFromRoot(root);
  } catch (error) {
    throw new McpLockError('CONFIG_INVALID', `the trusted root ${path} cannot be used: ${(error as Error).message}`, {
      hint: 'Pass a Sigstore trusted_root.json, or omit it to use the pinned public-good root.',
      cause: error,
    });
  }
  return root;
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function startRegistryServer(
  config: RegistryConfig,
  options: StartOptions = {},
): Promise<RunningRegistry> {
  const trustedRoot = await loadTrustedRoot(config.trustedRoot);
  const store = await openRegistryStore(config);
  let loaded: Awaited<ReturnType<typeof loadOrCreateApprovalKey>>;
  try {
    loaded = await loadOrCreateApprovalKey(config.dataDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { signer, created } = loaded;
  if (created) {
    await store.transaction(async (tx) =>
      tx.appendAudit({
        at: new Date().toISOString(),
        action: 'key.create',
        actor: { type: 'local', tool: 'mcp-lock registry serve' },
        details: { keyId: signer.keyId },
      }),
    );
  }
  const { repository: tuf, createdRoot } = await openTufRepository(store, config.dataDir, config.tufExpiries);
  if (createdRoot) {
    options.log?.(
      JSON.stringify({
        level: 40,
        msg: `created the TUF root with its root key in ${TUF_LOCAL_ROOT_KEY_FILE}; move it offline (see mcp-lock registry keys --help)`,
      }),
    );
  }
  await tuf.refreshIfDue(store);
  let registryId = config.publicUrl ?? '';
  const service = new RegistryService({
    store,
    verify: (bundle, trust) => verifyBundle(bundle, { ...trust, ...(trustedRoot ? { trustedRoot } : {}) }),
    approvalSigner: signer,
    registryId: () => registryId,
    publishLimits: { ...DEFAULT_PUBLISH_LIMITS, maxBytes: config.limits.publishBodyBytes },
    publishPolicy: { npmRegistries: config.npmRegistries, refuseFindingsAt: config.refuseFindings },
    tuf,
    curatorsRequired: config.curatorsRequired,
    oidcIdentityRequired: config.oidcIdentityRequired,
    oidc: { issuers: config.oidcIssuers, verify: joseVerifier(), random: (n) => randomBytes(n) },
  });
  const log = options.log;
  const logger =
    log && config.logLevel !== 'silent'
      ? {
          level: config.logLevel,
          // Request logs never carry headers; redact the token anyway should a serializer ever add them.
          redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
          stream: { write: (line: string) => log(line.trimEnd()) },
        }
      : false;
  const app = await buildRegistryApp(
    {
      service,
      limits: config.limits,
      basePath: config.basePath,
      ...(options.version ? { version: options.version } : {}),
    },
    logger,
  );
  app.server.headersTimeout = config.limits.headersTimeoutMs;
  app.server.maxConnections = config.limits.maxConnections;
  app.server.maxHeadersCount = 100;
  guardConnections(app.server, {
    maxPerAddress: config.limits.maxConnectionsPerAddress,
    firstByteTimeoutMs: config.limits.headersTimeoutMs,
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new McpLockError(
      'CONFIG_INVALID',
      `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
      {
        hint: code === 'EADDRINUSE' ? 'Another process uses this port; pass --port.' : 'Check --host and --port.',
        cause: error,
      },
    );
  }
  // Re-sign the timestamp (and whatever else nears expiry) well before clients would see it expire.
  const refreshMs = Math.min((config.tufExpiries.timestamp * 1000) / 8, 10 * 60 * 1000);
  const refresher = setInterval(() => {
    tuf.refreshIfDue(store).catch((error) => {
      options.log?.(
        JSON.stringify({ level: 50, msg: `could not refresh the TUF timestamp: ${(error as Error).message}` }),
      );
    });
  }, refreshMs);
  refresher.unref();
  // Clients and the CLI join API paths to this URL, so it carries the base path (without its last "/").
  const url = urlOf(app.server.address() as AddressInfo) + config.basePath.slice(0, -1);
  registryId ||= url;
  return {
    url,
    registryId,
    keyId: signer.keyId,
    dataDir: config.dataDir,
    store: describeStore(config),
    app,
    async close() {
      clearInterval(refresher);
      await app.close();
      await store.close();
    },
  };
}
