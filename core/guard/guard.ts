// The connect-time guard: a pure state machine between an MCP client and one pinned server. Every message
// from either side goes in as the raw line it arrived as; what comes out is a list of effects (forward
// this line, answer with that error, write an audit record, stop the server). It never touches a socket
// or a clock, so every decision is table-testable.
//
// What it enforces, in both protocol eras (initialize handshake; 2026-07-28 server/discover):
// - the instructions (initialize / server/discover result) match the pin;
// - every page of tools/list, prompts/list, resources/list and resources/templates/list holds only pinned,
//   unchanged items (unpinned, changed, duplicated or malformed items are never shown);
// - after every list-changed notification the guard lists again itself and verifies the result;
// - tools/call, prompts/get, resources/read and completion/complete name a pinned, undrifted item (or a
//   URI of a pinned resource template) — otherwise they are answered with an error and never forwarded;
// - lists are bounded: cursor loops, too many pages, items or bytes, and slow answers fail closed.
// On drift, block mode answers with an error naming the items and changed fields and stops the server;
// filter mode hides the drifted items for the rest of the session. Everything else passes untouched.

import type { ErrorCode } from '../errors.ts';
import { McpLockError } from '../errors.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../json/strict-json.ts';
import { checkInstructions, checkItem } from '../surface/compare.ts';
import { fieldDiff } from '../surface/field-diff.ts';
import { itemKey, LIST_METHOD, SURFACE_KINDS, type SurfaceKind } from '../surface/pin.ts';
import { visible } from '../text/hidden-chars.ts';
import type { AuditEvent } from './audit-event.ts';
import { describeProblem, type ItemProblem, problemData, problemDetails, summarizeProblems } from './drift-report.ts';
import {
  classifyMessage,
  errorResponse,
  GUARD_RPC_ERRORS,
  INVALID_REQUEST,
  idKey,
  looseId,
  PARSE_ERROR,
  type RpcId,
} from './json-rpc.ts';
import { isPinned, matchingTemplates, type PinnedSurface } from './pinned-surface.ts';
import { emptyShadowing, type ShadowingContext } from './shadowing.ts';

export type OnDrift = 'block' | 'filter';
export type RawLine = string | Uint8Array;

