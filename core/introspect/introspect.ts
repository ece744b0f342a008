// Read an MCP server's whole surface over any JSON-RPC connection, in both protocol eras:
// the initialize handshake (2025-06-18, 2025-11-25) and the stateless 2026-07-28 revision
// (server/discover; every request carries its protocol version in _meta). Every list is followed
// to the end of its cursors, with caps on pages, items, bytes and time; any cap hit fails closed.

import { McpLockError } from '../errors.ts';
import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import type { Clock, McpRpc } from '../ports.ts';
import { LIST_METHOD, SURFACE_KINDS, type SurfaceKind, type SurfaceSnapshot } from '../surface/pin.ts';
import { INTROSPECTION_CAPABILITIES } from './client-role.ts';

export const STATELESS_VERSION = '2026-07-28';
export const HANDSHAKE_VERSION = '2025-11-25';
export const HANDSHAKE_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];

export type ProtocolChoice = 'auto' | 'handshake' | 'stateless';

export interface IntrospectLimits {
  maxPages: number;
  maxItems: number;
  maxBytes: number;
  /** Deadline for the whole introspection. */
  timeoutMs: number;
  /** Deadline for one request. */
  requestTimeoutMs: number;
}

export const DEFAULT_INTROSPECT_LIMITS: IntrospectLimits = {
  maxPages: 500,
  maxItems: 10_000,
  maxBytes: 64 * 1024 * 1024,
  timeoutMs: 120_000,
  requestTimeoutMs: 30_000,
};

export interface ClientIdentity {
  name: string;
  version: string;
}

export interface IntrospectOptions {
  protocol?: ProtocolChoice;
  limits?: Partial<IntrospectLimits>;
  client: ClientIdentity;
  clock?: Clock;
}

export interface IntrospectResult {
  snapshot: SurfaceSnapshot;
  era: 'handshake' | 'stateless';
}

const systemClock: Clock = { now: () => Date.now() };

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** The `_meta` every 2026-07-28 request carries. */
export function statelessMeta(client: ClientIdentity): JsonObject {
  return {
    'io.modelcontextprotocol/protocolVersion': STATELESS_VERSION,
    'io.modelcontextprotocol/clientCapabilities': INTROSPECTION_CAPABILITIES,
    'io.modelcontextprotocol/clientInfo': { name: client.name, version: client.version },
  };
}

class Budget {
  private readonly deadline: number;
  private readonly limits: IntrospectLimits;
  private readonly clock: Clock;
  private readonly rpc: McpRpc;
  private readonly startBytes: number;

  constructor(rpc: McpRpc, limits: IntrospectLimits, clock: Clock) {
    this.rpc = rpc;
    this.limits = limits;
    this.clock = clock;
    this.deadline = clock.now() + limits.timeoutMs;
    this.startBytes = rpc.bytesReceived;
  }

  /** Time left for the next request, bounded by the per-request timeout. */
  requestTimeout(): number {
    const left = this.deadline - this.clock.now();
    if (left <= 0) {
      throw new McpLockError('TIMEOUT', `introspection took longer than ${this.limits.timeoutMs} ms`, {
        hint: 'The server is too slow or never finishes listing; raise --timeout if it is just slow.',
      });
    }
    return Math.min(left, this.limits.requestTimeoutMs);
  }

  checkBytes(): void {
    const used = this.rpc.bytesReceived - this.startBytes;
    if (used > this.limits.maxBytes) {
      throw new McpLockError(
        'LIMIT_EXCEEDED',
        `the server sent more than ${this.limits.maxBytes} bytes while listing`,
        {
          data: { maxBytes: this.limits.maxBytes },
        },
      );
    }
  }
}

/** Read every page of one list. */
export async function listAll(
  rpc: McpRpc,
  kind: SurfaceKind,
  budget: Budget,
  limits: IntrospectLimits,
  meta: JsonObject | undefined,
): Promise<JsonObject[]> {
  const { method, field } = LIST_METHOD[kind];
  const items: JsonObject[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > limits.maxPages) {
      throw new McpLockError('LIMIT_EXCEEDED', `${method} has more than ${limits.maxPages} pages`, {
        hint: 'The server keeps returning cursors; it is refused rather than followed forever.',
        data: { method, maxPages: limits.maxPages },
      });
    }
    const params: JsonObject = {};
    if (cursor !== undefined) params.cursor = cursor;
    if (meta) params._meta = meta;
    const result = await rpc.request(method, params, { timeoutMs: budget.requestTimeout() });
    budget.checkBytes();
    const list = result[field];
    if (!Array.isArray(list)) {
      throw new McpLockError('SERVER_PROTOCOL_ERROR', `${method} returned no "${field}" array`);
    }
    for (const item of list) {
      const obj = asObject(item);
      if (!obj) throw new McpLockError('SERVER_PROTOCOL_ERROR', `${method} returned an item that is not an object`);
      items.push(obj);
    }
    if (items.length > limits.maxItems) {
      throw new McpLockError('LIMIT_EXCEEDED', `${method} lists more than ${limits.maxItems} items`, {
        hint: 'If the server really lists that many, raise the cap: --max-items <n> (manifest, add --tofu, run).',
        data: { method, maxItems: limits.maxItems },
      });
    }
    const next = result.nextCursor;
    if (next === undefined || next === null || next === '') return items;
    if (typeof next !== 'string' || next.length > 4096) {
      throw new McpLockError('SERVER_PROTOCOL_ERROR', `${method} returned an invalid nextCursor`);
    }
    if (seenCursors.has(next)) {
      throw new McpLockError('LIMIT_EXCEEDED', `${method} returned the same cursor twice (a cursor loop)`, {
        data: { method },
      });
    }
    seenCursors.add(next);
    cursor = next;
  }
}

