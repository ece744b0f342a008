// POST /mcp-lock/v1/publish: a manifest and its publisher bundle. The body is read as raw bytes (this
// scope replaces the JSON parser) and handed to the service, which parses it strictly and checks every
// rule before anything is stored. 201 for a new version, 200 for an identical re-publish.

import type { FastifyInstance } from 'fastify';
import { apiRef } from '../../core/registry/api-schema.ts';
import { toVersionInfo } from '../../core/registry/response.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import { principalOf } from '../plugins/auth.ts';
import { acceptRawJson } from '../plugins/json-body.ts';
import { ownErrors } from './common.ts';

export async function publishApi(
  app: FastifyInstance,
  options: { service: RegistryService; maxBytes: number },
): Promise<void> {
  acceptRawJson(app, options.maxBytes);

  app.post(
    '/mcp-lock/v1/publish',
    {
      bodyLimit: options.maxBytes,
      schema: { response: { 200: apiRef('PublishResult'), 201: apiRef('PublishResult'), ...ownErrors } },
      config: {
        openapi: {
          summary: 'Publish a signed manifest (new versions start pending review)',
          description:
            'The bundle must verify against a signer registered for the namespace and bind to the exact ' +
            'manifest sent. Versions are immutable: other content for a published version is 409.',
          tags: ['publish'],
          auth: 'required',
          requestBody: apiRef('PublishBody'),
        },
      },
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const { created, record } = await options.service.publish(principalOf(request), body);
      return reply.code(created ? 201 : 200).send({ created, version: toVersionInfo(record) });
    },
  );
}