export interface GuardLimits {
  /** Pages one listing may have. */
  maxPages: number;
  /** Items one listing may have. */
  maxItems: number;
  /** Bytes one listing may have. */
  maxListBytes: number;
  /** How long initialize, server/discover and list requests may wait for the server. */
  requestTimeoutMs: number;
  /**
   * How long any other request (tools/call, …) may wait; progress notifications for it restart the clock.
   * subscriptions/listen is exempt: it is meant to stay open.
   */
  callTimeoutMs: number;
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = {
  maxPages: 500,
  maxItems: 10_000,
  maxListBytes: 64 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  callTimeoutMs: 600_000,
};

export interface GuardOptions {
  /** The pinned server's name (for messages). */
  server: string;
  surface: PinnedSurface;
  onDrift: OnDrift;
  shadowing?: ShadowingContext;
  limits?: Partial<GuardLimits>;
}

export type GuardEffect =
  /** Send to the server: the line as it came (or the guard's own request), and the parsed message. */
  | { type: 'server'; line: RawLine; message: JsonObject }
  /** Send to the client. */
  | { type: 'client'; line: RawLine }
  | { type: 'audit'; event: AuditEvent }
  /** A line for a human on stderr (already safe to print). */
  | { type: 'notice'; text: string }
  /** Stop the server; the session is over (the guard keeps answering the client with errors). */
  | { type: 'stop'; code: ErrorCode; reason: string }
  | { type: 'setTimer'; key: string; ms: number }
  | { type: 'clearTimer'; key: string };

type Origin = 'client' | 'guard';

interface Listing {
  kind: SurfaceKind;
  origin: Origin;
  pages: number;
  items: number;
  bytes: number;
  keys: Map<string, string>;
  cursors: Set<string>;
}

interface Pending {
  origin: Origin;
  id: RpcId;
  method: string;
  kind?: SurfaceKind;
  listing?: Listing;
  /** Deadline in ms, or 0 for none. */
  timeoutMs: number;
  progressToken?: string | number;
}

type Gate = { problem: ItemProblem } | { allowed: JsonObject };

interface StopState {
  code: ErrorCode;
  reason: string;
}

const LIST_KIND = new Map<string, SurfaceKind>(SURFACE_KINDS.map((k) => [LIST_METHOD[k].method, k]));

const LIST_CHANGED: Record<string, SurfaceKind[]> = {
  'notifications/tools/list_changed': ['tools'],
  'notifications/prompts/list_changed': ['prompts'],
  'notifications/resources/list_changed': ['resources', 'resourceTemplates'],
};

const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_KEYS = [META_VERSION, 'io.modelcontextprotocol/clientCapabilities', 'io.modelcontextprotocol/clientInfo'];
const MAX_LISTINGS = 256;
const MAX_CURSOR = 4096;
const OWN_ID_PREFIX = 'mcp-lock-guard-';

const decoder = new TextDecoder('utf-8', { fatal: false });

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineLength(line: RawLine): number {
  return typeof line === 'string' ? line.length : line.byteLength;
}

function isDrift(problem: ItemProblem): boolean {
  return problem.status !== 'shadowing' && problem.status !== 'previously-blocked';
}

/**
 * Drift that stops the server in block mode. A resource that was not pinned is only hidden: resource
 * lists are data that legitimately grows at run time (files, session artifacts), the new entries are never
 * shown, and reading them is refused unless a pinned resource template covers their URI.
 */
function isBlocking(problem: ItemProblem): boolean {
  return isDrift(problem) && !(problem.kind === 'resources' && problem.status === 'unpinned');
}

export class Guard {
  private readonly server: string;
  private readonly surface: PinnedSurface;
  private readonly onDrift: OnDrift;
  private readonly shadowing: ShadowingContext;
  private readonly limits: GuardLimits;
  private readonly pending = new Map<string, Pending>();
  private readonly listings = new Map<string, Listing>();
  /** Items hidden and refused for the rest of the session (filter mode). */
  private readonly blocked: Record<SurfaceKind, Map<string, ItemProblem>>;
  private readonly own: Record<SurfaceKind, { inFlight: boolean; again: boolean }>;
  private readonly dirty = new Set<SurfaceKind>();
  private readonly shadowReported = new Set<string>();
  private era: 'unknown' | 'handshake' | 'stateless' = 'unknown';
  private initialized = false;
  private meta: JsonObject | null = null;
  private ownSeq = 0;
  private stopState: StopState | null = null;
  private fx: GuardEffect[] = [];

  constructor(options: GuardOptions) {
    this.server = options.server;
    this.surface = options.surface;
    this.onDrift = options.onDrift;
    this.shadowing = options.shadowing ?? emptyShadowing();
    this.limits = { ...DEFAULT_GUARD_LIMITS, ...options.limits };
    this.blocked = { tools: new Map(), prompts: new Map(), resources: new Map(), resourceTemplates: new Map() };
    this.own = {
      tools: { inFlight: false, again: false },
      prompts: { inFlight: false, again: false },
      resources: { inFlight: false, again: false },
      resourceTemplates: { inFlight: false, again: false },
    };
  }

  /** Why the session was stopped, or null while it runs. */
  get stopped(): StopState | null {
    return this.stopState;
  }

  /** The pinned definition of a tool, for transports that mirror arguments into headers. */
  toolDefinition(name: string): JsonObject | undefined {
    return this.surface.definitions.tools.get(name);
  }

  // ───────────────────────────── client → server ─────────────────────────────

  fromClient(line: RawLine): GuardEffect[] {
    let value: JsonValue;
    try {
      value = parseStrictJson(line, 'client message', { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 100 });
    } catch (error) {
      const id = looseId(typeof line === 'string' ? line : decoder.decode(line));
      const reason = error instanceof McpLockError ? error.message : String(error);
      this.audit({ event: 'client-message', decision: 'blocked', reason });
      this.toClient(errorResponse(id, PARSE_ERROR, `mcp-lock could not read the message: ${reason}`));
      return this.take();
    }
    const msg = classifyMessage(value);
    switch (msg.type) {
      case 'invalid':
        this.audit({ event: 'client-message', decision: 'blocked', reason: msg.reason });
        if (msg.id !== null) this.toClient(errorResponse(msg.id, INVALID_REQUEST, `invalid request: ${msg.reason}`));
        break;
      case 'request':
        this.clientRequest(line, msg.id, msg.method, msg.params, msg.message);
        break;
      case 'notification':
        if (this.stopState) break;
        this.fx.push({ type: 'server', line, message: msg.message });
        this.learnMeta(msg.params);
        if (msg.method === 'notifications/initialized') {
          this.initialized = true;
          this.flushDirty();
        }
        if (msg.method === 'notifications/cancelled') this.cancelled(msg.params?.requestId);
        break;
      default:
        // A response to a server→client request (sampling, elicitation, roots): not the guard's business.
        if (!this.stopState) this.fx.push({ type: 'server', line, message: msg.message });
    }
    return this.take();
  }

