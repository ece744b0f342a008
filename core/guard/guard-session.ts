// The state of one guarded session and the moves every part of the guard shares: the effect queue, the
// requests waiting for an answer (with their deadlines), the guard's own re-verification after a
// list-changed notification, and how the session fails closed (refuse, block, stop). The message handlers
// in client-messages.ts and server-messages.ts decide; this carries their decisions into effects.

import type { ErrorCode } from '../errors.ts';
import type { JsonObject } from '../json/strict-json.ts';
import { LEXICAL_PATHS } from '../policy/argument-policy.ts';
import { defaultServerPolicy, type ServerPolicy } from '../policy/resolve-policy.ts';
import type { PathResolver } from '../ports.ts';
import { LIST_METHOD, type SurfaceKind } from '../surface/pin.ts';
import { visible } from '../text/hidden-chars.ts';
import { ArgumentChecker } from './argument-check.ts';
import type { AuditEvent } from './audit-event.ts';
import type { GateContext } from './call-gate.ts';
import { CallSafety } from './call-safety.ts';
import { describeProblem, type ItemProblem, problemData, problemDetails, summarizeProblems } from './drift-report.ts';
import {
  type BlockedItems,
  DEFAULT_GUARD_LIMITS,
  emptyBlockedItems,
  type GuardEffect,
  type GuardLimits,
  type GuardOptions,
  type OnDrift,
  type RawLine,
  type StopState,
} from './guard-types.ts';
import { errorResponse, GUARD_RPC_ERRORS, idKey, type RpcId } from './json-rpc.ts';
import { type Listing, Listings, type Origin } from './list-verification.ts';
import { OutputChecker } from './output-check.ts';
import type { PinnedSurface } from './pinned-surface.ts';
import { emptyShadowing, type ShadowingContext } from './shadowing.ts';

/** A request sent to the server (by the client or by the guard itself) that waits for its answer. */
export interface Pending {
  origin: Origin;
  id: RpcId;
  method: string;
  kind?: SurfaceKind;
  listing?: Listing;
  /** Deadline in ms, or 0 for none. */
  timeoutMs: number;
  progressToken?: string | number;
  /** The tool of a tools/call (its result is checked under that tool's policy). */
  tool?: string;
}

const OWN_ID_PREFIX = 'mcp-lock-guard-';
/** Problems of one decision printed in full on stderr; the rest are counted (the audit log has them all). */
const MAX_NOTICED_PROBLEMS = 10;
const MAX_NOTICED_PER_SESSION = 100;

export class GuardSession {
  readonly server: string;
  readonly surface: PinnedSurface;
  readonly onDrift: OnDrift;
  readonly shadowing: ShadowingContext;
  readonly limits: GuardLimits;
  /** The runtime policy of this server (per tool: policy.forTool(name)). */
  readonly policy: ServerPolicy;
  /** The filesystem as the policy's path allow-lists see it. */
  readonly paths: PathResolver;
  readonly pending = new Map<string, Pending>();
  readonly listings = new Listings();
  /** Items hidden and refused for the rest of the session (filter mode). */
  readonly blocked: BlockedItems = emptyBlockedItems();
  /** Shadowing findings already reported once (filter mode reports each once). */
  readonly shadowReported = new Set<string>();
  /** tools/call arguments against the pinned inputSchemas. */
  readonly arguments: ArgumentChecker;
  /** tools/call structuredContent against the pinned outputSchemas. */
  readonly outputs: OutputChecker;
  /** Secrets in flight and call limits (call-safety.ts). */
  readonly safety: CallSafety;
  era: 'unknown' | 'handshake' | 'stateless' = 'unknown';
  initialized = false;
  /** The 2026-07-28 request metadata the client sent, repeated on the guard's own requests. */
  meta: JsonObject | null = null;
  stopState: StopState | null = null;
  private readonly own: Record<SurfaceKind, { inFlight: boolean; again: boolean }>;
  private readonly dirty = new Set<SurfaceKind>();
  private ownSeq = 0;
  /** Problems printed in full so far, and whether stderr has been told that the rest are audit-only. */
  private noticedProblems = 0;
  private quietAboutProblems = false;
  private fx: GuardEffect[] = [];

  constructor(options: GuardOptions) {
    this.server = options.server;
    this.surface = options.surface;
    this.onDrift = options.onDrift;
    this.shadowing = options.shadowing ?? emptyShadowing();
    this.limits = { ...DEFAULT_GUARD_LIMITS, ...options.limits };
    this.policy = options.policy ?? defaultServerPolicy(this.server);
    this.paths = options.paths ?? LEXICAL_PATHS;
    this.arguments = new ArgumentChecker(this.surface.definitions.tools);
    this.outputs = new OutputChecker(this.surface.definitions.tools);
    this.safety = new CallSafety(this.policy, options.now ?? Date.now, options.secretScan);
    this.own = {
      tools: { inFlight: false, again: false },
      prompts: { inFlight: false, again: false },
      resources: { inFlight: false, again: false },
      resourceTemplates: { inFlight: false, again: false },
    };
  }

  /** What the call gate and the list verification check items against. */
  get items(): GateContext {
    return { surface: this.surface, shadowing: this.shadowing, blocked: this.blocked };
  }

  // ───────────────────────────── effects ─────────────────────────────

  toClient(line: RawLine): void {
    this.fx.push({ type: 'client', line });
  }

  toServer(line: RawLine, message: JsonObject): void {
    this.fx.push({ type: 'server', line, message });
  }

