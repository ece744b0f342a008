// The connect-time guard: a pure state machine between an MCP client and one pinned server. Every message
// from either side goes in as the raw line it arrived as; what comes out is a list of effects (forward
// this line, answer with that error, write an audit record, stop the server). It never touches a socket,
// and the one clock it reads (the call limits') is injected, so every decision is table-testable.
//
// What it enforces, in both protocol eras (initialize handshake; 2026-07-28 server/discover):
// - the instructions (initialize / server/discover result) match the pin (handshake.ts);
// - every page of tools/list, prompts/list, resources/list and resources/templates/list holds only pinned,
//   unchanged items: unpinned, changed, duplicated or malformed items are never shown (list-verification.ts);
// - after every list-changed notification the guard lists again itself and verifies the result;
// - tools/call, prompts/get, resources/read and completion/complete name a pinned, undrifted item (or a
//   URI of a pinned resource template); otherwise they are answered with an error and never forwarded
//   (call-gate.ts);
// - tools/call arguments satisfy the pinned inputSchema (argument-check.ts), or the call gets -32602;
// - tools/call arguments holding a credential are refused, and calls over the call limits (per tool and
//   per server per minute, identical calls, argument bytes) are refused (call-safety.ts);
// - results for the model (tools/call, resources/read, prompts/get) are neutralised (result-filter.ts),
//   and audited (or withheld, as policy says) when they hold a credential (call-safety.ts);
// - an id-less client message must be a notification: a request method sent without an id is dropped;
// - lists are bounded: cursor loops, too many pages, items or bytes, and slow answers fail closed; so is
//   every single message (maxMessageBytes).
// On drift, block mode answers with an error naming the items and changed fields and stops the server;
// filter mode hides the drifted items for the rest of the session. Everything else passes untouched.
//
// This file is the entry point the proxy drives. Each direction has its handler (client-messages.ts,
// server-messages.ts); the shared session state and how it fails closed are in guard-session.ts.

import type { ErrorCode } from '../errors.ts';
import type { JsonObject } from '../json/strict-json.ts';
import { visible } from '../text/hidden-chars.ts';
import { endedCallRecord } from './call-record.ts';
import { handleClientLine } from './client-messages.ts';
import { confirmationTimedOut } from './confirm-flow.ts';
import { GuardSession } from './guard-session.ts';
import type { GuardEffect, GuardOptions, RawLine, StopState } from './guard-types.ts';
import { errorResponse, GUARD_RPC_ERRORS, idKey } from './json-rpc.ts';
import { setPause } from './pause.ts';
import type { PauseInfo } from './pause-state.ts';
import { handleServerLine } from './server-messages.ts';
import { CONFIRM_TIMER_PREFIX } from './session-controls.ts';

export type { GuardEffect, GuardLimits, GuardOptions, OnDrift, RawLine } from './guard-types.ts';
export { DEFAULT_GUARD_LIMITS, DEFAULT_MAX_MESSAGE_BYTES } from './guard-types.ts';

export class Guard {
  private readonly s: GuardSession;

  constructor(options: GuardOptions) {
    this.s = new GuardSession(options);
  }

  /** Why the session was stopped, or null while it runs. */
  get stopped(): StopState | null {
    return this.s.stopState;
  }

  /** The pinned definition of a tool, for transports that mirror arguments into headers. */
  toolDefinition(name: string): JsonObject | undefined {
    return this.s.surface.definitions.tools.get(name);
  }

  /** A line from the client. */
  fromClient(line: RawLine): GuardEffect[] {
    handleClientLine(this.s, line);
    return this.s.take();
  }

  /** A line from the server. */
  fromServer(line: RawLine): GuardEffect[] {
    handleServerLine(this.s, line);
    return this.s.take();
  }

  /** A timer set with setTimer fired. */
  timeout(key: string): GuardEffect[] {
    const s = this.s;
    if (key.startsWith(CONFIRM_TIMER_PREFIX)) {
      confirmationTimedOut(s, key.slice(CONFIRM_TIMER_PREFIX.length));
      return s.take();
    }
    const p = s.pending.get(key.startsWith('req:') ? key.slice(4) : key);
    if (!p || s.stopState) return s.take();
    s.pending.delete(idKey(p.id));
    const reason = `the server did not answer ${p.method} within ${p.timeoutMs} ms`;
    s.audit({ event: 'timeout', decision: 'blocked', method: p.method, requestId: p.id, reason });
    if (p.call) s.audit(endedCallRecord(p.call, 'timeout', s.clock));
    s.notice(reason);
    if (p.origin === 'client') {
      s.toClient(
        errorResponse(p.id, GUARD_RPC_ERRORS.timeout, `mcp-lock: ${reason}`, { code: 'TIMEOUT', server: s.server }),
      );
      if (p.method !== 'initialize') {
        // Tell the server its answer is no longer wanted, so it can stop the work.
        const cancel: JsonObject = {
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: p.id, reason: `mcp-lock: no answer within ${p.timeoutMs} ms` },
        };
        s.toServer(JSON.stringify(cancel), cancel);
      }
    } else if (p.kind) {
      s.ownDone(p.kind, 'failed', { reason });
    }
    return s.take();
  }

  /** `mcp-lock pause` (info) or `resume` (null) reached this session (pause.ts). */
  pause(info: PauseInfo | null, detail: JsonObject = {}): GuardEffect[] {
    setPause(this.s, info, detail);
    return this.s.take();
  }

  /**
   * Something outside the conversation says the session must end (the registry yanked the running
   * version): audited, in-flight requests get the reason, and the server is stopped.
   */
  halt(code: ErrorCode, reason: string, detail: JsonObject = {}): GuardEffect[] {
    const s = this.s;
    if (!s.stopState) {
      s.audit({ event: 'halt', decision: 'stopped', code, reason, ...detail });
      s.notice(`STOPPING: ${visible(reason)}`);
      s.stop(code, reason);
    }
    return s.take();
  }

  /**
   * The client sent something its transport cannot carry (a line over the size limit): audited, and the
   * session ends. The transport closes the client connection after this.
   */
  clientFailed(code: ErrorCode, reason: string): GuardEffect[] {
    if (code === 'LIMIT_EXCEEDED') this.s.messageTooLarge('client', reason);
    else {
      this.s.audit({ event: 'client-message', decision: 'blocked', code, reason });
      this.s.stop(code, reason);
    }
    return this.s.take();
  }

  /** The server is gone (it exited, the connection broke, or it sent an oversized message). */
  serverFailed(code: ErrorCode, reason: string): GuardEffect[] {
    const s = this.s;
    if (!s.stopState) {
      s.audit({ event: 'server-exit', decision: 'stopped', code, reason });
      s.notice(reason);
      s.stop(code, reason);
    }
    return s.take();
  }
}
