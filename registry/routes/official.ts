// The official MCP registry read API (OpenAPI 2025-12-01), served under /v0.1 and its /v0 alias, with the
// CORS headers that let browser-based clients (VS Code, Copilot) read a private registry. Consumers see
// approved and deprecated versions; yanked ones appear as status "deleted" with include_deleted (or
// updated_since) and stay readable directly so clients can refuse them.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { apiRef } from '../../core/registry/api-schema.ts';
import { toServerResponse } from '../../core/registry/response.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import { useErrorFormat } from '../plugins/errors.ts';
import {
  type NameParams,
  type NameVersionParams,
  nameParams,
  nameVersionParams,
  officialErrors,
  pageMetadata,
} from './common.ts';

interface ListQuery {
  cursor?: string;
  limit?: number;
  search?: string;
  updated_since?: string;
  version?: string;
  include_deleted?: boolean;
}

const includeDeleted = {
  type: 'boolean',
  description: 'Include deleted (yanked) versions (default false; always true when updated_since is given)',
} as const;

const listQuery = {
  type: 'object',
  properties: {
    cursor: { type: 'string', maxLength: 1024, description: 'Opaque cursor from metadata.nextCursor' },
    limit: { type: 'integer', minimum: 1, description: 'Maximum number of items to return (default 30, at most 100)' },
    search: { type: 'string', maxLength: 200, description: 'Search servers by name or description (substring match)' },
    updated_since: {
      type: 'string',
      format: 'date-time',
      description: 'Only versions updated after this RFC 3339 instant',
    },
    version: {
      type: 'string',
      maxLength: 255,
      description: "'latest' for each server's latest version, or an exact version",
    },
    include_deleted: includeDeleted,
  },
} as const;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-max-age': '86400',
};

function preflight(_request: unknown, reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}

/** Register the read API under one prefix (/v0.1 or /v0). */
function officialRoutes(service: RegistryService, stability: string) {
  return async (app: FastifyInstance) => {
    useErrorFormat(app, 'official');
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.split('?')[0]?.includes('/servers')) reply.headers(CORS_HEADERS);
    });
    const tags = ['servers'];

    app.get<{ Querystring: ListQuery }>(
      '/servers',
      {
        schema: { querystring: listQuery, response: { 200: apiRef('ServerList'), ...officialErrors } },
        config: { openapi: { summary: `List MCP servers (${stability})`, tags } },
      },
      async (request) => {
        const q = request.query;
        const page = await service.listServers({
          ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
          ...(q.limit !== undefined ? { limit: q.limit } : {}),
          ...(q.search !== undefined ? { search: q.search } : {}),
          ...(q.updated_since !== undefined ? { updatedSince: q.updated_since } : {}),
          ...(q.version !== undefined ? { version: q.version } : {}),
          ...(q.include_deleted !== undefined ? { includeDeleted: q.include_deleted } : {}),
        });
        return {
          servers: page.items.map(toServerResponse),
          metadata: pageMetadata(page.items.length, page.nextCursor),
        };
      },
    );

    app.get<{ Params: NameParams; Querystring: { include_deleted?: boolean } }>(
      '/servers/:serverName/versions',
      {
        schema: {
          params: nameParams,
          querystring: { type: 'object', properties: { include_deleted: includeDeleted } },
          response: { 200: apiRef('ServerList'), ...officialErrors },
        },
        config: { openapi: { summary: `List all versions of an MCP server, newest first (${stability})`, tags } },
      },
      async (request) => {
        const versions = await service.listServerVersions(
          request.params.serverName,
          request.query.include_deleted === true,
        );
        return { servers: versions.map(toServerResponse), metadata: pageMetadata(versions.length, undefined) };
      },
    );

    app.get<{ Params: NameVersionParams; Querystring: { include_deleted?: boolean } }>(
      '/servers/:serverName/versions/:version',
      {
        schema: {
          params: nameVersionParams,
          querystring: { type: 'object', properties: { include_deleted: includeDeleted } },
          response: { 200: apiRef('ServerResponse'), ...officialErrors },
        },
        config: {
          openapi: {
            summary: `Get a specific MCP server version, or "latest" (${stability})`,
            description: 'Yanked versions are returned with status "deleted" so clients can refuse them.',
            tags,
          },
        },
      },
      async (request) =>
        toServerResponse(await service.getServerVersion(request.params.serverName, request.params.version)),
    );

    const preflightSchema = { schema: { response: { 204: { type: 'null', description: 'CORS preflight' } } } };
    app.options('/servers', preflightSchema, preflight);
    app.options('/servers/*', preflightSchema, preflight);
  };
}

export async function officialApi(app: FastifyInstance, options: { service: RegistryService }): Promise<void> {
  await app.register(officialRoutes(options.service, 'stable'), { prefix: '/v0.1' });
  await app.register(officialRoutes(options.service, 'development alias of /v0.1'), { prefix: '/v0' });
}