  private clientRequest(
    line: RawLine,
    id: RpcId,
    method: string,
    params: JsonObject | undefined,
    message: JsonObject,
  ): void {
    if (this.stopState) {
      this.toClient(
        errorResponse(
          id,
          GUARD_RPC_ERRORS.stopped,
          `mcp-lock stopped ${visible(this.server)} earlier in this session: ${this.stopState.reason}`,
          { code: this.stopState.code, server: this.server },
        ),
      );
      return;
    }
    const key = idKey(id);
    if (this.pending.has(key)) {
      this.toClient(errorResponse(id, INVALID_REQUEST, 'a request with this id is still pending'));
      return;
    }
    const wasStateless = this.meta !== null;
    this.learnMeta(params);
    if (method === 'initialize') this.era = 'handshake';

    const kind = LIST_KIND.get(method);
    if (kind) {
      const cursor = typeof params?.cursor === 'string' ? params.cursor : undefined;
      const listing = this.listingFor(kind, 'client', cursor);
      this.track({ origin: 'client', id, method, kind, listing, timeoutMs: this.limits.requestTimeoutMs });
    } else if (method === 'initialize' || method === 'server/discover') {
      this.track({ origin: 'client', id, method, timeoutMs: this.limits.requestTimeoutMs });
    } else {
      const gate = this.gate(method, params);
      if (gate && 'problem' in gate) {
        this.refuse(id, method, gate.problem);
        return;
      }
      if (gate) this.audit({ event: 'request', decision: 'allowed', method, requestId: id, ...gate.allowed });
      const meta = isObject(params?._meta) ? params._meta : undefined;
      const token = meta?.progressToken;
      this.track({
        origin: 'client',
        id,
        method,
        timeoutMs: method === 'subscriptions/listen' ? 0 : this.limits.callTimeoutMs,
        ...(typeof token === 'string' || typeof token === 'number' ? { progressToken: token } : {}),
      });
    }
    this.fx.push({ type: 'server', line, message });
    if (!wasStateless && this.meta !== null) this.flushDirty();
  }

  /**
   * Check a request that uses one item by name or URI: the problem that refuses it, or what allows it
   * (for the audit log). Null for requests that name no item.
   */
  private gate(method: string, params: JsonObject | undefined): Gate | null {
    switch (method) {
      case 'tools/call':
        return this.gateNamed('tools', params?.name);
      case 'prompts/get':
        return this.gateNamed('prompts', params?.name);
      case 'resources/read':
        return this.gateUri(params?.uri);
      case 'completion/complete': {
        const ref = isObject(params?.ref) ? params.ref : undefined;
        if (ref?.type === 'ref/prompt') return this.gateNamed('prompts', ref.name);
        if (ref?.type === 'ref/resource') {
          const uri = ref.uri;
          if (typeof uri === 'string' && isPinned(this.surface, 'resourceTemplates', uri)) {
            const sticky = this.blocked.resourceTemplates.get(uri);
            if (sticky) return { problem: { ...sticky, status: 'previously-blocked' } };
            return { allowed: this.allowed('resourceTemplates', uri) };
          }
          return this.gateUri(uri);
        }
        return { problem: { kind: 'prompts', key: '(no reference)', status: 'malformed' } };
      }
      default:
        return null;
    }
  }

  private allowed(kind: SurfaceKind, key: string, via?: string): JsonObject {
    return { kind, key, digest: this.surface.pins[kind][key] ?? null, ...(via ? { via } : {}) };
  }

  private gateNamed(kind: 'tools' | 'prompts', name: JsonValue | undefined): Gate {
    if (typeof name !== 'string') return { problem: { kind, key: '(no name)', status: 'malformed' } };
    const sticky = this.blocked[kind].get(name);
    if (sticky) return { problem: { ...sticky, status: 'previously-blocked' } };
    if (!isPinned(this.surface, kind, name)) {
      const shadows = kind === 'tools' ? this.shadowing.otherTools.get(name) : undefined;
      return { problem: { kind, key: name, status: 'unpinned', ...(shadows ? { shadows } : {}) } };
    }
    const collides = kind === 'tools' ? this.shadowing.blocked.get(name) : undefined;
    if (collides) return { problem: { kind, key: name, status: 'shadowing', shadows: collides } };
    return { allowed: this.allowed(kind, name) };
  }

