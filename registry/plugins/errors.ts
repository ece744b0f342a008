// Errors leave the registry in one shape per API: `{error: {code, message, hint}}` on mcp-lock routes,
// and the official `{error: "<message>"}` (plus our code and hint) on the official MCP registry routes.
// The HTTP status comes from the code (registry/http-status.ts). 5xx details are logged, never sent.

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCategory, type ErrorCode, errorCategory, isErrorCode, McpLockError } from '../../core/errors.ts';
import { httpStatusFor } from '../http-status.ts';

export type ErrorFormat = 'mcp-lock' | 'official';

/** Every error body carries a hint; these stand in when the error brought none. */
const DEFAULT_HINT: Record<ErrorCategory, string> = {
  usage: 'Check the request against /openapi.json.',
  verification: 'The request was understood and checked, and the check failed; see the message.',
  unverifiable: 'The registry could not complete the request; try again later.',
};

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
        hint: 'Bodies are size-capped: a publish by the publish limit, any other body by the JSON body limit.',
      });
    case 'FST_ERR_BAD_URL':
      return new McpLockError('USAGE', 'the URL is not valid: a path segment has a malformed %-escape', {
        hint: 'Percent-encode path segments with encodeURIComponent (a server name "a/b" is "a%2Fb").',
      });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new McpLockError('LIMIT_EXCEEDED', 'a path parameter is too long', {
        hint: 'Server names and versions are at most a few hundred characters.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new McpLockError('MEDIA_TYPE_UNSUPPORTED', 'the request body must be application/json', {
        hint: 'Send Content-Type: application/json.',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new McpLockError('JSON_SYNTAX', 'the request body is empty', {
        hint: 'Send a JSON body, or no Content-Type and no body at all.',
      });
    case 'FST_ERR_NOT_FOUND':
      return new McpLockError('NOT_FOUND', 'no such route', { hint: 'The API is described at /openapi.json.' });
    default:
      break;
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new McpLockError('USAGE', e.message ?? 'bad request', { hint: 'Check the request against /openapi.json.' });
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
  let hint = err.hint ?? DEFAULT_HINT[errorCategory(code)];
  if (status >= 500) {
    request.log.error({ err: error, code }, 'request failed');
    message = `internal error (request ${request.id})`;
    hint = 'The registry could not complete the request; its log has the details.';
  }
  if (code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer realm="mcp-lock registry"');
  reply.code(status);
  if (format === 'official') {
    return reply.send({ error: message, code, hint });
  }
  const data = status < 500 && err.data ? { data: err.data } : {};
  return reply.send({ error: { code, message, hint, ...data } });
}

/** Errors fastify raises before any route runs (a malformed %-escape in the path): the API's own shape. */
export function sendFrameworkError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const official = /^\/v0(?:\.1)?\//.test(request.raw.url ?? '');
  return sendError(request, reply, error, official ? 'official' : 'mcp-lock');
}

const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string; hint: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'TIMEOUT',
    message: 'the request took too long to arrive',
    hint: 'Send the whole request promptly; slow requests are cut off.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'LIMIT_EXCEEDED',
    message: 'the request headers are too large',
    hint: 'Send fewer or smaller headers.',
  },
};

/**
 * Malformed HTTP that never becomes a request (Node's parser refused it): answered in the mcp-lock error
 * shape on the raw socket, then the socket is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    code: 'USAGE' as const,
    message: 'the request is not valid HTTP',
    hint: 'Send a well-formed HTTP/1.1 request.',
  };
  const body = JSON.stringify({ error: { code: known.code, message: known.message, hint: known.hint } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
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
