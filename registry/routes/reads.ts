// mcp-lock's own read endpoints: version facts whatever the status (pending and rejected ones only for
// tokens scoped to the server), the canonical manifest bytes, both bundles, a field-level diff between two
// versions, and the registry's approval keys. Everything the consumer CLI and the web UI need.

import type { FastifyInstance } from 'fastify';
import { apiRef } from '../../core/registry/api-schema.ts';
import { toVersionInfo } from '../../core/registry/response.ts';
import { parseStatuses, type RegistryService } from '../../core/registry/service.ts';
import { sendBlob } from './blob-reply.ts';
import {
  type NameParams,
  type NameVersionParams,
  nameParams,
  nameVersionParams,
  ownErrors,
  pageMetadata,
  serverNameParam,
  versionParam,
} from './common.ts';

const tags = ['mcp-lock'];

export async function readsApi(app: FastifyInstance, options: { service: RegistryService }): Promise<void> {
  const { service } = options;

  app.get<{ Querystring: { cursor?: string; limit?: number; search?: string; status?: string } }>(
    '/mcp-lock/v1/servers',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            cursor: { type: 'string', maxLength: 1024 },
            limit: { type: 'integer', minimum: 1 },
            search: { type: 'string', maxLength: 200 },
            status: {
              type: 'string',
              maxLength: 100,
              description: 'Comma-separated statuses (default approved,deprecated); others need a scoped token',
            },
          },
        },
        response: { 200: apiRef('VersionList'), ...ownErrors },
      },
      config: { openapi: { summary: 'List versions with their registry status', tags, auth: 'optional' } },
    },
    async (request) => {
      const principal = request.principal;
      const q = request.query;
      const statuses = parseStatuses(q.status);
      const page = await service.list(principal, {
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        ...(q.search !== undefined ? { search: q.search } : {}),
        ...(statuses ? { statuses } : {}),
      });
      return { versions: page.items.map(toVersionInfo), metadata: pageMetadata(page.items.length, page.nextCursor) };
    },
  );

  app.get<{ Params: NameParams }>(
    '/mcp-lock/v1/servers/:serverName/versions',
    {
      schema: { params: nameParams, response: { 200: apiRef('VersionList'), ...ownErrors } },
      config: { openapi: { summary: 'Every version of a server you may see, newest first', tags, auth: 'optional' } },
    },
    async (request) => {
      const principal = request.principal;
      const versions = await service.versions(principal, request.params.serverName);
      return { versions: versions.map(toVersionInfo), metadata: pageMetadata(versions.length, undefined) };
    },
  );

  app.get<{ Params: NameVersionParams }>(
    '/mcp-lock/v1/servers/:serverName/versions/:version',
    {
      schema: { params: nameVersionParams, response: { 200: apiRef('VersionInfo'), ...ownErrors } },
      config: { openapi: { summary: 'One version with its status, signer and approval', tags, auth: 'optional' } },
    },
    async (request) => {
      const principal = request.principal;
      return toVersionInfo(await service.version(principal, request.params.serverName, request.params.version));
    },
  );

  app.get<{ Params: NameVersionParams }>(
    '/mcp-lock/v1/servers/:serverName/versions/:version/manifest',
    {
      schema: {
        params: nameVersionParams,
        response: { 200: { $ref: 'https://schemas.mcp-lock.dev/manifest/v1.json' }, ...ownErrors },
      },
      config: {
        openapi: {
          summary: 'The manifest, as the RFC 8785 canonical bytes whose sha256 is the manifest digest',
          tags,
          auth: 'optional',
        },
      },
    },
    async (request, reply) => {
      const { serverName, version } = request.params;
      return sendBlob(request, reply, (known) =>
        service.versionBlob(request.principal, serverName, version, 'manifest', known),
      );
    },
  );

  app.get<{ Params: NameVersionParams & { role: 'publisher' | 'approval' } }>(
    '/mcp-lock/v1/servers/:serverName/versions/:version/bundles/:role',
    {
      schema: {
        params: {
          type: 'object',
          required: ['serverName', 'version', 'role'],
          properties: {
            serverName: serverNameParam,
            version: versionParam,
            role: { type: 'string', enum: ['publisher', 'approval'], description: 'Which signature' },
          },
        },
        response: {
          200: { type: 'object', description: 'Sigstore bundle v0.3 (DSSE, in-toto statement)' },
          ...ownErrors,
        },
      },
      config: {
        openapi: {
          summary: "The publisher's Sigstore bundle, or the registry's approval bundle",
          tags,
          auth: 'optional',
        },
      },
    },
    async (request, reply) => {
      const { serverName, version, role } = request.params;
      return sendBlob(request, reply, (known) =>
        service.versionBlob(request.principal, serverName, version, role, known),
      );
    },
  );

  app.get<{ Params: NameParams; Querystring: { from: string; to: string } }>(
    '/mcp-lock/v1/servers/:serverName/diff',
    {
      schema: {
        params: nameParams,
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: versionParam, to: versionParam },
        },
        response: { 200: apiRef('DiffResponse'), ...ownErrors },
      },
      config: { openapi: { summary: 'What changed between two versions, field by field', tags, auth: 'optional' } },
    },
    async (request) => {
      const principal = request.principal;
      const { serverName } = request.params;
      const { from, to } = request.query;
      return { name: serverName, from, to, changes: await service.diff(principal, serverName, from, to) };
    },
  );

  app.get<{ Params: { namespace: string } }>(
    '/mcp-lock/v1/namespaces/:namespace/signers',
    {
      schema: {
        params: {
          type: 'object',
          required: ['namespace'],
          properties: {
            namespace: { type: 'string', minLength: 1, maxLength: 200, description: 'e.g. io.github.acme' },
          },
        },
        response: { 200: apiRef('SignersResponse'), ...ownErrors },
      },
      config: { openapi: { summary: 'The keys and keyless identities registered to sign for a namespace', tags } },
    },
    async (request) => ({
      namespace: request.params.namespace,
      signers: await service.signers(request.params.namespace),
    }),
  );

  app.get(
    '/mcp-lock/v1/keys',
    {
      schema: { response: { 200: apiRef('KeysResponse'), ...ownErrors } },
      config: { openapi: { summary: 'The public keys the registry signs approvals with', tags } },
    },
    async () => ({ keys: service.keys() }),
  );

  app.get(
    '/mcp-lock/v1/info',
    {
      schema: { response: { 200: apiRef('InfoResponse'), ...ownErrors } },
      config: { openapi: { summary: 'Which registry this is: its id (named in approvals) and keys', tags } },
    },
    async () => service.info(),
  );
}