  private gateUri(uri: JsonValue | undefined): Gate {
    if (typeof uri !== 'string') return { problem: { kind: 'resources', key: '(no uri)', status: 'malformed' } };
    if (isPinned(this.surface, 'resources', uri)) {
      const sticky = this.blocked.resources.get(uri);
      if (sticky) return { problem: { ...sticky, status: 'previously-blocked' } };
      return { allowed: this.allowed('resources', uri) };
    }
    const templates = matchingTemplates(this.surface, uri).filter((t) => !this.blocked.resourceTemplates.has(t));
    if (templates.length > 0) {
      const template = templates[0]!;
      return { allowed: { ...this.allowed('resourceTemplates', template), key: uri, template } };
    }
    return { problem: { kind: 'resources', key: uri, status: 'unpinned' } };
  }

  private refuse(id: RpcId, method: string, problem: ItemProblem): void {
    const what =
      problem.kind === 'resources' && problem.status === 'unpinned'
        ? `resource "${visible(problem.key)}" is not pinned and matches no pinned resource template`
        : describeProblem(problem);
    const message = `mcp-lock refused ${method} on ${visible(this.server)}: ${what}`;
    this.audit({ event: 'request', decision: 'blocked', method, ...problemData(problem) });
    this.notice(`refused ${method}: ${what}`);
    this.toClient(
      errorResponse(id, GUARD_RPC_ERRORS.notPinned, message, {
        code: 'NOT_PINNED',
        server: this.server,
        items: [problemData(problem)],
      }),
    );
  }

  /** The 2026-07-28 request metadata, kept so the guard's own requests carry the client's. */
  private learnMeta(params: JsonObject | undefined): void {
    const meta = isObject(params?._meta) ? params._meta : undefined;
    if (!meta || typeof meta[META_VERSION] !== 'string') return;
    const kept: JsonObject = {};
    for (const k of META_KEYS) if (meta[k] !== undefined) kept[k] = meta[k]!;
    this.meta = kept;
    this.era = 'stateless';
  }

  // ───────────────────────────── server → client ─────────────────────────────

  fromServer(line: RawLine): GuardEffect[] {
    if (this.stopState) return [];
    let value: JsonValue;
    try {
      value = parseStrictJson(line, 'server message', { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 100 });
    } catch (error) {
      this.unreadable(line, error);
      return this.take();
    }
    const msg = classifyMessage(value);
    switch (msg.type) {
      case 'invalid':
        this.audit({ event: 'server-message', decision: 'dropped', reason: msg.reason });
        this.notice(`dropped a message from the server: ${msg.reason}`);
        break;
      case 'request':
        // Sampling, elicitation, roots, ping: the client decides.
        this.toClient(line);
        break;
      case 'notification': {
        this.toClient(line);
        const kinds = LIST_CHANGED[msg.method];
        if (kinds) for (const kind of kinds) this.reverify(kind);
        if (msg.method === 'notifications/progress') this.progress(msg.params?.progressToken);
        break;
      }
      case 'result':
      case 'error': {
        const p = msg.id === null ? undefined : this.pending.get(idKey(msg.id));
        if (!p) {
          this.audit({
            event: 'server-message',
            decision: 'dropped',
            reason: 'a response to no pending request',
            requestId: msg.id,
          });
          break;
        }
        this.untrack(p);
        if (msg.type === 'error') this.errorAnswer(p, line, msg.message);
        else this.resultAnswer(p, line, msg.result);
      }
    }
    return this.take();
  }

