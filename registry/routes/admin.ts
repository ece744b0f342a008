// Curator and admin reads: the review queue (pending versions in the token's scopes, each with the
// approved version to diff against) and the audit log (admins only).

import type { FastifyInstance } from 'fastify';
import { apiRef } from '../../core/registry/api-schema.ts';
import { toVersionInfo } from '../../core/registry/response.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import { principalOf } from '../plugins/auth.ts';
import { ownErrors, pageMetadata } from './common.ts';

export async function adminApi(app: FastifyInstance, options: { service: RegistryService }): Promise<void> {
  const { service } = options;

  app.get<{ Querystring: { cursor?: string; limit?: number } }>(
    '/mcp-lock/v1/queue',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { cursor: { type: 'string', maxLength: 1024 }, limit: { type: 'integer', minimum: 1 } },
        },
        response: { 200: apiRef('QueueResponse'), ...ownErrors },
      },
      config: {
        openapi: { summary: 'Pending versions awaiting review (curators)', tags: ['curation'], auth: 'required' },
      },
    },
    async (request) => {
      const page = await service.queue(principalOf(request), request.query);
      return {
        items: page.items.map((i) => ({
          version: toVersionInfo(i.record),
          previousApproved: i.previousApproved ? toVersionInfo(i.previousApproved) : null,
        })),
        metadata: pageMetadata(page.items.length, page.nextCursor),
      };
    },
  );

  app.get<{ Querystring: { cursor?: string; limit?: number; action?: string; name?: string } }>(
    '/mcp-lock/v1/audit',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            cursor: { type: 'string', maxLength: 32, description: 'Sequence number to continue after' },
            limit: { type: 'integer', minimum: 1 },
            action: { type: 'string', maxLength: 64 },
            name: { type: 'string', maxLength: 200 },
          },
        },
        response: { 200: apiRef('AuditResponse'), ...ownErrors },
      },
      config: {
        openapi: { summary: 'The append-only audit log of every write (admins)', tags: ['admin'], auth: 'required' },
      },
    },
    async (request) => {
      const page = await service.audit(principalOf(request), request.query);
      return { events: page.items, metadata: pageMetadata(page.items.length, page.nextCursor) };
    },
  );
}
