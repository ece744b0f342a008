// Server → client: every line the server sends. Answers to handshake and list requests are verified
// against the pins before the client sees them (or answer the guard's own re-verification); a
// list-changed notification starts a re-verification; a line that is not strict JSON never passes.

import { McpLockError } from '../errors.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../json/strict-json.ts';
import { LIST_METHOD } from '../surface/pin.ts';
import { visible } from '../text/hidden-chars.ts';
import type { ItemProblem } from './drift-report.ts';
import type { GuardSession, Pending } from './guard-session.ts';
import type { RawLine } from './guard-types.ts';
import { checkHandshakeInstructions, HANDSHAKE_METHODS } from './handshake.ts';
import { classifyMessage, errorResponse, GUARD_RPC_ERRORS, idKey, looseId } from './json-rpc.ts';
import {
  checkListedItem,
  checkPage,
  isBlocking,
  LIST_CHANGED,
  type Listing,
  staysBlocked,
} from './list-verification.ts';
import { answerResult } from './result-policy.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line from the server; the effects are left in the session. */
export function handleServerLine(s: GuardSession, line: RawLine): void {
  if (s.stopState) return;
  let value: JsonValue;
  try {
    value = parseStrictJson(line, 'server message', { maxBytes: s.limits.maxMessageBytes, maxDepth: 100 });
  } catch (error) {
    if (error instanceof McpLockError && error.code === 'JSON_TOO_LARGE') {
      s.messageTooLarge('server', error.message);
      return;
    }
    unreadable(s, line, error);
    return;
  }
  const msg = classifyMessage(value);
  switch (msg.type) {
    case 'invalid':
      s.audit({ event: 'server-message', decision: 'dropped', reason: msg.reason });
      s.notice(`dropped a message from the server: ${msg.reason}`);
      break;
    case 'request':
      // Sampling, elicitation, roots, ping: the client decides.
      s.toClient(line);
      break;
    case 'notification': {
      s.toClient(line);
      const kinds = LIST_CHANGED[msg.method];
      if (kinds) for (const kind of kinds) s.reverify(kind);
      if (msg.method === 'notifications/progress') progress(s, msg.params?.progressToken);
      break;
    }
    case 'result':
    case 'error': {
      const p = msg.id === null ? undefined : s.pending.get(idKey(msg.id));
      if (!p) {
        s.audit({
          event: 'server-message',
          decision: 'dropped',
          reason: 'a response to no pending request',
          requestId: msg.id,
        });
        break;
      }
      s.untrack(p);
      if (msg.type === 'error') errorAnswer(s, p, line, msg.message);
      else resultAnswer(s, p, line, msg.result);
    }
  }
}

/** A line that is not strict JSON: never forwarded; the request it answers (if any) gets an error. */
function unreadable(s: GuardSession, line: RawLine, error: unknown): void {
  const reason = error instanceof McpLockError ? error.message : String(error);
  const id = looseId(typeof line === 'string' ? line : decoder.decode(line));
  const p = id === null ? undefined : s.pending.get(idKey(id));
  if (!p) {
    s.audit({ event: 'server-message', decision: 'dropped', reason });
    s.notice(`dropped an unreadable message from the server: ${visible(reason)}`);
    return;
  }
  s.untrack(p);
  if (p.kind || HANDSHAKE_METHODS.has(p.method)) {
    s.failClosed(p, 'protocol', `the answer to ${p.method} is not strict JSON (${reason})`);
    return;
  }
  s.audit({ event: 'response', decision: 'blocked', method: p.method, requestId: p.id, reason });
  s.notice(`refused the server's answer to ${p.method}: ${visible(reason)}`);
  if (p.origin === 'client') {
    s.toClient(
      errorResponse(
        p.id,
        GUARD_RPC_ERRORS.protocol,
        `mcp-lock refused the answer of ${visible(s.server)} to ${p.method}: ${reason}`,
        { code: 'SERVER_PROTOCOL_ERROR', server: s.server },
      ),
    );
  }
}

