// The marketplace web UI as a fastify plugin: `/` redirects to `/ui/`, pages and fragments live under
// /ui (routes.ts), all of it under the registry's base path (base-path.ts prefixes every link), and the stylesheet and script are served from memory (read once at start; the UI works
// offline, no CDN, no build step). Every /ui response carries a strict CSP (no inline script or style, no
// framing, nothing from other origins), and errors render as HTML in the registry's error vocabulary.

import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../../core/canonical/digest.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import { httpStatusFor } from '../http-status.ts';
import { sendError, toMcpLockError } from '../plugins/errors.ts';
import { withBasePath } from './base-path.ts';
import { page } from './layout.ts';
import { errorContent } from './pages/error.ts';
import { html, uiRoutes } from './routes.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function loadAsset(file: string, type: string): Asset {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url));
  return { body, type, etag: `"${sha256Hex(body).slice(0, 32)}"` };
}

const ASSETS: Record<string, Asset> = {
  'ui.css': loadAsset('ui.css', 'text/css; charset=utf-8'),
  'ui.js': loadAsset('ui.js', 'text/javascript; charset=utf-8'),
  'favicon.svg': loadAsset('favicon.svg', 'image/svg+xml'),
};

export interface UiOptions {
  service: RegistryService;
  /** The registry's base path ("/" or "/mcp/"). */
  basePath: string;
}

async function uiScope(app: FastifyInstance, options: UiOptions): Promise<void> {
  const isFragment = (request: FastifyRequest) => request.url.startsWith(`${options.basePath}ui/fragments/`);
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')) {
      payload = withBasePath(payload, options.basePath);
    }
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (!reply.hasHeader('cache-control')) {
      // Fragments depend on the token; pages are cheap to re-render and must show fresh statuses.
      reply.header('cache-control', isFragment(request) ? 'no-store' : 'no-cache');
    }
    if (isFragment(request)) reply.header('vary', 'authorization');
    return payload;
  });

  const renderError = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const err = toMcpLockError(error);
    const status = httpStatusFor(err.code);
    // The session probe answers JSON like the API does; ui.js reads its status.
    if (request.url.startsWith(`${options.basePath}ui/fragments/session`))
      return sendError(request, reply, error, 'mcp-lock');
    let message = err.message;
    let hint = err.hint;
    if (status >= 500) {
      request.log.error({ err: error, code: err.code }, 'UI request failed');
      message = `internal error (request ${request.id})`;
      hint = 'The registry could not complete the request; its log has the details.';
    }
    if (err.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer realm="mcp-lock registry"');
    const content = errorContent(status, err.code, message, hint);
    reply.code(status).type('text/html; charset=utf-8');
    if (isFragment(request)) return reply.send(content.value);
    return reply.send(page({ title: 'Error', nav: 'none', content, registry: options.service.info().registry }));
  };
  app.setErrorHandler((error, request, reply) => renderError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    renderError(request, reply, toMcpLockError({ code: 'FST_ERR_NOT_FOUND' })),
  );

  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    {
      schema: {
        params: { type: 'object', required: ['file'], properties: { file: { type: 'string', maxLength: 64 } } },
      },
      config: {
        openapi: {
          summary: 'Web UI: its stylesheet, script and icon',
          tags: ['ui'],
          responses: {
            '200': { description: 'The asset', contentTypes: ['text/css', 'text/javascript', 'image/svg+xml'] },
            '304': { description: 'Not modified (If-None-Match matched its ETag)' },
            '404': html['4XX'],
          },
        },
      },
    },
    async (request, reply) => {
      const asset = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file] : undefined;
      if (!asset) return renderError(request, reply, toMcpLockError({ code: 'FST_ERR_NOT_FOUND' }));
      reply.header('etag', asset.etag).header('cache-control', 'no-cache');
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      return reply.type(asset.type).send(asset.body);
    },
  );

  await app.register(uiRoutes, { service: options.service });
}

export async function uiPlugin(app: FastifyInstance, options: UiOptions): Promise<void> {
  app.get(
    '/',
    {
      config: {
        openapi: {
          summary: 'The web UI (redirects to /ui/)',
          tags: ['ui'],
          responses: { '302': { description: 'Redirect to /ui/' } },
        },
      },
    },
    async (_r, reply) => reply.redirect(`${options.basePath}ui/`, 302),
  );
  await app.register(uiScope, { ...options, prefix: '/ui' });
}