  audit(event: AuditEvent): void {
    this.fx.push({ type: 'audit', event });
  }

  notice(text: string): void {
    this.fx.push({ type: 'notice', text: `${visible(this.server)}: ${text}` });
  }

  setTimer(key: string, ms: number): void {
    this.fx.push({ type: 'setTimer', key, ms });
  }

  /** The effects decided since the last call. */
  take(): GuardEffect[] {
    const out = this.fx;
    this.fx = [];
    return out;
  }

  // ───────────────────────────── pending requests ─────────────────────────────

  track(p: Pending): void {
    this.pending.set(idKey(p.id), p);
    if (p.timeoutMs > 0) this.setTimer(`req:${idKey(p.id)}`, p.timeoutMs);
  }

  untrack(p: Pending): void {
    this.pending.delete(idKey(p.id));
    if (p.timeoutMs > 0) this.fx.push({ type: 'clearTimer', key: `req:${idKey(p.id)}` });
  }

  // ───────────────────────────── the guard's own re-verification ─────────────────────────────

  private canSendOwn(): boolean {
    return (this.era === 'handshake' && this.initialized) || (this.era === 'stateless' && this.meta !== null);
  }

  /** Start the re-verifications that waited for the handshake to finish. */
  flushDirty(): void {
    if (!this.canSendOwn()) return;
    for (const kind of [...this.dirty]) this.reverify(kind);
  }

  /** After a list-changed notification: list the kind again and verify it, whether or not the client does. */
  reverify(kind: SurfaceKind): void {
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
    this.sendOwnList(kind, this.listings.forRequest(kind, 'guard', undefined), undefined);
  }

  sendOwnList(kind: SurfaceKind, listing: Listing, cursor: string | undefined): void {
    let id = `${OWN_ID_PREFIX}${++this.ownSeq}`;
    while (this.pending.has(idKey(id))) id = `${OWN_ID_PREFIX}${++this.ownSeq}`;
    const params: JsonObject = {};
    if (cursor !== undefined) params.cursor = cursor;
    if (this.era === 'stateless' && this.meta) params._meta = this.meta;
    const method = LIST_METHOD[kind].method;
    const message: JsonObject = { jsonrpc: '2.0', id, method, params };
    this.track({ origin: 'guard', id, method, kind, listing, timeoutMs: this.limits.requestTimeoutMs });
    this.toServer(JSON.stringify(message), message);
  }

  ownDone(kind: SurfaceKind, decision: 'verified' | 'failed', detail: JsonObject): void {
    const state = this.own[kind];
    state.inFlight = false;
    this.audit({ event: 'reverify', decision, kind, ...detail });
    if (decision === 'failed') this.notice(`could not re-verify ${kind}: ${String(detail.reason ?? 'no answer')}`);
    if (state.again && !this.stopState) {
      state.again = false;
      this.reverify(kind);
    }
  }

  // ───────────────────────────── failing closed ─────────────────────────────

  /**
   * Every problem goes to the audit log; stderr gets the first few in full, then one line with the count,
   * so a flood of thousands of drifted items stays readable.
   */
  reportProblems(decision: 'blocked' | 'filtered', method: string, problems: ItemProblem[]): void {
    let shown = 0;
    for (const problem of problems) {
      this.audit({ event: 'item', decision, method, ...problemData(problem) });
      if (shown >= MAX_NOTICED_PROBLEMS || this.noticedProblems >= MAX_NOTICED_PER_SESSION) continue;
      shown += 1;
      this.noticedProblems += 1;
      const verb = decision === 'blocked' ? 'BLOCKED' : problem.status === 'shadowing' ? 'HIDDEN' : 'FILTERED';
      const details = problemDetails(problem).map((d) => `\n    ${d}`);
      this.notice(`${verb} ${describeProblem(problem)}${details.join('')}`);
    }
    const more = problems.length - shown;
    if (more === 0 || this.quietAboutProblems) return;
    if (this.noticedProblems >= MAX_NOTICED_PER_SESSION) {
      this.quietAboutProblems = true;
      this.notice(`… and ${more} more items ${decision} in ${method}; from now on drift is only in the audit log`);
    } else {
      this.notice(`… and ${more} more items ${decision} in ${method} (every one is in the audit log)`);
    }
  }

  /** A list or handshake answer that breaks a bound or the protocol: refused, and the session ends. */
  failClosed(p: Pending, kind: 'limit' | 'protocol', reason: string): void {
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

  /**
   * A message longer than the limit, from either side: never parsed or forwarded, and the session ends
   * (a peer that sends one is broken or hostile; the stream cannot be trusted to resynchronise).
   */
  messageTooLarge(side: 'client' | 'server', reason: string): void {
    this.audit({ event: `${side}-message`, decision: 'blocked', code: 'LIMIT_EXCEEDED', reason });
    this.notice(`BLOCKED a message from the ${side}: ${visible(reason)}; stopping the server`);
    if (side === 'client') {
      this.toClient(
        errorResponse(
          null,
          GUARD_RPC_ERRORS.limit,
          `mcp-lock refused a message: ${visible(reason)}. The server was stopped.`,
          {
            code: 'LIMIT_EXCEEDED',
            server: this.server,
            maxMessageBytes: this.limits.maxMessageBytes,
          },
        ),
      );
    }
    this.stop('LIMIT_EXCEEDED', reason);
  }

  /** Drift in block mode: the request that showed it gets an error naming the items, and the session ends. */
  block(p: Pending, problems: ItemProblem[]): void {
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

  stop(code: ErrorCode, reason: string): void {
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
}
