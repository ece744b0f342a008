// The call gate: a request that uses one item by name or URI (tools/call, prompts/get, resources/read,
// completion/complete) may reach the server only when the item is pinned, has not drifted in this session
// and shadows no other server's tool. Pure: the pins and the session's blocked items in, a verdict out.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import type { SurfaceKind } from '../surface/pin.ts';
import { visible } from '../text/hidden-chars.ts';
import { describeProblem, type ItemProblem } from './drift-report.ts';
import type { BlockedItems } from './guard-types.ts';
import { GUARD_RPC_ERRORS, INVALID_PARAMS } from './json-rpc.ts';
import { isPinned, matchingTemplates, type PinnedSurface } from './pinned-surface.ts';
import type { ShadowingContext } from './shadowing.ts';

/** The problem that refuses a request, or what allows it (for the audit log). */
export type Gate = { problem: ItemProblem } | { allowed: JsonObject };

export interface GateContext {
  surface: PinnedSurface;
  shadowing: ShadowingContext;
  blocked: BlockedItems;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function allowed(ctx: GateContext, kind: SurfaceKind, key: string): JsonObject {
  return { kind, key, digest: ctx.surface.pins[kind][key] ?? null };
}

function gateNamed(ctx: GateContext, kind: 'tools' | 'prompts', name: JsonValue | undefined): Gate {
  if (typeof name !== 'string') return { problem: { kind, key: '(no name)', status: 'malformed' } };
  const sticky = ctx.blocked[kind].get(name);
  if (sticky) return { problem: { ...sticky, status: 'previously-blocked' } };
  if (!isPinned(ctx.surface, kind, name)) {
    const shadows = kind === 'tools' ? ctx.shadowing.otherTools.get(name) : undefined;
    return { problem: { kind, key: name, status: 'unpinned', ...(shadows ? { shadows } : {}) } };
  }
  const collides = kind === 'tools' ? ctx.shadowing.blocked.get(name) : undefined;
  if (collides) return { problem: { kind, key: name, status: 'shadowing', shadows: collides } };
  return { allowed: allowed(ctx, kind, name) };
}

function gateUri(ctx: GateContext, uri: JsonValue | undefined): Gate {
  if (typeof uri !== 'string') return { problem: { kind: 'resources', key: '(no uri)', status: 'malformed' } };
  if (isPinned(ctx.surface, 'resources', uri)) {
    const sticky = ctx.blocked.resources.get(uri);
    if (sticky) return { problem: { ...sticky, status: 'previously-blocked' } };
    return { allowed: allowed(ctx, 'resources', uri) };
  }
  const templates = matchingTemplates(ctx.surface, uri).filter((t) => !ctx.blocked.resourceTemplates.has(t));
  if (templates.length > 0) {
    const template = templates[0]!;
    return { allowed: { ...allowed(ctx, 'resourceTemplates', template), key: uri, template } };
  }
  return { problem: { kind: 'resources', key: uri, status: 'unpinned' } };
}

function gateCompletion(ctx: GateContext, params: JsonObject | undefined): Gate {
  const ref = isObject(params?.ref) ? params.ref : undefined;
  if (ref?.type === 'ref/prompt') return gateNamed(ctx, 'prompts', ref.name);
  if (ref?.type === 'ref/resource') {
    const uri = ref.uri;
    if (typeof uri === 'string' && isPinned(ctx.surface, 'resourceTemplates', uri)) {
      const sticky = ctx.blocked.resourceTemplates.get(uri);
      if (sticky) return { problem: { ...sticky, status: 'previously-blocked' } };
      return { allowed: allowed(ctx, 'resourceTemplates', uri) };
    }
    return gateUri(ctx, uri);
  }
  return { problem: { kind: 'prompts', key: '(no reference)', status: 'malformed' } };
}

/** The verdict on a request that names one item; null for requests that name none. */
export function gateRequest(ctx: GateContext, method: string, params: JsonObject | undefined): Gate | null {
  switch (method) {
    case 'tools/call':
      return gateNamed(ctx, 'tools', params?.name);
    case 'prompts/get':
      return gateNamed(ctx, 'prompts', params?.name);
    case 'resources/read':
      return gateUri(ctx, params?.uri);
    case 'completion/complete':
      return gateCompletion(ctx, params);
    default:
      return null;
  }
}

/**
 * The JSON-RPC error code of a refusal. A name the pin does not know, or a request without a usable name,
 * is what MCP calls invalid params (-32602: "unknown tool", "invalid prompt name"), so clients handle it as
 * they would a direct answer; an item that exists but drifted or shadows another server is the guard's own
 * refusal (-32003).
 */
export function refusalCode(problem: ItemProblem): number {
  if (problem.status === 'malformed') return INVALID_PARAMS;
  if (problem.status === 'unpinned' && (problem.kind === 'tools' || problem.kind === 'prompts')) return INVALID_PARAMS;
  return GUARD_RPC_ERRORS.notPinned;
}

/** What a refusal says about the item, safe to print. */
export function describeRefusal(problem: ItemProblem): string {
  return problem.kind === 'resources' && problem.status === 'unpinned'
    ? `resource "${visible(problem.key)}" is not pinned and matches no pinned resource template`
    : describeProblem(problem);
}