  /** A line that is not strict JSON: never forwarded; the request it answers (if any) gets an error. */
  private unreadable(line: RawLine, error: unknown): void {
    const reason = error instanceof McpLockError ? error.message : String(error);
    const id = looseId(typeof line === 'string' ? line : decoder.decode(line));
    const p = id === null ? undefined : this.pending.get(idKey(id));
    if (!p) {
      this.audit({ event: 'server-message', decision: 'dropped', reason });
      this.notice(`dropped an unreadable message from the server: ${visible(reason)}`);
      return;
    }
    this.untrack(p);
    if (p.kind || p.method === 'initialize' || p.method === 'server/discover') {
      this.failClosed(p, 'protocol', `the answer to ${p.method} is not strict JSON (${reason})`);
      return;
    }
    this.audit({ event: 'response', decision: 'blocked', method: p.method, requestId: p.id, reason });
    this.notice(`refused the server's answer to ${p.method}: ${visible(reason)}`);
    if (p.origin === 'client') {
      this.toClient(
        errorResponse(
          p.id,
          GUARD_RPC_ERRORS.protocol,
          `mcp-lock refused the answer of ${visible(this.server)} to ${p.method}: ${reason}`,
          { code: 'SERVER_PROTOCOL_ERROR', server: this.server },
        ),
      );
    }
  }

  private errorAnswer(p: Pending, line: RawLine, message: JsonObject): void {
    if (p.origin === 'client') {
      this.toClient(line);
      return;
    }
    if (!p.kind) return;
    const code = isObject(message.error) ? message.error.code : undefined;
    // A server with resources but no templates may not implement resources/templates/list: nothing to verify.
    if (p.kind === 'resourceTemplates' && code === -32601) this.ownDone(p.kind, 'verified', { items: 0 });
    else
      this.ownDone(p.kind, 'failed', { reason: `the server answered the re-verification with error ${String(code)}` });
  }

  private resultAnswer(p: Pending, line: RawLine, result: JsonValue): void {
    if (p.kind && p.listing) {
      this.listPage(p, p.kind, p.listing, line, result);
      return;
    }
    if (p.method === 'initialize' || p.method === 'server/discover') {
      this.instructionsAnswer(p, line, result);
      return;
    }
    if (p.origin === 'client') this.toClient(line);
  }

  // ───────────────────────────── instructions ─────────────────────────────

  private instructionsAnswer(p: Pending, line: RawLine, result: JsonValue): void {
    if (!isObject(result)) {
      this.toClient(line);
      return;
    }
    const text = result.instructions;
    const expected = this.surface.pins.instructions;
    let problem: ItemProblem | null = null;
    if (text !== undefined && text !== null && typeof text !== 'string') {
      problem = { kind: 'instructions', key: 'instructions', status: 'malformed', expected };
    } else {
      const verdict = checkInstructions(this.surface.pins, typeof text === 'string' ? text : null);
      if (verdict.status === 'changed') {
        problem = {
          kind: 'instructions',
          key: 'instructions',
          status: 'changed',
          expected: verdict.expected,
          found: verdict.found,
          changes: fieldDiff(this.surface.instructions ?? undefined, typeof text === 'string' ? text : undefined),
        };
      }
    }
    if (!problem) {
      this.audit({ event: 'instructions', decision: 'verified', method: p.method, digest: expected });
      this.toClient(line);
      return;
    }
    if (this.onDrift === 'block') {
      this.reportProblems('blocked', p.method, [problem]);
      this.block(p, [problem]);
      return;
    }
    this.reportProblems('filtered', p.method, [problem]);
    const rest: JsonObject = { ...result };
    delete rest.instructions;
    this.toClient(JSON.stringify({ jsonrpc: '2.0', id: p.id, result: rest }));
  }

  // ───────────────────────────── lists ─────────────────────────────

  private listingFor(kind: SurfaceKind, origin: Origin, cursor: string | undefined): Listing {
    if (cursor !== undefined) {
      const mapKey = `${origin}\u0000${kind}\u0000${cursor}`;
      const existing = this.listings.get(mapKey);
      if (existing) {
        this.listings.delete(mapKey);
        return existing;
      }
    }
    const listing: Listing = { kind, origin, pages: 0, items: 0, bytes: 0, keys: new Map(), cursors: new Set() };
    if (cursor !== undefined) listing.cursors.add(cursor);
    return listing;
  }

  private continueListing(listing: Listing, cursor: string): void {
    this.listings.set(`${listing.origin}\u0000${listing.kind}\u0000${cursor}`, listing);
    if (this.listings.size > MAX_LISTINGS) {
      const oldest = this.listings.keys().next().value;
      if (oldest !== undefined) this.listings.delete(oldest);
    }
  }

