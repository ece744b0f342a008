// The source of a tiny dependency-free MCP stdio server, for packages served by the test npm registry and
// for introspection tests. It reads its surface from surface.json beside it and speaks both protocol eras:
// the initialize handshake, and (when "stateless" is set) the 2026-07-28 server/discover.

export interface TinySurface {
  instructions?: string;
  tools?: unknown[];
  prompts?: unknown[];
  resources?: unknown[];
  resourceTemplates?: unknown[];
  /** Items per page (default: everything on one page). */
  pageSize?: number;
  /** Answer server/discover (2026-07-28) instead of refusing it. */
  stateless?: boolean;
  /** Return this cursor forever (a cursor loop). */
  loopCursor?: string;
}

export const TINY_SERVER_JS = String.raw`#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const spec = JSON.parse(fs.readFileSync(process.env.TINY_SURFACE || path.join(__dirname, 'surface.json'), 'utf8'));
const capabilities = {};
if (spec.tools) capabilities.tools = { listChanged: false };
if (spec.prompts) capabilities.prompts = { listChanged: false };
if (spec.resources || spec.resourceTemplates) capabilities.resources = { listChanged: false };
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
function page(list, params, field) {
  const size = spec.pageSize || list.length || 1;
  const start = params && params.cursor ? Number(params.cursor) : 0;
  const result = { [field]: list.slice(start, start + size) };
  if (spec.loopCursor) result.nextCursor = spec.loopCursor;
  else if (start + size < list.length) result.nextCursor = String(start + size);
  return result;
}
function handle(msg) {
  const p = msg.params || {};
  switch (msg.method) {
    case 'initialize':
      return { protocolVersion: '2025-11-25', capabilities, serverInfo: { name: 'tiny', version: '1.0.0' }, ...(spec.instructions === undefined ? {} : { instructions: spec.instructions }) };
    case 'server/discover':
      if (!spec.stateless) throw { code: -32601, message: 'Method not found' };
      return { supportedVersions: ['2026-07-28'], capabilities, ...(spec.instructions === undefined ? {} : { instructions: spec.instructions }), ttlMs: 60000, cacheScope: 'public', resultType: 'complete', _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'tiny', version: '1.0.0' } } };
    case 'ping': return {};
    case 'tools/list': return page(spec.tools || [], p, 'tools');
    case 'prompts/list': return page(spec.prompts || [], p, 'prompts');
    case 'resources/list': return page(spec.resources || [], p, 'resources');
    case 'resources/templates/list': return page(spec.resourceTemplates || [], p, 'resourceTemplates');
    case 'tools/call': return { content: [{ type: 'text', text: 'called ' + p.name }] };
    default: throw { code: -32601, message: 'Method not found' };
  }
}
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  if (msg.id === undefined) return;
  try { send({ jsonrpc: '2.0', id: msg.id, result: handle(msg) }); }
  catch (e) { send({ jsonrpc: '2.0', id: msg.id, error: { code: e.code || -32603, message: e.message || 'error' } }); }
});
`;

/** A package for the test npm registry that runs the tiny server over the given surface. */
export function tinyServerPackage(
  name: string,
  surface: TinySurface,
  extra: Record<string, unknown> = {},
): {
  name: string;
  version: string;
  files: Record<string, string>;
  bin: Record<string, string>;
  extra: Record<string, unknown>;
} {
  const bin = name.slice(name.indexOf('/') + 1);
  return {
    name,
    version: '1.0.0',
    files: { 'server.js': TINY_SERVER_JS, 'surface.json': JSON.stringify(surface) },
    bin: { [bin]: 'server.js' },
    extra,
  };
}
