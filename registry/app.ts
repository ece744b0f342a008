// The registry as a fastify plugin: schemas and strict JSON first, then the official MCP registry API,
// publishing, curation and mcp-lock's own reads, with an OpenAPI document built from the same schemas.
// server.ts listens; tests inject. No I/O here beyond what the service's ports do.

import type { Server } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_PUBLISH_LIMITS } from '../core/registry/publish.ts';
import type { RegistryService } from '../core/registry/service.ts';
import { authPlugin } from './plugins/auth.ts';
import { clientErrorHandler, sendFrameworkError, useErrorFormat } from './plugins/errors.ts';
import { ignoreBodiesPlugin } from './plugins/json-body.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { schemasPlugin } from './plugins/schemas.ts';
import { adminApi } from './routes/admin.ts';
import { curationApi } from './routes/curation.ts';
import { officialApi } from './routes/official.ts';
import { oidcApi } from './routes/oidc.ts';
import { publishApi } from './routes/publish.ts';
import { readsApi } from './routes/reads.ts';
import { tufApi } from './routes/tuf.ts';
import { uiPlugin } from './ui/plugin.ts';

export interface AppLimits {
  /** Publish request body (manifest + bundle). */
  publishBodyBytes: number;
  /** Any other JSON body (curation reasons). */
  jsonBodyBytes: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Failed authentications one client address may make per window before it gets 429. */
  authFailuresPerWindow: number;
  authFailureWindowMs: number;
}

export const DEFAULT_APP_LIMITS: AppLimits = {
  publishBodyBytes: DEFAULT_PUBLISH_LIMITS.maxBytes,
  jsonBodyBytes: 64 * 1024,
  // Idle and trickling sockets are gone within seconds (registry/connections.ts closes silent ones, Node
  // the ones whose headers or request trickle in); inactivity while a request is in flight (a slow
  // handler on a busy machine) is allowed longer, and no request takes longer than requestTimeoutMs.
  requestTimeoutMs: 20_000,
  connectionTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  authFailuresPerWindow: 30,
  authFailureWindowMs: 60_000,
};

export interface RegistryAppOptions {
  service: RegistryService;
  limits?: Partial<AppLimits>;
  /** Version shown in the OpenAPI document. */
  version?: string;
  /**
   * The prefix everything is served under ("/mcp/" behind a reverse proxy; default "/"), normalised by
   * parseBasePath. Register the app with registerRegistryApp, which applies it.
   */
  basePath?: string;
}

export const registryApp = fp(
  async (app: FastifyInstance, options: RegistryAppOptions) => {
    const limits = { ...DEFAULT_APP_LIMITS, ...options.limits };
    const { service } = options;
    await app.register(schemasPlugin);
    await app.register(ignoreBodiesPlugin);
    const basePath = options.basePath ?? '/';
    await app.register(openApiPlugin, { version: options.version ?? '0.1.0', basePath });
    await app.register(authPlugin, {
      service,
      failuresPerWindow: limits.authFailuresPerWindow,
      failureWindowMs: limits.authFailureWindowMs,
    });
    useErrorFormat(app, 'mcp-lock');
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      return payload;
    });
    await app.register(officialApi, { service });
    await app.register(publishApi, { service, maxBytes: limits.publishBodyBytes });
    await app.register(curationApi, { service, maxBytes: limits.jsonBodyBytes });
    await app.register(readsApi, { service });
    await app.register(adminApi, { service });
    await app.register(tufApi, { service });
    await app.register(oidcApi, { service, maxBytes: limits.jsonBodyBytes });
    await app.register(uiPlugin, { service, basePath });
  },
  { name: 'mcp-lock-registry', fastify: '5.x' },
);

/** Fastify instance options: bounded bodies, params, timeouts; never trust a client's request id. */
export function serverOptions(
  limits: Partial<AppLimits> = {},
  logger: FastifyServerOptions['logger'] = false,
): FastifyHttpOptions<Server> {
  const l = { ...DEFAULT_APP_LIMITS, ...limits };
  return {
    logger,
    bodyLimit: l.jsonBodyBytes,
    requestTimeout: l.requestTimeoutMs,
    connectionTimeout: l.connectionTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    // Node enforces the header and request timeouts only when it sweeps (30 s by default): sweep often.
    http: { connectionsCheckingInterval: 1_000 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    frameworkErrors: (error, request, reply) => sendFrameworkError(request, reply, error),
    clientErrorHandler,
    routerOptions: { maxParamLength: 600, caseSensitive: true, ignoreTrailingSlash: false },
  };
}

/**
 * Register the registry at the root or under its base path. fastify-plugin makes registryApp share its
 * parent's context, and so ignores a `prefix`: wrap it in a plain (encapsulating) plugin that takes one.
 */
export async function registerRegistryApp(app: FastifyInstance, options: RegistryAppOptions): Promise<void> {
  const basePath = options.basePath ?? '/';
  if (basePath === '/') {
    await app.register(registryApp, options);
    return;
  }
  await app.register(async (scope) => scope.register(registryApp, options), { prefix: basePath.slice(0, -1) });
}

/** A ready-to-use app (for tests and server.ts). */
export async function buildRegistryApp(
  options: RegistryAppOptions,
  logger: FastifyServerOptions['logger'] = false,
): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(options.limits, logger));
  await registerRegistryApp(app, options);
  await app.ready();
  return app;
}
