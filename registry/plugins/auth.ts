// Authentication runs first, in onRequest, for every route whose config says it needs a token (or may
// take one): a request without a valid token is answered 401 before its body is even read.
// Failed authentications are counted per client address (@fastify/rate-limit's store, an LRU of bounded
// size); past the budget a failure is answered 429 with Retry-After. Only failures count, and a valid
// token is checked before the budget is, so a working client is never slowed by a neighbour behind the
// same address (tokens carry 256 random bits: the budget bounds noise and cost, not guessing odds).

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { McpLockError } from '../../core/errors.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import type { Principal } from '../../core/registry/tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Count a failed authentication of a route that authenticates by itself (the OIDC exchange). */
    countAuthFailure(request: FastifyRequest, reply: FastifyReply, failure: unknown): Promise<void>;
  }
}

export interface AuthOptions {
  service: RegistryService;
  /** Failed authentications one client address may make per window before 429. */
  failuresPerWindow: number;
  failureWindowMs: number;
}

/** The authenticated caller of a route declared with `auth: 'required'`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new McpLockError('INTERNAL', 'route declared without auth uses a principal');
  return request.principal;
}

export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    await app.register(rateLimit, { global: false });
    const countFailure = app.createRateLimit({
      max: options.failuresPerWindow,
      timeWindow: options.failureWindowMs,
    });
    const refuseIfOverBudget = async (request: FastifyRequest, reply: FastifyReply, failure: unknown) => {
      if (!(failure instanceof McpLockError) || failure.code !== 'UNAUTHENTICATED') return;
      const budget = await countFailure(request);
      if (budget.isAllowed || !budget.isExceeded) return;
      const seconds = Math.max(1, budget.ttlInSeconds);
      reply.header('retry-after', String(seconds));
      throw new McpLockError('RATE_LIMITED', 'too many failed authentications from this address', {
        hint: `Wait ${seconds} s (Retry-After), and check the token you send.`,
        data: { retryAfterSeconds: seconds },
      });
    };

    app.decorate('countAuthFailure', refuseIfOverBudget);
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request, reply) => {
      const auth = request.routeOptions.config?.openapi?.auth;
      const header = request.headers.authorization;
      try {
        if (auth === 'required') request.principal = await options.service.authenticate(header);
        else if (auth === 'optional') request.principal = await options.service.optionalPrincipal(header);
      } catch (error) {
        await refuseIfOverBudget(request, reply, error);
        throw error;
      }
    });
  },
  { name: 'mcp-lock-auth', fastify: '5.x', dependencies: ['mcp-lock-openapi'] },
);
