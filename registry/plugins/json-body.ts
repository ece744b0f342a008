// Every JSON request body is parsed with parseStrictJson (duplicate keys, __proto__, lone surrogates and
// inexact numbers refused) instead of JSON.parse, within a small size and depth cap. The publish route
// replaces this parser in its own scope to read the raw bytes itself.

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { parseStrictJson } from '../../core/json/strict-json.ts';

export interface JsonBodyOptions {
  maxBytes: number;
}

export const jsonBodyPlugin = fp(
  async (app: FastifyInstance, options: JsonBodyOptions) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: options.maxBytes },
      (_request, body, done) => {
        try {
          done(null, parseStrictJson(body as Buffer, 'request body', { maxBytes: options.maxBytes, maxDepth: 16 }));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );
  },
  { name: 'mcp-lock-json-body', fastify: '5.x' },
);