interface Opened {
  era: 'handshake' | 'stateless';
  protocolVersion: string;
  capabilities: JsonObject;
  instructions: string | null;
  serverInfo?: JsonObject;
}

async function discover(rpc: McpRpc, client: ClientIdentity, budget: Budget): Promise<Opened> {
  const result = await rpc.request(
    'server/discover',
    { _meta: statelessMeta(client) },
    { timeoutMs: budget.requestTimeout() },
  );
  const supported = Array.isArray(result.supportedVersions) ? result.supportedVersions : [];
  if (!supported.includes(STATELESS_VERSION)) {
    throw new McpLockError('SERVER_PROTOCOL_ERROR', `server/discover does not list ${STATELESS_VERSION} as supported`);
  }
  const meta = asObject(result._meta);
  const serverInfo = asObject(meta?.['io.modelcontextprotocol/serverInfo']);
  return {
    era: 'stateless',
    protocolVersion: STATELESS_VERSION,
    capabilities: asObject(result.capabilities) ?? {},
    instructions: parseInstructions(result.instructions),
    ...(serverInfo ? { serverInfo } : {}),
  };
}

async function initialize(rpc: McpRpc, client: ClientIdentity, budget: Budget): Promise<Opened> {
  const result = await rpc.request(
    'initialize',
    {
      protocolVersion: HANDSHAKE_VERSION,
      capabilities: INTROSPECTION_CAPABILITIES,
      clientInfo: { name: client.name, version: client.version },
    },
    { timeoutMs: budget.requestTimeout() },
  );
  const version = result.protocolVersion;
  if (typeof version !== 'string' || !HANDSHAKE_VERSIONS.includes(version)) {
    throw new McpLockError('SERVER_PROTOCOL_ERROR', `the server answered initialize with protocol ${String(version)}`, {
      hint: `mcp-lock speaks ${HANDSHAKE_VERSIONS.join(', ')} and ${STATELESS_VERSION}.`,
    });
  }
  await rpc.notify('notifications/initialized');
  const serverInfo = asObject(result.serverInfo);
  return {
    era: 'handshake',
    protocolVersion: version,
    capabilities: asObject(result.capabilities) ?? {},
    instructions: parseInstructions(result.instructions),
    ...(serverInfo ? { serverInfo } : {}),
  };
}

function parseInstructions(value: JsonValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new McpLockError('SERVER_PROTOCOL_ERROR', 'instructions is not a string');
  return value;
}

/**
 * The server does not speak the stateless revision: it answered server/discover with a JSON-RPC error
 * (method not found, not initialized), or over HTTP with 400/404/405 (handshake-era HTTP servers refuse
 * a request without a session that is not initialize). Timeouts and other failures are not this.
 */
function isUnsupported(error: unknown): boolean {
  if (!(error instanceof McpLockError) || error.code !== 'SERVER_PROTOCOL_ERROR') return false;
  const { rpcCode, httpStatus } = error.data ?? {};
  return typeof rpcCode === 'number' || httpStatus === 400 || httpStatus === 404 || httpStatus === 405;
}

export async function introspect(rpc: McpRpc, options: IntrospectOptions): Promise<IntrospectResult> {
  const limits = { ...DEFAULT_INTROSPECT_LIMITS, ...options.limits };
  const budget = new Budget(rpc, limits, options.clock ?? systemClock);
  const protocol = options.protocol ?? 'auto';
  let opened: Opened;
  if (protocol === 'stateless') opened = await discover(rpc, options.client, budget);
  else if (protocol === 'handshake') opened = await initialize(rpc, options.client, budget);
  else {
    try {
      opened = await discover(rpc, options.client, budget);
    } catch (error) {
      // A handshake-era server answers server/discover with a JSON-RPC error; anything else is a failure.
      if (!isUnsupported(error)) throw error;
      opened = await initialize(rpc, options.client, budget);
    }
  }
  const meta = opened.era === 'stateless' ? statelessMeta(options.client) : undefined;
  const lists: Record<SurfaceKind, JsonObject[]> = { tools: [], prompts: [], resources: [], resourceTemplates: [] };
  for (const kind of SURFACE_KINDS) {
    // A kind whose capability is absent is covered as empty: if it appears later, it is unpinned.
    if (!asObject(opened.capabilities[LIST_METHOD[kind].capability])) continue;
    try {
      lists[kind] = await listAll(rpc, kind, budget, limits, meta);
    } catch (error) {
      // Servers with resources but no templates may not implement resources/templates/list at all.
      const notFound = error instanceof McpLockError && error.data?.rpcCode === -32601;
      if (!(kind === 'resourceTemplates' && notFound)) throw error;
    }
  }
  return {
    era: opened.era,
    snapshot: {
      protocolVersion: opened.protocolVersion,
      instructions: opened.instructions,
      ...lists,
      ...(opened.serverInfo ? { serverInfo: opened.serverInfo } : {}),
      capabilities: opened.capabilities,
    },
  };
}
