// Holding a sensitive tools/call until a person says yes (issue #13.6). After every automated check has
// passed, a call the policy marks is held: the guard asks the client with its own elicitation/create, and
// forwards the call only on accept with confirm: true. Decline, cancel, an error, an unreadable answer and
// a timeout all refuse it; the server never sees a refused call. A client that did not declare
// elicitation gets what the policy says (forwarded and audited, or refused). Every step is audited, with
// the tool and the ids, never the arguments.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { visible } from '../text/hidden-chars.ts';
import {
  boundedTimeoutMs,
  type ConfirmationAnswer,
  confirmationReason,
  confirmationRequest,
  declaresFormElicitation,
  readConfirmationAnswer,
} from './confirmation.ts';
import type { GuardSession } from './guard-session.ts';
import { errorResponse, GUARD_RPC_ERRORS, type RpcId } from './json-rpc.ts';
import {
  CONFIRM_TIMER_PREFIX,
  cancelledNotification,
  type HeldCall,
  isReservedId,
  MAX_HELD_CALLS,
} from './session-controls.ts';

/** initialize tells the guard whether it can ask the client (form elicitation). */
export function learnClientCapabilities(s: GuardSession, method: string, params: JsonObject | undefined): void {
  if (method === 'initialize') s.controls.clientElicits = declaresFormElicitation(params);
}

/** A tools/call that passed every check: forwarded now, held for a confirmation, or refused. */
export function confirmThenForward(
  s: GuardSession,
  id: RpcId,
  tool: string,
  args: JsonValue | undefined,
  forward: () => void,
): void {
  const settings = s.controls.confirmFor(tool);
  const why = confirmationReason(settings, s.surface.definitions.tools.get(tool));
  if (why === null) {
    forward();
    return;
  }
  const base = { event: 'confirm', method: 'tools/call', kind: 'tools', key: tool, requestId: id, why } as const;
  if (!s.controls.clientElicits) {
    if (settings.withoutElicitation === 'allow') {
      s.audit({
        ...base,
        decision: 'allowed',
        reason: 'the client cannot be asked (no elicitation); the policy allows',
      });
      forward();
    } else {
      s.audit({
        ...base,
        decision: 'blocked',
        reason: 'the client cannot be asked (no elicitation); the policy denies',
      });
      refuseHeld(
        s,
        id,
        tool,
        'denied',
        `it needs a confirmation (${why}), and this client cannot be asked: it did not declare elicitation`,
      );
    }
    return;
  }
  if (s.controls.held.size >= MAX_HELD_CALLS) {
    s.audit({ ...base, decision: 'blocked', reason: `${MAX_HELD_CALLS} calls already wait for a confirmation` });
    refuseHeld(s, id, tool, 'denied', `${MAX_HELD_CALLS} calls already wait for a confirmation`);
    return;
  }
  const askId = s.controls.nextAskId();
  const timeoutMs = boundedTimeoutMs(settings);
  s.controls.held.set(askId, { askId, clientId: id, tool, timeoutMs, forward });
  s.setTimer(`${CONFIRM_TIMER_PREFIX}${askId}`, timeoutMs);
  s.audit({ ...base, decision: 'asked', askId, timeoutMs });
  s.notice(`asking the user before tools/call "${visible(tool)}" (${why})`);
  s.toClient(JSON.stringify(confirmationRequest(askId, s.server, tool, args, why)));
}

/**
 * A response from the client with an id in the guard's namespace: the answer to a confirmation (or a late
 * one, dropped). Returns false for every other message, which goes on as before.
 */
export function takeConfirmationAnswer(s: GuardSession, id: RpcId | null, message: JsonObject): boolean {
  if (!isReservedId(id)) return false;
  const held = s.controls.held.get(id);
  if (!held) {
    s.audit({ event: 'confirm', decision: 'dropped', askId: id, reason: 'an answer to no pending confirmation' });
    return true;
  }
  release(s, held);
  const answer: ConfirmationAnswer = readConfirmationAnswer(message);
  const base = { event: 'confirm', method: 'tools/call', kind: 'tools', key: held.tool, requestId: held.clientId };
  if (answer.verdict === 'confirmed') {
    s.audit({ ...base, decision: 'confirmed', askId: id });
    held.forward();
    return true;
  }
  s.audit({ ...base, decision: 'declined', askId: id, verdict: answer.verdict, reason: answer.reason });
  refuseHeld(s, held.clientId, held.tool, answer.verdict, answer.reason);
  return true;
}

/** No answer in time: a decline. The client is told to drop its prompt. */
export function confirmationTimedOut(s: GuardSession, askId: string): void {
  const held = s.controls.held.get(askId);
  if (!held) return;
  s.controls.held.delete(askId);
  const reason = `no answer within ${Math.round(held.timeoutMs / 1000)} s (a timeout is a decline)`;
  s.audit({
    event: 'confirm',
    decision: 'declined',
    method: 'tools/call',
    kind: 'tools',
    key: held.tool,
    requestId: held.clientId,
    askId,
    verdict: 'timeout',
    reason,
  });
  s.toClient(JSON.stringify(cancelledNotification(askId, `mcp-lock: ${reason}`)));
  refuseHeld(s, held.clientId, held.tool, 'timeout', reason);
}

/** The client cancelled a call that waits for its confirmation: forget it, and withdraw the question. */
export function cancelHeldCall(s: GuardSession, clientId: RpcId): boolean {
  const held = s.controls.heldByClientId(clientId);
  if (!held) return false;
  release(s, held);
  s.audit({
    event: 'confirm',
    decision: 'dropped',
    key: held.tool,
    requestId: clientId,
    reason: 'the client cancelled',
  });
  s.toClient(JSON.stringify(cancelledNotification(held.askId, 'mcp-lock: the client cancelled the call')));
  return true;
}

/** Every held call ends with this error (the session stopped, or it was paused). */
export function failHeldCalls(s: GuardSession, error: (held: HeldCall) => string): void {
  for (const held of [...s.controls.held.values()]) {
    release(s, held);
    s.toClient(JSON.stringify(cancelledNotification(held.askId, 'mcp-lock: the call was refused')));
    s.toClient(error(held));
  }
}

function release(s: GuardSession, held: HeldCall): void {
  s.controls.held.delete(held.askId);
  s.clearTimer(`${CONFIRM_TIMER_PREFIX}${held.askId}`);
}

function refuseHeld(s: GuardSession, id: RpcId, tool: string, verdict: string, reason: string): void {
  s.notice(`refused tools/call "${visible(tool)}": ${visible(reason)}`);
  s.toClient(
    errorResponse(
      id,
      GUARD_RPC_ERRORS.notConfirmed,
      `mcp-lock refused tools/call "${visible(tool)}" on ${visible(s.server)}: not confirmed: ${visible(reason)}`,
      { code: 'CONFIRMATION_DECLINED', server: s.server, tool, verdict },
    ),
  );
}
