// Errors leave the registry in one shape per API: `{error: {code, message, hint}}` on mcp-lock routes,
// and the official `{error: "<message>"}` (plus our code and hint) on the official MCP registry routes.
// The HTTP status comes from the code (registry/http-status.ts). 5xx details are logged, never sent.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isErrorCode, McpLockError } from '../../core/errors.ts';
import { httpStatusFor } from '../http-status.ts';

export type ErrorFormat = 'mcp-lock' | 'official';

/** Turn anything thrown in a request into an McpLockError with the right code. */
export function toMcpLockError(error: unknown): McpLockError {
  if (error instanceof McpLockError) return error;
  const e = error as Partial<FastifyError> & { validationContext?: string };
  if (e.validation) {
    const part = e.validationContext ?? 'request';
    const code: ErrorCode = part === 'body' ? 'SCHEMA_INVALID' : 'USAGE';
    return new McpLockError(code, `invalid ${part}: ${e.message ?? 'does not match the schema'}`, {
      hint:
        part === 'body'
          ? 'Check the request body against /openapi.json.'
          : 'Check the query parameters against /openapi.json.',
    });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new McpLockError('JSON_TOO_LARGE', 'the request body is too large', {
        hint: 'Bodies are size-capped; a manifest above the publish limit cannot be published here.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new McpLockError('MEDIA_TYPE_UNSUPPORTED', 'the request body must be application/json', {
        hint: 'Send Content-Type: application/json.',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new McpLockError('JSON_SYNTAX', 'the request body is empty');
    case 'FST_ERR_NOT_FOUND':
      return new McpLockError('NOT_FOUND', 'no such route');
    default:
      break;
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new McpLockError('USAGE', e.message ?? 'bad request');
  }
  return new McpLockError('INTERNAL', 'internal error', { cause: error });
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  format: ErrorFormat,
): FastifyReply {
  const err = toMcpLockError(error);
  const code: ErrorCode = isErrorCode(err.code) ? err.code : 'INTERNAL';
  const status = httpStatusFor(code);
  let message = err.message;
  let hint = err.hint;
  if (status >= 500) {
    request.log.error({ err: error, code }, 'request failed');
    message = `internal error (request ${request.id})`;
    hint = 'The registry could not complete the request; its log has the details.';
  }
  if (code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer realm="mcp-lock registry"');
  reply.code(status);
  if (format === 'official') {
    return reply.send({ error: message, code, ...(hint ? { hint } : {}) });
  }
  const data = status < 500 && err.data ? { data: err.data } : {};
  return reply.send({ error: { code, message, ...(hint ? { hint } : {}), ...data } });
}

/** Install the error and not-found handlers for one scope. */
export function useErrorFormat(app: FastifyInstance, format: ErrorFormat): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error, format));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new McpLockError('NOT_FOUND', `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 300)}`, {
        hint: 'The API is described at /openapi.json.',
      }),
      format,
    ),
  );
}
