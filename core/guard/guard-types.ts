// The guard's contract with the proxy that runs it: its options and limits, and the effects it returns
// (forward, answer, audit, notice, stop, timers). The proxy in adapters/proxy carries the effects out.

import type { ErrorCode } from '../errors.ts';
import type { JsonObject } from '../json/strict-json.ts';
import type { ServerPolicy } from '../policy/resolve-policy.ts';
import type { PathResolver } from '../ports.ts';
import type { SurfaceKind } from '../surface/pin.ts';
import type { AuditEvent } from './audit-event.ts';
import type { ItemProblem } from './drift-report.ts';
import type { PinnedSurface } from './pinned-surface.ts';
import type { SecretScanBounds } from './secret-scan.ts';
import type { ShadowingContext } from './shadowing.ts';

export type OnDrift = 'block' | 'filter';
export type RawLine = string | Uint8Array;

/** The largest single message (one line) the guard reads from either side, unless configured otherwise. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface GuardLimits {
  /** Bytes one message (one line) from the client or the server may have; a longer one ends the session. */
  maxMessageBytes: number;
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
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
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
  /**
   * The runtime policy (mcp-lock.policy.json) resolved for this server; per-tool policies come from
   * `policy.forTool(name)`. Absent: the built-in defaults.
   */
  policy?: ServerPolicy;
  /**
   * How the policy's path allow-lists see the filesystem (symlinks, the server's working directory).
   * Absent: lexical only (no symlinks resolved, relative paths refused), as for a remote server.
   */
  paths?: PathResolver;
  /** The clock of the call limits (ms); Date.now when absent. Tests inject one. */
  now?: () => number;
  /** Bounds of the secret scan of one message. */
  secretScan?: Partial<SecretScanBounds>;
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

export interface StopState {
  code: ErrorCode;
  reason: string;
}

/** Items hidden and refused for the rest of the session (filter mode), by kind and key. */
export type BlockedItems = Record<SurfaceKind, Map<string, ItemProblem>>;

export function emptyBlockedItems(): BlockedItems {
  return { tools: new Map(), prompts: new Map(), resources: new Map(), resourceTemplates: new Map() };
}

export function lineLength(line: RawLine): number {
  return typeof line === 'string' ? line.length : line.byteLength;
}
