// Curator actions on one version: approve (the registry countersigns), reject, deprecate, yank. Each is
// a POST with an optional `{reason}` (required except for approve) and answers with the version's facts.

import type { FastifyInstance } from 'fastify';
import { apiRef } from '../../core/registry/api-schema.ts';
import { toVersionInfo } from '../../core/registry/response.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import { CURATION_ACTIONS, type CurationAction } from '../../core/registry/status.ts';
import { principalOf } from '../plugins/auth.ts';
import { acceptStrictJson } from '../plugins/json-body.ts';
import { type NameVersionParams, nameVersionParams, ownErrors } from './common.ts';

const SUMMARY: Record<CurationAction, string> = {
  approve: 'Approve a pending version: the registry countersigns its manifest digest',
  reject: 'Reject a pending version, with a reason',
  deprecate: 'Deprecate an approved version, with a reason (still installable, flagged)',
  yank: 'Yank a version, with a reason (clients must refuse it)',
};

export async function curationApi(
  app: FastifyInstance,
  options: { service: RegistryService; maxBytes: number },
): Promise<void> {
  acceptStrictJson(app, options.maxBytes);
  for (const action of CURATION_ACTIONS) {
    app.post<{ Params: NameVersionParams; Body: { reason?: string } | undefined }>(
      `/mcp-lock/v1/servers/:serverName/versions/:version/${action}`,
      {
        schema: {
          params: nameVersionParams,
          body: apiRef('CurationBody'),
          response: { 200: apiRef('VersionInfo'), ...ownErrors },
        },
        config: { openapi: { summary: SUMMARY[action], tags: ['curation'], auth: 'required' } },
        // An empty body means no reason (the body is optional; its schema applies when present).
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
      },
      async (request) => {
        const { serverName, version } = request.params;
        const record = await options.service.curate(
          principalOf(request),
          serverName,
          version,
          action,
          request.body?.reason,
        );
        return toVersionInfo(record);
      },
    );
  }
}