function errorAnswer(s: GuardSession, p: Pending, line: RawLine, message: JsonObject): void {
  if (p.origin === 'client') {
    s.toClient(line);
    return;
  }
  if (!p.kind) return;
  const code = isObject(message.error) ? message.error.code : undefined;
  // A server with resources but no templates may not implement resources/templates/list: nothing to verify.
  if (p.kind === 'resourceTemplates' && code === -32601) s.ownDone(p.kind, 'verified', { items: 0 });
  else s.ownDone(p.kind, 'failed', { reason: `the server answered the re-verification with error ${String(code)}` });
}

function resultAnswer(s: GuardSession, p: Pending, line: RawLine, result: JsonValue): void {
  if (p.kind && p.listing) {
    listPage(s, p, p.listing, line, result);
    return;
  }
  if (HANDSHAKE_METHODS.has(p.method)) {
    instructionsAnswer(s, p, line, result);
    return;
  }
  if (p.origin !== 'client') return;
  answerResult(s, p, line, result);
}

function instructionsAnswer(s: GuardSession, p: Pending, line: RawLine, result: JsonValue): void {
  if (!isObject(result)) {
    s.toClient(line);
    return;
  }
  const problem = checkHandshakeInstructions(s.surface, result);
  if (!problem) {
    s.audit({ event: 'instructions', decision: 'verified', method: p.method, digest: s.surface.pins.instructions });
    s.toClient(line);
    return;
  }
  if (s.onDrift === 'block') {
    s.reportProblems('blocked', p.method, [problem]);
    s.block(p, [problem]);
    return;
  }
  s.reportProblems('filtered', p.method, [problem]);
  const rest: JsonObject = { ...result };
  delete rest.instructions;
  s.toClient(JSON.stringify({ jsonrpc: '2.0', id: p.id, result: rest }));
}

function listPage(s: GuardSession, p: Pending, listing: Listing, line: RawLine, result: JsonValue): void {
  const kind = listing.kind;
  const { method, field } = LIST_METHOD[kind];
  const page = checkPage(listing, s.limits, line, result);
  if ('fail' in page) {
    s.failClosed(p, page.fail, page.reason);
    return;
  }
  if ('inputRequired' in page) {
    if (p.origin === 'client') s.toClient(line);
    else s.ownDone(kind, 'failed', { reason: 'the server asked for input' });
    return;
  }
  const { items, nextCursor } = page;
  const kept: JsonValue[] = [];
  const problems: ItemProblem[] = [];
  for (const item of items) {
    const problem = checkListedItem(s.items, listing, item);
    if (problem) problems.push(problem);
    else kept.push(item);
  }
  const drift = problems.filter((pr) => isBlocking(pr, s.surface));
  if (drift.length > 0 && s.onDrift === 'block') {
    s.reportProblems('blocked', method, drift);
    s.block(p, drift);
    return;
  }
  // Filter: hide them, and keep drifted keys hidden and refused for the rest of the session.
  for (const pr of problems) if (staysBlocked(pr)) s.blocked[kind].set(pr.key, pr);
  const fresh = problems.filter((pr) => {
    if (pr.status === 'previously-blocked') return false;
    if (pr.status !== 'shadowing') return true;
    if (s.shadowReported.has(pr.key)) return false;
    s.shadowReported.add(pr.key);
    return true;
  });
  s.reportProblems('filtered', method, fresh);
  s.audit({
    event: 'list',
    decision: problems.length > 0 ? 'filtered' : 'verified',
    method,
    origin: p.origin,
    page: listing.pages,
    items: items.length,
    shown: kept.length,
    ...(nextCursor !== null ? { nextCursor } : {}),
  });
  if (nextCursor !== null) s.listings.continueAt(listing, nextCursor);

  if (p.origin === 'client') {
    if (problems.length === 0) s.toClient(line);
    else s.toClient(JSON.stringify({ jsonrpc: '2.0', id: p.id, result: { ...(result as JsonObject), [field]: kept } }));
    return;
  }
  if (nextCursor !== null) s.sendOwnList(kind, listing, nextCursor);
  else s.ownDone(kind, 'verified', { items: listing.items });
}

/** Progress on a long request restarts its deadline. */
function progress(s: GuardSession, token: JsonValue | undefined): void {
  if (typeof token !== 'string' && typeof token !== 'number') return;
  for (const p of s.pending.values()) {
    if (p.origin === 'client' && p.progressToken === token && p.timeoutMs > 0) {
      s.setTimer(`req:${idKey(p.id)}`, p.timeoutMs);
      return;
    }
  }
}