  private listPage(p: Pending, kind: SurfaceKind, listing: Listing, line: RawLine, result: JsonValue): void {
    const { method, field } = LIST_METHOD[kind];
    if (!isObject(result)) {
      this.failClosed(p, 'protocol', `${method} returned no result object`);
      return;
    }
    const items = result[field];
    if (items === undefined && result.resultType === 'input_required') {
      // 2026-07-28 multi round-trip: the server asks the client for input before it lists anything.
      if (p.origin === 'client') this.toClient(line);
      else this.ownDone(kind, 'failed', { reason: 'the server asked for input' });
      return;
    }
    if (!Array.isArray(items)) {
      this.failClosed(p, 'protocol', `${method} returned no "${field}" array`);
      return;
    }
    listing.pages += 1;
    listing.items += items.length;
    listing.bytes += lineLength(line);
    if (listing.pages > this.limits.maxPages) {
      this.failClosed(p, 'limit', `${method} has more than ${this.limits.maxPages} pages`);
      return;
    }
    if (listing.items > this.limits.maxItems) {
      this.failClosed(p, 'limit', `${method} lists more than ${this.limits.maxItems} items`);
      return;
    }
    if (listing.bytes > this.limits.maxListBytes) {
      this.failClosed(p, 'limit', `${method} sent more than ${this.limits.maxListBytes} bytes`);
      return;
    }
    const next = result.nextCursor;
    let nextCursor: string | null = null;
    if (next !== undefined && next !== null && next !== '') {
      if (typeof next !== 'string' || next.length > MAX_CURSOR) {
        this.failClosed(p, 'protocol', `${method} returned an invalid nextCursor`);
        return;
      }
      if (listing.cursors.has(next)) {
        this.failClosed(p, 'limit', `${method} returned the same cursor twice (a cursor loop)`);
        return;
      }
      listing.cursors.add(next);
      nextCursor = next;
    }

    const kept: JsonValue[] = [];
    const problems: ItemProblem[] = [];
    for (const item of items) {
      const problem = this.checkListed(kind, item, listing);
      if (problem) problems.push(problem);
      else kept.push(item);
    }
    const drift = problems.filter(isBlocking);
    if (drift.length > 0 && this.onDrift === 'block') {
      this.reportProblems('blocked', method, drift);
      this.block(p, drift);
      return;
    }
    // Filter: hide them, and keep drifted keys hidden and refused for the rest of the session. A verbatim
    // duplicate of a pinned item is only dropped; a differing one makes the key ambiguous, so it is refused.
    for (const pr of problems) {
      if (!isDrift(pr) || (pr.status === 'duplicate' && pr.expected === pr.found)) continue;
      this.blocked[kind].set(pr.key, pr);
    }
    const fresh = problems.filter((pr) => {
      if (pr.status === 'previously-blocked') return false;
      if (pr.status !== 'shadowing') return true;
      if (this.shadowReported.has(pr.key)) return false;
      this.shadowReported.add(pr.key);
      return true;
    });
    this.reportProblems('filtered', method, fresh);
    this.audit({
      event: 'list',
      decision: problems.length > 0 ? 'filtered' : 'verified',
      method,
      origin: p.origin,
      page: listing.pages,
      items: items.length,
      shown: kept.length,
      ...(nextCursor !== null ? { nextCursor } : {}),
    });
    if (nextCursor !== null) this.continueListing(listing, nextCursor);

    if (p.origin === 'client') {
      if (problems.length === 0) this.toClient(line);
      else this.toClient(JSON.stringify({ jsonrpc: '2.0', id: p.id, result: { ...result, [field]: kept } }));
      return;
    }
    if (nextCursor !== null) this.sendOwnList(kind, listing, nextCursor);
    else this.ownDone(kind, 'verified', { items: listing.items });
  }

  /** The problem with one listed item, or null when it is pinned, unchanged and allowed. */
  private checkListed(kind: SurfaceKind, item: JsonValue, listing: Listing): ItemProblem | null {
    if (!isObject(item)) return { kind, key: '(not an object)', status: 'malformed' };
    let key: string;
    try {
      key = itemKey(kind, item);
    } catch {
      return { kind, key: '(no key)', status: 'malformed' };
    }
    let verdict: ReturnType<typeof checkItem>;
    try {
      verdict = checkItem(this.surface.pins, kind, item);
    } catch {
      return { kind, key, status: 'malformed' };
    }
    const shadows = kind === 'tools' ? this.shadowing.otherTools.get(key) : undefined;
    const extra = shadows ? { shadows } : {};
    const firstDigest = listing.keys.get(key);
    if (firstDigest !== undefined) {
      return { kind, key, status: 'duplicate', expected: firstDigest, found: verdict.found, ...extra };
    }
    listing.keys.set(key, verdict.found);
    if (verdict.status === 'changed') {
      const changes = fieldDiff(this.surface.definitions[kind].get(key), item);
      return { kind, key, status: 'changed', expected: verdict.expected, found: verdict.found, changes, ...extra };
    }
    if (verdict.status === 'unpinned') return { kind, key, status: 'unpinned', found: verdict.found, ...extra };
    if (this.blocked[kind].has(key)) {
      return { kind, key, status: 'previously-blocked', expected: verdict.expected, found: verdict.found };
    }
    if (kind === 'tools') {
      const collides = this.shadowing.blocked.get(key);
      if (collides) return { kind, key, status: 'shadowing', shadows: collides };
    }
    return null;
  }

