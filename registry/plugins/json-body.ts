// Request bodies are parsed only by the routes that take one. The app's root scope (CORS preflight, every
// GET, the not-found handler for any other method and path) ignores a body without reading it into a
// parser, so no route that needs no token costs more than a bounded amount of CPU. A scope whose routes
// take JSON opts in with acceptStrictJson (parseStrictJson: duplicate keys, __proto__, lone surrogates and
// inexact numbers refused) or acceptRawJson (the raw bytes, for a handler that parses them itself).

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { parseStrictJson } from '../../core/json/strict-json.ts';

/** Root scope: whatever the content type, a body is left unread and the route sees none. */
export const ignoreBodiesPlugin = fp(
  async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    // A parser that never touches the stream; Node discards what is left once the reply is sent.
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  },
  { name: 'mcp-lock-ignore-bodies', fastify: '5.x' },
);

/** In this scope, application/json bodies up to `maxBytes` are parsed strictly; other types get 415. */
export function acceptStrictJson(scope: FastifyInstance, maxBytes: number, maxDepth = 16): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => {
    try {
      done(null, parseStrictJson(body as Buffer, 'request body', { maxBytes, maxDepth }));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** In this scope, application/json bodies up to `maxBytes` arrive as raw bytes; other types get 415. */
export function acceptRawJson(scope: FastifyInstance, maxBytes: number): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
    done(null, body),
  );
}
