// The OpenAPI 3.1 document, generated from the very route schemas fastify validates and serializes with
// (collected as routes are registered) plus the API and manifest JSON Schemas as components.

import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { API_SCHEMA_ID, apiSchema } from '../../core/registry/api-schema.ts';
import { MANIFEST_SCHEMA_ID, schemas } from '../../core/schema/validate.ts';

/** A response that is not a JSON body with a fastify response schema: an HTML page, an asset, a redirect. */
export interface DocumentedResponse {
  description: string;
  /** Media types of the body (none for a redirect or 304). */
  contentTypes?: readonly string[];
}

/** Per-route documentation that is not a fastify schema part. */
export interface OpenApiRouteConfig {
  /** Responses beside those of the route's response schema, by status code ('200', '4XX', …). */
  responses?: Record<string, DocumentedResponse>;
  summary?: string;
  description?: string;
  tags?: string[];
  /** Request body documented but read raw by the handler (publish). */
  requestBody?: object;
  auth?: 'required' | 'optional';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    openapi?: OpenApiRouteConfig;
  }
}

interface CollectedRoute {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  doc: OpenApiRouteConfig;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Rewrite $refs from schema ids to components, recursively. */
function rewriteRefs(value: unknown, local: (pointer: string) => string): Json {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, local));
  if (value && typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$id' || k === '$schema') continue;
      out[k] = k === '$ref' && typeof v === 'string' ? refTarget(v, local) : rewriteRefs(v, local);
    }
    return out;
  }
  return value as Json;
}

function refTarget(ref: string, local: (pointer: string) => string): string {
  const component = (pointer: string) => `#/components/schemas/${pointer.replace(/^#\/\$defs\//, '')}`;
  if (ref.startsWith(`${API_SCHEMA_ID}#/$defs/`)) {
    const name = ref.slice(`${API_SCHEMA_ID}#/$defs/`.length);
    return name === 'ServerDetail' ? '#/components/schemas/ServerDetail' : `#/components/schemas/${name}`;
  }
  if (ref === MANIFEST_SCHEMA_ID) return '#/components/schemas/McpLockManifest';
  if (ref.startsWith(`${MANIFEST_SCHEMA_ID}#`)) return component(ref.slice(MANIFEST_SCHEMA_ID.length));
  if (ref.startsWith('#')) return local(ref);
  return ref;
}

export function buildComponents(): Record<string, Json> {
  const components: Record<string, Json> = {};
  const manifestLocal = (pointer: string) => `#/components/schemas/${pointer.replace(/^#\/\$defs\//, '')}`;
  const { $defs: manifestDefs, ...manifestRoot } = schemas.manifest as unknown as { $defs: Record<string, unknown> };
  components.McpLockManifest = rewriteRefs(manifestRoot, manifestLocal);
  for (const [name, def] of Object.entries(manifestDefs)) components[name] = rewriteRefs(def, manifestLocal);
  for (const [name, def] of Object.entries(apiSchema.$defs)) {
    if (name === 'ServerDetail') continue;
    if (name in components) throw new Error(`OpenAPI component name collision: ${name}`);
    components[name] = rewriteRefs(def, (p) => `#/components/schemas/${p.replace(/^#\/\$defs\//, '')}`);
  }
  return components;
}

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

function parametersOf(schema: Record<string, unknown>): Json[] {
  const out: Json[] = [];
  for (const [part, location] of [
    ['params', 'path'],
    ['querystring', 'query'],
  ] as const) {
    const s = schema[part] as
      | { properties?: Record<string, { description?: string }>; required?: string[] }
      | undefined;
    for (const [name, prop] of Object.entries(s?.properties ?? {})) {
      const { description, ...propSchema } = prop;
      out.push({
        name,
        in: location,
        required: location === 'path' || (s?.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rewriteRefs(propSchema, (p) => p),
      });
    }
  }
  return out;
}

function operationOf(route: CollectedRoute): Json {
  const { schema, doc } = route;
  const responses: Record<string, Json> = {};
  const response = (schema.response ?? {}) as Record<string, unknown>;
  for (const [status, s] of Object.entries(response)) {
    const key = /^[1-5]xx$/.test(status) ? status.toUpperCase() : status;
    responses[key] = {
      description: status.startsWith('2') ? 'Success' : 'Error',
      content: { 'application/json': { schema: rewriteRefs(s, (p) => p) } },
    };
  }
  for (const [status, documented] of Object.entries(doc.responses ?? {})) {
    const types = documented.contentTypes ?? [];
    responses[status] = {
      description: documented.description,
      ...(types.length > 0
        ? { content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string' } }])) }
        : {}),
    };
  }
  const body = (schema.body as object | undefined) ?? doc.requestBody;
  return {
    ...(doc.summary ? { summary: doc.summary } : {}),
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.tags ? { tags: doc.tags } : {}),
    ...(doc.auth === 'required' ? { security: [{ bearerAuth: [] }] } : {}),
    ...(doc.auth === 'optional' ? { security: [{}, { bearerAuth: [] }] } : {}),
    parameters: parametersOf(schema),
    ...(body
      ? { requestBody: { required: true, content: { 'application/json': { schema: rewriteRefs(body, (p) => p) } } } }
      : {}),
    responses,
  };
}

export function buildOpenApi(routes: readonly CollectedRoute[], info: { version: string; basePath?: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  // Under a base path, paths are relative to the one server URL that carries it.
  const prefix = (info.basePath ?? '/').slice(0, -1);
  for (const route of routes) {
    const url = prefix && route.url.startsWith(`${prefix}/`) ? route.url.slice(prefix.length) : route.url;
    const path = toOpenApiPath(url);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'mcp-lock registry',
      version: info.version,
      summary: 'A private, curated MCP registry of signed manifests that speaks the official MCP registry API.',
      description:
        'Implements the official MCP Server Registry API 2025-12-01 read paths under /v0.1 and /v0, and ' +
        'mcp-lock endpoints under /mcp-lock/v1 for signed manifests, bundles, publishing and curation.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(prefix ? { servers: [{ url: prefix, description: 'This registry, under its base path' }] } : {}),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1))),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A registry token (mcpl_…) from `mcp-lock registry token create`.',
        },
      },
      schemas: buildComponents(),
    },
  };
}

export const openApiPlugin = fp(
  async (app: FastifyInstance, options: { version: string; basePath?: string }) => {
    const routes: CollectedRoute[] = [];
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        routes.push({
          method,
          url: route.url,
          schema: (route.schema ?? {}) as Record<string, unknown>,
          doc: (route.config as { openapi?: OpenApiRouteConfig } | undefined)?.openapi ?? {},
        });
      }
    });
    let document: string | undefined;
    app.get(
      '/openapi.json',
      {
        schema: { response: { 200: { type: 'object', description: 'OpenAPI 3.1 document' } } },
        config: { openapi: { summary: 'This OpenAPI document', tags: ['meta'] } },
      },
      async (_request, reply) => {
        document ??= JSON.stringify(buildOpenApi(routes, options));
        return reply.type('application/json; charset=utf-8').send(document);
      },
    );
  },
  { name: 'mcp-lock-openapi', fastify: '5.x' },
);