  // ───────────────────────────── the guard's own re-verification ─────────────────────────────

  private canSendOwn(): boolean {
    return (this.era === 'handshake' && this.initialized) || (this.era === 'stateless' && this.meta !== null);
  }

  private flushDirty(): void {
    if (!this.canSendOwn()) return;
    for (const kind of [...this.dirty]) this.reverify(kind);
  }

  /** After a list-changed notification: list the kind again and verify it, whether or not the client does. */
  private reverify(kind: SurfaceKind): void {
    if (this.stopState) return;
    const state = this.own[kind];
    if (state.inFlight) {
      state.again = true;
      return;
    }
    if (!this.canSendOwn()) {
      this.dirty.add(kind);
      return;
    }
    this.dirty.delete(kind);
    state.inFlight = true;
    this.sendOwnList(kind, this.listingFor(kind, 'guard', undefined), undefined);
  }

  private sendOwnList(kind: SurfaceKind, listing: Listing, cursor: string | undefined): void {
    let id = `${OWN_ID_PREFIX}${++this.ownSeq}`;
    while (this.pending.has(idKey(id))) id = `${OWN_ID_PREFIX}${++this.ownSeq}`;
    const params: JsonObject = {};
    if (cursor !== undefined) params.cursor = cursor;
    if (this.era === 'stateless' && this.meta) params._meta = this.meta;
    const method = LIST_METHOD[kind].method;
    const message: JsonObject = { jsonrpc: '2.0', id, method, params };
    this.track({ origin: 'guard', id, method, kind, listing, timeoutMs: this.limits.requestTimeoutMs });
    this.fx.push({ type: 'server', line: JSON.stringify(message), message });
  }

  private ownDone(kind: SurfaceKind, decision: 'verified' | 'failed', detail: JsonObject): void {
    const state = this.own[kind];
    state.inFlight = false;
    this.audit({ event: 'reverify', decision, kind, ...detail });
    if (decision === 'failed') this.notice(`could not re-verify ${kind}: ${String(detail.reason ?? 'no answer')}`);
    if (state.again && !this.stopState) {
      state.again = false;
      this.reverify(kind);
    }
  }

  // ───────────────────────────── timers and failures ─────────────────────────────

  /** A timer set with setTimer fired. */
  timeout(key: string): GuardEffect[] {
    const p = this.pending.get(key.startsWith('req:') ? key.slice(4) : key);
    if (!p || this.stopState) return this.take();
    this.pending.delete(idKey(p.id));
    const reason = `the server did not answer ${p.method} within ${p.timeoutMs} ms`;
    this.audit({ event: 'timeout', decision: 'blocked', method: p.method, requestId: p.id, reason });
    this.notice(reason);
    if (p.origin === 'client') {
      this.toClient(
        errorResponse(p.id, GUARD_RPC_ERRORS.timeout, `mcp-lock: ${reason}`, { code: 'TIMEOUT', server: this.server }),
      );
      if (p.method !== 'initialize') {
        // Tell the server its answer is no longer wanted, so it can stop the work.
        const cancel: JsonObject = {
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: p.id, reason: `mcp-lock: no answer within ${p.timeoutMs} ms` },
        };
        this.fx.push({ type: 'server', line: JSON.stringify(cancel), message: cancel });
      }
    } else if (p.kind) {
      this.ownDone(p.kind, 'failed', { reason });
    }
    return this.take();
  }

  /** The client gave up on a request: stop waiting for it (a late answer is dropped, not forwarded). */
  private cancelled(requestId: JsonValue | undefined): void {
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
    const p = this.pending.get(idKey(requestId));
    if (p?.origin === 'client') this.untrack(p);
  }

