// Start the registry: open its store (the embedded files, or PostgreSQL for replicas), load (or on first start create) the approval key, build
// the app, and listen with bounded headers, requests and connections. Nothing else lives here.

import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { trustMaterialFromRoot, verifyBundle } from '../adapters/sigstore/verify.ts';
import { McpLockError } from '../core/errors.ts';
import { parseStrictJson } from '../core/json/strict-json.ts';
import { DEFAULT_PUBLISH_LIMITS } from '../core/registry/publish.ts';
import { RegistryService } from '../core/registry/service.ts';
import { buildRegistryApp } from './app.ts';
import type { RegistryConfig } from './config.ts';
import { capConnectionsPerAddress } from './connections.ts';
import { loadOrCreateApprovalKey } from './keys/approval-key.ts';
import { describeStore, openRegistryStore } from './store/open-store.ts';

export interface RunningRegistry {
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
  let registryId = config.publicUrl ?? '';
  const service = new RegistryService({
    store,
    verify: (bundle, trust) => verifyBundle(bundle, { ...trust, ...(trustedRoot ? { trustedRoot } : {}) }),
    approvalSigner: signer,
    registryId: () => registryId,
    publishLimits: { ...DEFAULT_PUBLISH_LIMITS, maxBytes: config.limits.publishBodyBytes },
    publishPolicy: { npmRegistries: config.npmRegistries, refuseFindingsAt: config.refuseFindings },
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
    { service, limits: config.limits, ...(options.version ? { version: options.version } : {}) },
    logger,
  );
  app.server.headersTimeout = config.limits.headersTimeoutMs;
  app.server.maxConnections = config.limits.maxConnections;
  app.server.maxHeadersCount = 100;
  capConnectionsPerAddress(app.server, config.limits.maxConnectionsPerAddress);
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
  const url = urlOf(app.server.address() as AddressInfo);
  registryId ||= url;
  return {
    url,
    registryId,
    keyId: signer.keyId,
    dataDir: config.dataDir,
    store: describeStore(config),
    app,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
