// Client → server: every line the client sends. Requests that list go through (their answers are
// verified in server-messages.ts); requests that use one item pass the call gate first; handshake
// requests teach the guard the protocol era. Once the session is stopped, nothing reaches the server.

import { McpLockError } from '../errors.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../json/strict-json.ts';
import { checkArgumentPolicy } from '../policy/argument-policy.ts';
import { visible } from '../text/hidden-chars.ts';
import type { ArgumentProblem } from './argument-check.ts';
import { describeRefusal, gateRequest, refusalCode } from './call-gate.ts';
import { screenToolCall } from './call-safety.ts';
import { type ItemProblem, problemData } from './drift-report.ts';
import type { GuardSession } from './guard-session.ts';
import type { RawLine } from './guard-types.ts';
import { HANDSHAKE_METHODS, parseRequestMeta } from './handshake.ts';
import {
  classifyMessage,
  errorResponse,
  GUARD_RPC_ERRORS,
  INVALID_PARAMS,
  INVALID_REQUEST,
  idKey,
  looseId,
  PARSE_ERROR,
  type RpcId,
} from './json-rpc.ts';
import { LIST_KIND } from './list-verification.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line from the client; the effects are left in the session. */
export function handleClientLine(s: GuardSession, line: RawLine): void {
  let value: JsonValue;
  try {
    value = parseStrictJson(line, 'client message', { maxBytes: s.limits.maxMessageBytes, maxDepth: 100 });
  } catch (error) {
    if (error instanceof McpLockError && error.code === 'JSON_TOO_LARGE') {
      s.messageTooLarge('client', error.message);
      return;
    }
    const id = looseId(typeof line === 'string' ? line : decoder.decode(line));
    const reason = error instanceof McpLockError ? error.message : String(error);
    s.audit({ event: 'client-message', decision: 'blocked', reason });
    s.toClient(errorResponse(id, PARSE_ERROR, `mcp-lock could not read the message: ${reason}`));
    return;
  }
  const msg = classifyMessage(value);
  switch (msg.type) {
    case 'invalid':
      s.audit({ event: 'client-message', decision: 'blocked', reason: msg.reason });
      if (msg.id !== null) s.toClient(errorResponse(msg.id, INVALID_REQUEST, `invalid request: ${msg.reason}`));
      break;
    case 'request':
      clientRequest(s, line, msg.id, msg.method, msg.params, msg.message);
      break;
    case 'notification':
      if (s.stopState) break;
      if (!isNotificationMethod(msg.method)) {
        smuggledRequest(s, msg.method);
        break;
      }
      s.toServer(line, msg.message);
      learnMeta(s, msg.params);
      if (msg.method === 'notifications/initialized') {
        s.initialized = true;
        s.flushDirty();
      }
      if (msg.method === 'notifications/cancelled') cancelled(s, msg.params?.requestId);
      break;
    default:
      // A response to a server→client request (sampling, elicitation, roots): not the guard's business.
      if (!s.stopState) s.toServer(line, msg.message);
  }
}

/**
 * MCP names every notification `notifications/…`. Anything else without an id is a request sent as a
 * notification: the server would act on it (a tools/call with no id still runs) while the guard, seeing no
 * request, would never gate it. So it is a side door, and it is closed: only notifications pass.
 */
function isNotificationMethod(method: string): boolean {
  return method.startsWith('notifications/');
}

function smuggledRequest(s: GuardSession, method: string): void {
  const reason = `"${method}" is not a notification, but it came without an id`;
  s.audit({ event: 'client-message', decision: 'blocked', method, reason });
  s.notice(`dropped a message from the client: ${visible(reason)} (a request must have an id to be checked)`);
}

