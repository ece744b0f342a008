// POST /mcp-lock/v1/auth/oidc: exchange an OIDC ID token from a trusted issuer (a CI job's) for a
// short-lived publisher token scoped to the namespaces its claims map to.

import type { FastifyInstance } from 'fastify';
import type { RegistryService } from '../../core/registry/service.ts';
import { acceptStrictJson } from '../plugins/json-body.ts';
import { ownErrors } from './common.ts';

export async function oidcApi(
  app: FastifyInstance,
  options: { service: RegistryService; maxBytes: number },
): Promise<void> {
  acceptStrictJson(app, options.maxBytes);
  app.post<{ Body: { token: string } }>(
    '/mcp-lock/v1/auth/oidc',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['token'],
          properties: {
            token: { type: 'string', minLength: 20, maxLength: 16384, description: 'The OIDC ID token (JWT)' },
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['token', 'expiresAt', 'scopes'],
            properties: {
              token: { type: 'string', description: 'A publisher token (mcpl_…) for this session only' },
              expiresAt: { type: 'string', format: 'date-time' },
              scopes: { type: 'array', items: { type: 'string' } },
            },
          },
          ...ownErrors,
        },
      },
      config: {
        openapi: {
          summary: 'Exchange a CI OIDC ID token for a short-lived publish session',
          description:
            'The token must come from an issuer this registry trusts, name it as audience and be unexpired (bounded ' +
            'clock skew). Its claims map to namespaces by the configured rules; the session may publish there only. ' +
            'The session keeps the keyless identity the token names (GitHub Actions: https://github.com/<job_workflow_ref>; ' +
            'else a verified email, else sub), never the token: namespaces with "oidcIdentityRequired" accept only ' +
            'bundles signed keyless by that identity and issuer.',
          tags: ['publish'],
        },
      },
    },
    async (request, reply) => {
      try {
        const session = await options.service.exchangeOidc(request.body.token);
        return { token: session.token, expiresAt: session.expiresAt, scopes: session.scopes };
      } catch (error) {
        // Refused ID tokens count against the same per-address budget as bad registry tokens.
        await app.countAuthFailure(request, reply, error);
        throw error;
      }
    },
  );
}
