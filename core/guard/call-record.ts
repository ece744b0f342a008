// The per-call audit record (issue #13 point 8): one `call` record for every tools/call, written when the
// call ends (answered, failed, timed out, cancelled, stopped) or when the guard refuses it. It says which
// tool, a digest of the arguments (never their values: they may hold secrets), the decision and why,
// how long the server took and how large the request and the answer were. `mcp-lock audit` summarises
// these. Pure: the clock is the caller's (GuardOptions.clock), and the record is plain data.

import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import type { AuditEvent } from './audit-event.ts';

/** What the guard remembers about a forwarded tools/call until it ends. */
export interface CallStart {
  tool: string;
  argumentsDigest: string | null;
  /** Bytes of the request line (the outbound payload). */
  requestBytes: number;
  /** The clock's reading when the call was forwarded, or null without a clock. */
  startedMs: number | null;
}

/** How a forwarded call ended. */
export type CallOutcome =
  | 'result'
  | 'tool-error'
  | 'error'
  | 'timeout'
  | 'cancelled'
  | 'stopped'
  | 'unreadable' // the answer was not strict JSON: refused
  | 'withheld'; // the policy kept the answer from the client (a secret in it, or outputSchema: enforce)

/**
 * `sha256:<hex>` of the RFC 8785 canonical JSON of the arguments (absent arguments hash as `{}`), so two
 * calls with the same arguments in any key order have the same digest. The arguments come from the
 * strict parser, so they are I-JSON already and are not checked again (canonicalDigest would): this runs
 * on every call. Null if they cannot be hashed.
 */
export function argumentsDigest(args: JsonValue | undefined): string | null {
  const key = typeof args === 'object' && args !== null ? args : null;
  if (key !== null && memo.has(key)) return memo.get(key)!;
  let digest: string | null = null;
  try {
    const text = canonicalize(args ?? {});
    if (typeof text === 'string') digest = `sha256:${hash('sha256', text, 'hex')}`;
  } catch {
    digest = null;
  }
  if (key !== null) memo.set(key, digest);
  return digest;
}

/**
 * The loop detector (call-safety.ts) and the call record both need the digest of the same arguments
 * object: it is computed once. Parsed messages are never mutated, so an object's digest cannot go stale.
 */
const memo = new WeakMap<object, string | null>();

export function startCall(
  tool: string,
  args: JsonValue | undefined,
  requestBytes: number,
  clock: (() => number) | null,
): CallStart {
  return { tool, argumentsDigest: argumentsDigest(args), requestBytes, startedMs: clock ? clock() : null };
}

/** The record of a forwarded call that ended. */
export function endedCallRecord(
  call: CallStart,
  outcome: CallOutcome,
  clock: (() => number) | null,
  resultBytes?: number,
): AuditEvent {
  const event: AuditEvent = {
    event: 'call',
    decision: outcome === 'unreadable' || outcome === 'withheld' ? 'blocked' : 'allowed',
    tool: call.tool,
    argumentsDigest: call.argumentsDigest,
    requestBytes: call.requestBytes,
    outcome,
  };
  if (clock && call.startedMs !== null) event.durationMs = Math.round((clock() - call.startedMs) * 1000) / 1000;
  if (resultBytes !== undefined) event.resultBytes = resultBytes;
  return event;
}

/** The record of a call the guard refused: nothing reached the server. */
export function refusedCallRecord(
  tool: string,
  args: JsonValue | undefined,
  requestBytes: number,
  code: string,
  reason: string,
): AuditEvent {
  return {
    event: 'call',
    decision: 'blocked',
    tool,
    argumentsDigest: argumentsDigest(args),
    requestBytes,
    code,
    reason,
  };
}

const encoder = new TextEncoder();

/** The UTF-8 size of a line (a line the guard rewrote is a string). */
export function lineBytes(line: string | Uint8Array): number {
  return typeof line === 'string' ? encoder.encode(line).byteLength : line.byteLength;
}

/** A tools/call result with `isError: true` is a tool-level failure, still an answer. */
export function resultOutcome(result: JsonValue): CallOutcome {
  return typeof result === 'object' && result !== null && (result as JsonObject).isError === true
    ? 'tool-error'
    : 'result';
}