  /** Progress on a long request restarts its deadline. */
  private progress(token: JsonValue | undefined): void {
    if (typeof token !== 'string' && typeof token !== 'number') return;
    for (const p of this.pending.values()) {
      if (p.origin === 'client' && p.progressToken === token && p.timeoutMs > 0) {
        this.fx.push({ type: 'setTimer', key: `req:${idKey(p.id)}`, ms: p.timeoutMs });
        return;
      }
    }
  }

  /** The server is gone (it exited, the connection broke, or it sent an oversized message). */
  serverFailed(code: ErrorCode, reason: string): GuardEffect[] {
    if (!this.stopState) {
      this.audit({ event: 'server-exit', decision: 'stopped', code, reason });
      this.notice(reason);
      this.stop(code, reason);
    }
    return this.take();
  }

  /** A list or handshake answer that breaks a bound or the protocol: refused, and the session ends. */
  private failClosed(p: Pending, kind: 'limit' | 'protocol', reason: string): void {
    const code: ErrorCode = kind === 'limit' ? 'LIMIT_EXCEEDED' : 'SERVER_PROTOCOL_ERROR';
    this.audit({ event: kind, decision: 'blocked', method: p.method, origin: p.origin, reason });
    this.notice(`BLOCKED ${p.method}: ${visible(reason)}; stopping the server`);
    if (p.origin === 'client') {
      this.toClient(
        errorResponse(
          p.id,
          GUARD_RPC_ERRORS[kind],
          `mcp-lock blocked ${visible(this.server)}: ${visible(reason)}. The server was stopped.`,
          { code, server: this.server },
        ),
      );
    }
    this.stop(code, reason);
  }

  private block(p: Pending, problems: ItemProblem[]): void {
    const summary = summarizeProblems(problems);
    if (p.origin === 'client') {
      this.toClient(
        errorResponse(
          p.id,
          GUARD_RPC_ERRORS.drift,
          `mcp-lock blocked ${visible(this.server)}: ${summary}. The server was stopped.`,
          { code: 'DRIFT_DETECTED', server: this.server, items: problems.slice(0, 20).map(problemData) },
        ),
      );
    }
    this.stop('DRIFT_DETECTED', summary);
  }

  private stop(code: ErrorCode, reason: string): void {
    if (this.stopState) return;
    this.stopState = { code, reason };
    const message = `mcp-lock stopped ${visible(this.server)}: ${reason}`;
    for (const p of this.pending.values()) {
      if (p.timeoutMs > 0) this.fx.push({ type: 'clearTimer', key: `req:${idKey(p.id)}` });
      if (p.origin === 'client') {
        this.toClient(errorResponse(p.id, GUARD_RPC_ERRORS.stopped, message, { code, server: this.server }));
      }
    }
    this.pending.clear();
    this.audit({ event: 'stop', decision: 'stopped', code, reason });
    this.fx.push({ type: 'stop', code, reason });
  }

  // ───────────────────────────── helpers ─────────────────────────────

  private reportProblems(decision: 'blocked' | 'filtered', method: string, problems: ItemProblem[]): void {
    for (const problem of problems) {
      this.audit({ event: 'item', decision, method, ...problemData(problem) });
      const verb = decision === 'blocked' ? 'BLOCKED' : problem.status === 'shadowing' ? 'HIDDEN' : 'FILTERED';
      const details = problemDetails(problem).map((d) => `\n    ${d}`);
      this.notice(`${verb} ${describeProblem(problem)}${details.join('')}`);
    }
  }

  private track(p: Pending): void {
    this.pending.set(idKey(p.id), p);
    if (p.timeoutMs > 0) this.fx.push({ type: 'setTimer', key: `req:${idKey(p.id)}`, ms: p.timeoutMs });
  }

  private untrack(p: Pending): void {
    this.pending.delete(idKey(p.id));
    if (p.timeoutMs > 0) this.fx.push({ type: 'clearTimer', key: `req:${idKey(p.id)}` });
  }

  private toClient(line: RawLine): void {
    this.fx.push({ type: 'client', line });
  }

  private audit(event: AuditEvent): void {
    this.fx.push({ type: 'audit', event });
  }

  private notice(text: string): void {
    this.fx.push({ type: 'notice', text: `${visible(this.server)}: ${text}` });
  }

  private take(): GuardEffect[] {
    const out = this.fx;
    this.fx = [];
    return out;
  }
}