function clientRequest(
  s: GuardSession,
  line: RawLine,
  id: RpcId,
  method: string,
  params: JsonObject | undefined,
  message: JsonObject,
): void {
  if (s.stopState) {
    s.toClient(
      errorResponse(
        id,
        GUARD_RPC_ERRORS.stopped,
        `mcp-lock stopped ${visible(s.server)} earlier in this session: ${s.stopState.reason}`,
        { code: s.stopState.code, server: s.server },
      ),
    );
    return;
  }
  if (s.pending.has(idKey(id))) {
    s.toClient(errorResponse(id, INVALID_REQUEST, 'a request with this id is still pending'));
    return;
  }
  const wasStateless = s.meta !== null;
  learnMeta(s, params);
  if (method === 'initialize') s.era = 'handshake';

  const kind = LIST_KIND.get(method);
  if (kind) {
    const cursor = typeof params?.cursor === 'string' ? params.cursor : undefined;
    const listing = s.listings.forRequest(kind, 'client', cursor);
    s.track({ origin: 'client', id, method, kind, listing, timeoutMs: s.limits.requestTimeoutMs });
  } else if (HANDSHAKE_METHODS.has(method)) {
    s.track({ origin: 'client', id, method, timeoutMs: s.limits.requestTimeoutMs });
  } else {
    const gate = gateRequest(s.items, method, params);
    if (gate && 'problem' in gate) {
      refuse(s, id, method, gate.problem);
      return;
    }
    if (method === 'tools/call' && typeof params?.name === 'string') {
      // The policy's caps first: they bound what the schema check (its patterns) has to read.
      const violations = checkArgumentPolicy(params.arguments, s.policy.forTool(params.name).arguments, s.paths);
      if (violations.length > 0) {
        refuseArguments(s, id, params.name, violations, 'POLICY_VIOLATION');
        return;
      }
      const problems = s.arguments.check(params.name, params.arguments);
      const ignored = s.arguments.takeIgnored(params.name);
      if (ignored) {
        s.audit({ event: 'input-schema', decision: 'reported', kind: 'tools', key: params.name, reason: ignored });
        s.notice(`the pinned inputSchema of tool "${visible(params.name)}" is enforced without: ${visible(ignored)}`);
      }
      if (problems.length > 0) {
        refuseArguments(s, id, params.name, problems);
        return;
      }
      if (!screenToolCall(s, id, params.name, params.arguments)) return;
    }
    if (gate) s.audit({ event: 'request', decision: 'allowed', method, requestId: id, ...gate.allowed });
    const meta = isObject(params?._meta) ? params._meta : undefined;
    const token = meta?.progressToken;
    s.track({
      origin: 'client',
      id,
      method,
      timeoutMs: method === 'subscriptions/listen' ? 0 : s.limits.callTimeoutMs,
      ...(typeof token === 'string' || typeof token === 'number' ? { progressToken: token } : {}),
      ...(method === 'tools/call' && typeof params?.name === 'string' ? { tool: params.name } : {}),
    });
  }
  s.toServer(line, message);
  if (!wasStateless && s.meta !== null) s.flushDirty();
}

function refuse(s: GuardSession, id: RpcId, method: string, problem: ItemProblem): void {
  const what = describeRefusal(problem);
  const message = `mcp-lock refused ${method} on ${visible(s.server)}: ${what}`;
  s.audit({ event: 'request', decision: 'blocked', method, ...problemData(problem) });
  s.notice(`refused ${method}: ${what}`);
  s.toClient(
    errorResponse(id, refusalCode(problem), message, {
      code: 'NOT_PINNED',
      server: s.server,
      items: [problemData(problem)],
    }),
  );
}

/**
 * Arguments that do not satisfy the pinned inputSchema or the policy: -32602 naming the fields, as a server
 * would answer, and the server never sees them. The audit log gets the field paths, never the values (they
 * may be secrets).
 */
function refuseArguments(
  s: GuardSession,
  id: RpcId,
  tool: string,
  problems: (ArgumentProblem & { pointer?: string; rule?: string })[],
  code: 'SCHEMA_INVALID' | 'POLICY_VIOLATION' = 'SCHEMA_INVALID',
): void {
  const what = problems
    .map((p) => (p.field ? `argument "${visible(p.field)}" ${visible(p.message)}` : visible(p.message)))
    .join('; ');
  const fields = problems.map((p) => ({
    field: p.field,
    message: p.message,
    ...(p.pointer === undefined ? {} : { pointer: p.pointer }),
    ...(p.rule === undefined ? {} : { rule: p.rule }),
  }));
  s.audit({
    event: 'request',
    decision: 'blocked',
    method: 'tools/call',
    kind: 'tools',
    key: tool,
    reason: code === 'POLICY_VIOLATION' ? 'policy' : 'arguments',
    fields,
  });
  s.notice(`refused tools/call of "${visible(tool)}": ${what}`);
  s.toClient(
    errorResponse(
      id,
      INVALID_PARAMS,
      `mcp-lock refused tools/call "${visible(tool)}" on ${visible(s.server)}: ${what}`,
      {
        code,
        server: s.server,
        tool,
        fields,
      },
    ),
  );
}

/** The 2026-07-28 request metadata, kept so the guard's own requests carry the client's. */
function learnMeta(s: GuardSession, params: JsonObject | undefined): void {
  const meta = parseRequestMeta(params);
  if (!meta) return;
  s.meta = meta;
  s.era = 'stateless';
}

/** The client gave up on a request: stop waiting for it (a late answer is dropped, not forwarded). */
function cancelled(s: GuardSession, requestId: JsonValue | undefined): void {
  if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
  const p = s.pending.get(idKey(requestId));
  if (p?.origin === 'client') s.untrack(p);
}
