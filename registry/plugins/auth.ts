// Authentication runs first, in onRequest, for every route whose config says it needs a token (or may
// take one): a request without a valid token is answered 401 before its body is even read.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { McpLockError } from '../../core/errors.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import type { Principal } from '../../core/registry/tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The authenticated caller of a route declared with `auth: 'required'`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new McpLockError('INTERNAL', 'route declared without auth uses a principal');
  return request.principal;
}

export const authPlugin = fp(
  async (app: FastifyInstance, options: { service: RegistryService }) => {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const auth = request.routeOptions.config?.openapi?.auth;
      const header = request.headers.authorization;
      if (auth === 'required') request.principal = await options.service.authenticate(header);
      else if (auth === 'optional') request.principal = await options.service.optionalPrincipal(header);
    });
  },
  { name: 'mcp-lock-auth', fastify: '5.x', dependencies: ['mcp-lock-openapi'] },
);
