// The state of a session's human controls: the confirmation settings per tool, whether the client can be
// asked (form elicitation declared in initialize), the calls held until a person answers, and the pause.
// The guard's own requests to the client use ids under RESERVED_ID_PREFIX, a namespace the server may not
// use (a server request with such an id is refused), so a server can never answer or forge a confirmation.

import type { JsonObject } from '../json/strict-json.ts';
import { type ConfirmSettings, DEFAULT_CONFIRM } from './confirmation.ts';
import type { RpcId } from './json-rpc.ts';
import type { PauseInfo } from './pause-state.ts';

/** Ids the guard (never the server) uses for requests it sends; guard-session.ts uses the same prefix. */
export const RESERVED_ID_PREFIX = 'mcp-lock-guard-';
const ASK_ID_PREFIX = `${RESERVED_ID_PREFIX}confirm-`;
/** Timer keys of held confirmations, as the proxy hands them back to Guard.timeout. */
export const CONFIRM_TIMER_PREFIX = 'confirm:';
/** Calls one session may hold for a confirmation at once; more are refused (bounded memory). */
export const MAX_HELD_CALLS = 64;

export interface HeldCall {
  /** The id of the guard's elicitation/create request to the client. */
  askId: string;
  /** The id of the client's tools/call. */
  clientId: RpcId;
  tool: string;
  timeoutMs: number;
  /** Forward the call as if it had never been held (the checks already passed). */
  forward(): void;
}

export class SessionControls {
  readonly confirmFor: (tool: string) => ConfirmSettings;
  /** The client declared form elicitation in initialize. */
  clientElicits = false;
  /** Held calls by the guard's request id. */
  readonly held = new Map<string, HeldCall>();
  paused: PauseInfo | null;
  private seq = 0;

  constructor(options: { confirmFor?: (tool: string) => ConfirmSettings; paused?: PauseInfo | null }) {
    this.confirmFor = options.confirmFor ?? (() => DEFAULT_CONFIRM);
    this.paused = options.paused ?? null;
  }

  nextAskId(): string {
    this.seq += 1;
    return `${ASK_ID_PREFIX}${this.seq}`;
  }

  /** Whether a client request id is a call waiting for its confirmation. */
  holds(clientId: RpcId): boolean {
    for (const h of this.held.values()) if (h.clientId === clientId) return true;
    return false;
  }

  heldByClientId(clientId: RpcId): HeldCall | undefined {
    for (const h of this.held.values()) if (h.clientId === clientId) return h;
    return undefined;
  }
}

/** Whether a request id is in the guard's own namespace. */
export function isReservedId(id: RpcId | null | undefined): id is string {
  return typeof id === 'string' && id.startsWith(RESERVED_ID_PREFIX);
}

/** notifications/cancelled for a request, as one line and its message. */
export function cancelledNotification(requestId: RpcId, reason: string): JsonObject {
  return { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason } };
}
