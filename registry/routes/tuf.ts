// The registry's TUF repository over HTTP, at stable URLs: metadata under /mcp-lock/v1/tuf/ and target
// files under /mcp-lock/v1/tuf/targets/. Point any TUF client (tuf-js) at them with the root pinned by
// `mcp-lock init --registry`: status, latest and digests of every public version are signed targets.

import type { FastifyInstance } from 'fastify';
import type { RegistryService } from '../../core/registry/service.ts';
import { ownErrors } from './common.ts';

const tags = ['tuf'];
const signedMetadata = {
  type: 'object',
  description: 'Signed TUF metadata (spec 1.0.31), byte for byte as the registry signed it',
} as const;

export async function tufApi(app: FastifyInstance, options: { service: RegistryService }): Promise<void> {
  const { service } = options;

  app.get<{ Params: { file: string } }>(
    '/mcp-lock/v1/tuf/:file',
    {
      schema: {
        params: {
          type: 'object',
          required: ['file'],
          properties: {
            file: {
              type: 'string',
              maxLength: 40,
              description: '<N>.root.json, timestamp.json, <N>.snapshot.json or <N>.targets.json',
            },
          },
        },
        response: { 200: signedMetadata, ...ownErrors },
      },
      config: {
        openapi: {
          summary: 'TUF metadata of the registry state (root chain, timestamp, snapshot, targets)',
          description:
            'Consistent snapshots: snapshot and targets are fetched by version. The timestamp expires after a ' +
            'day by default and is re-signed by the registry before then.',
          tags,
        },
      },
    },
    async (request, reply) => {
      const bytes = await service.tufMetadataFile(request.params.file);
      return reply.type('application/json').header('cache-control', 'no-cache').send(Buffer.from(bytes));
    },
  );

  app.get<{ Params: { namespace: string; server: string; file: string } }>(
    '/mcp-lock/v1/tuf/targets/servers/:namespace/:server/:file',
    {
      schema: {
        params: {
          type: 'object',
          required: ['namespace', 'server', 'file'],
          properties: {
            namespace: { type: 'string', maxLength: 200 },
            server: { type: 'string', maxLength: 200 },
            file: { type: 'string', maxLength: 400, description: '<sha256>.<version>.json or <sha256>.index.json' },
          },
        },
        response: { 200: { type: 'object', description: 'A target file: a manifest or a server index' }, ...ownErrors },
      },
      config: {
        openapi: {
          summary: 'A TUF target file by its hash: a version’s manifest, or a server’s index of versions',
          tags,
        },
      },
    },
    async (request, reply) => {
      const { namespace, server, file } = request.params;
      const bytes = await service.tufTargetFile(`servers/${namespace}/${server}`, file);
      return reply
        .type('application/json')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(Buffer.from(bytes));
    },
  );
}
