// The big red button inside one session (issue #13.7). While the server is paused, requests that make it
// do something (tools/call, prompts/get, resources/read, completion/complete and anything not known to be
// passive) are refused with an error that says how to resume; calls in flight are cancelled (the server
// gets notifications/cancelled, the client an error), and so are calls waiting for a confirmation. Lists,
// ping and the handshake still pass, so the session stays up and `mcp-lock resume` needs no restart.
// While paused the server's own requests to the client (sampling, elicitation, roots) are refused too.

import type { JsonObject } from '../json/strict-json.ts';
import { visible } from '../text/hidden-chars.ts';
import { failHeldCalls } from './confirm-flow.ts';
import type { GuardSession } from './guard-session.ts';
import { errorResponse, GUARD_RPC_ERRORS, INVALID_REQUEST, type RpcId } from './json-rpc.ts';
import type { PauseInfo } from './pause-state.ts';
import { cancelledNotification, isReservedId } from './session-controls.ts';

/** What a paused server may still be asked: the handshake, listings, ping and turning things off. */
const PASSIVE_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'server/discover',
  'ping',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/unsubscribe',
  'logging/setLevel',
  // Tasks (2025-11-25): asking about a task or cancelling it starts no work.
  'tasks/get',
  'tasks/list',
  'tasks/cancel',
]);

export function isPassive(method: string): boolean {
  return PASSIVE_METHODS.has(method);
}

/** The error text a refused or cancelled request gets: paused since when, by what, and how to resume. */
export function pausedMessage(server: string, info: PauseInfo, what: string): string {
  const how = info.scope === 'all' ? '`mcp-lock resume --all`' : `\`mcp-lock resume ${visible(server)}\``;
  const reason = info.reason ? ` (${visible(info.reason)})` : '';
  const scope = info.scope === 'all' ? 'every server of this project is paused' : `${visible(server)} is paused`;
  return `mcp-lock: ${scope} since ${visible(info.since)}${reason}; ${what}. Resume with ${how}; no restart is needed.`;
}

function pausedError(s: GuardSession, id: RpcId, info: PauseInfo, what: string): string {
  return errorResponse(id, GUARD_RPC_ERRORS.paused, pausedMessage(s.server, info, what), {
    code: 'PAUSED',
    server: s.server,
    scope: info.scope,
    since: info.since,
  });
}

/** A client request while paused: refused unless passive. Returns true when it was refused. */
export function refuseWhilePaused(s: GuardSession, id: RpcId, method: string): boolean {
  const info = s.controls.paused;
  if (!info || isPassive(method)) return false;
  s.audit({ event: 'request', decision: 'blocked', method, requestId: id, reason: 'paused', scope: info.scope });
  s.toClient(pausedError(s, id, info, `${method} was not forwarded`));
  return true;
}

/** The pause file changed for this server: pause (cancelling what is in flight) or resume. */
export function setPause(s: GuardSession, info: PauseInfo | null, detail: JsonObject = {}): void {
  const was = s.controls.paused;
  s.controls.paused = info;
  if (info === null) {
    if (was === null) return;
    s.audit({ event: 'pause', decision: 'resumed', scope: was.scope, ...detail });
    s.notice('resumed: calls are forwarded again');
    return;
  }
  if (was !== null) return;
  s.audit({ event: 'pause', decision: 'paused', scope: info.scope, since: info.since, ...detail });
  s.notice(`PAUSED (${info.scope === 'all' ? 'every server' : 'this server'}): calls are refused until resumed`);
  if (s.stopState) return;
  for (const p of [...s.pending.values()]) {
    if (p.origin !== 'client' || isPassive(p.method)) continue;
    s.untrack(p);
    const cancel = cancelledNotification(p.id, 'mcp-lock: paused');
    s.toServer(JSON.stringify(cancel), cancel);
    s.audit({ event: 'request', decision: 'blocked', method: p.method, requestId: p.id, reason: 'cancelled: paused' });
    s.toClient(pausedError(s, p.id, info, `${p.method} was cancelled`));
  }
  failHeldCalls(s, (held) => pausedError(s, held.clientId, info, 'tools/call was cancelled'));
}

/**
 * A request from the server to the client: refused (answered to the server, never shown to the client)
 * when it uses the guard's own id namespace, or while paused (ping excepted). Returns true when refused.
 */
export function refuseServerRequest(s: GuardSession, id: RpcId, method: string): boolean {
  let reason: string | null = null;
  if (isReservedId(id)) reason = 'the request id is in the namespace mcp-lock reserves for its own requests';
  else if (s.controls.paused && method !== 'ping') reason = 'mcp-lock paused this server';
  if (reason === null) return false;
  s.audit({ event: 'server-request', decision: 'blocked', method, requestId: id, reason });
  const answer = errorResponse(id, INVALID_REQUEST, `mcp-lock refused ${method}: ${reason}`);
  s.toServer(answer, JSON.parse(answer));
  s.notice(`refused the server's ${visible(method)} request: ${reason}`);
  return true;
}
