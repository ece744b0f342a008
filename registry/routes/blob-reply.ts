// Serving an immutable, content-addressed blob (a manifest, a bundle): its id (hex sha256 of the bytes) is
// a strong ETag, so a client that already holds it gets 304 without the store reading the bytes again.
// Clients revalidate every time (no-cache): who may read a version can change, its bytes cannot.

import type { FastifyReply, FastifyRequest } from 'fastify';

type Lookup = (knownId: string | undefined) => Promise<{ id: string; bytes: Uint8Array | null }>;

/** The blob id a client's If-None-Match names, if it names one of ours (a quoted 64-hex ETag). */
function knownBlobId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value || value.length > 1024) return undefined;
  // Only the first tag counts: clients send the one they hold.
  return /^\s*(?:W\/)?"([0-9a-f]{64})"/.exec(value)?.[1];
}

export async function sendBlob(request: FastifyRequest, reply: FastifyReply, lookup: Lookup): Promise<FastifyReply> {
  const { id, bytes } = await lookup(knownBlobId(request.headers['if-none-match']));
  reply.header('etag', `"${id}"`).header('cache-control', 'no-cache');
  if (bytes === null) return reply.code(304).send();
  return reply.type('application/json').send(Buffer.from(bytes));
}
