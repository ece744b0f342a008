// The HTTP headers a 2026-07-28 Streamable HTTP request carries beside its body: the protocol version,
// Mcp-Method, Mcp-Name (tools/call, prompts/get, resources/read) and one Mcp-Param-{Name} per argument
// the tool's pinned inputSchema marks with `x-mcp-header`. The bridge in `mcp-lock run` is the HTTP
// client, so it mirrors them the way the specification requires (base64 sentinel for unsafe values).

import type { JsonObject, JsonValue } from '../json/strict-json.ts';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SAFE_VALUE = /^[\x20-\x7e\t]*$/;
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header value as is when it is plain visible ASCII, else `=?base64?…?=` of its UTF-8 bytes. */
export function encodeHeaderValue(value: string): string {
  const plain =
    SAFE_VALUE.test(value) && value === value.trim() && !(value.startsWith('=?base64?') && value.endsWith('?='));
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Mcp-Param-{Name} headers for the arguments an inputSchema marks with x-mcp-header. */
export function paramHeaders(inputSchema: JsonValue | undefined, args: JsonValue | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const walk = (schema: JsonValue | undefined, value: JsonValue | undefined, depth: number) => {
    if (depth > 16 || !isObject(schema) || !isObject(schema.properties)) return;
    for (const [prop, sub] of Object.entries(schema.properties)) {
      if (!isObject(sub)) continue;
      const v = isObject(value) && Object.hasOwn(value, prop) ? value[prop] : undefined;
      const name = sub['x-mcp-header'];
      if (typeof name === 'string' && TOKEN.test(name) && v !== undefined && v !== null) {
        let text: string | null = null;
        if (typeof v === 'string') text = v;
        else if (typeof v === 'boolean') text = v ? 'true' : 'false';
        else if (typeof v === 'number' && Number.isSafeInteger(v)) text = String(v);
        if (text !== null) headers[`mcp-param-${name.toLowerCase()}`] = encodeHeaderValue(text);
      }
      walk(sub, v, depth + 1);
    }
  };
  walk(inputSchema, args, 0);
  return headers;
}

/**
 * Headers for one message sent over Streamable HTTP. `negotiated` is the version the initialize handshake
 * agreed on (handshake era); a 2026-07-28 message names its version in `_meta` and gets the new headers.
 */
export function mcpRequestHeaders(
  message: JsonObject,
  negotiated: string | undefined,
  toolDefinition: (name: string) => JsonObject | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const params = isObject(message.params) ? message.params : undefined;
  const meta = isObject(params?._meta) ? params._meta : undefined;
  const version = typeof meta?.[META_VERSION] === 'string' ? (meta[META_VERSION] as string) : undefined;
  if (version === undefined) {
    if (negotiated) headers['mcp-protocol-version'] = negotiated;
    return headers;
  }
  headers['mcp-protocol-version'] = version;
  const method = message.method;
  if (typeof method !== 'string') return headers;
  headers['mcp-method'] = method;
  const name =
    method === 'tools/call' || method === 'prompts/get'
      ? params?.name
      : method === 'resources/read'
        ? params?.uri
        : undefined;
  if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);
  if (method === 'tools/call' && typeof params?.name === 'string') {
    Object.assign(headers, paramHeaders(toolDefinition(params.name)?.inputSchema, params.arguments));
  }
  return headers;
}
