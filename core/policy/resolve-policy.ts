// Resolving the runtime policy: built-in default < defaults < servers[s] < servers[s].tools[t]. Objects
// are merged key by key (so a tool can add one path rule without repeating the server's), arrays and
// scalars are replaced. Pure, and cheap enough to call per tool; ServerPolicy caches per-tool results.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import {
  DEFAULT_POLICY,
  type EffectivePolicy,
  type EffectiveToolPolicy,
  type McpLockPolicy,
  type Settings,
  type ToolSettings,
} from './policy-types.ts';

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A new value: `over` merged onto `base`, objects key by key, everything else replaced. */
export function mergeSettings<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (!isObject(base) || !isObject(over)) return over as T;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // Own keys only; strict JSON already refuses __proto__ and friends, and `out` is a fresh object.
    out[key] = mergeSettings<JsonValue | undefined>(
      Object.hasOwn(base, key) ? base[key] : undefined,
      value,
    ) as JsonValue;
  }
  return out as T;
}

function serverLevel(policy: McpLockPolicy | undefined, server: string): EffectivePolicy {
  const own = policy?.servers && Object.hasOwn(policy.servers, server) ? policy.servers[server] : undefined;
  let effective = mergeSettings(DEFAULT_POLICY, policy?.defaults);
  if (own) {
    const { tools: _tools, ...settings } = own;
    effective = mergeSettings(effective, settings satisfies Settings);
  }
  return effective;
}

function toolOverrides(policy: McpLockPolicy | undefined, server: string): ReadonlyMap<string, ToolSettings> {
  const own = policy?.servers && Object.hasOwn(policy.servers, server) ? policy.servers[server] : undefined;
  return new Map(Object.entries(own?.tools ?? {}));
}

/** The policy of one server as resolved at its own level, with its tools' policies on demand. */
export class ServerPolicy {
  readonly server: string;
  /** defaults < servers[server] (what applies to every tool the policy does not name). */
  readonly settings: EffectivePolicy;
  /** The tools the policy names for this server, with their settings as written. */
  readonly tools: ReadonlyMap<string, ToolSettings>;
  private readonly cache = new Map<string, EffectiveToolPolicy>();

  constructor(policy: McpLockPolicy | undefined, server: string) {
    this.server = server;
    this.settings = serverLevel(policy, server);
    this.tools = toolOverrides(policy, server);
  }

  /** The effective policy of one tool (the server's own object when the policy does not name the tool). */
  forTool(tool: string): EffectiveToolPolicy {
    const over = this.tools.get(tool);
    if (!over) return this.settings;
    let hit = this.cache.get(tool);
    if (!hit) {
      hit = mergeSettings(this.settings, over);
      this.cache.set(tool, hit);
    }
    return hit;
  }
}

/** The effective policy of a server (no policy file: the built-in defaults). */
export function resolveServerPolicy(policy: McpLockPolicy | undefined, server: string): ServerPolicy {
  return new ServerPolicy(policy, server);
}

/** The effective policy of one tool of one server: every field filled in. */
export function resolveToolPolicy(
  policy: McpLockPolicy | undefined,
  server: string,
  tool: string,
): EffectiveToolPolicy {
  return new ServerPolicy(policy, server).forTool(tool);
}

/** The server-level policy of a server with no policy file: the defaults. */
export function defaultServerPolicy(server: string): ServerPolicy {
  return new ServerPolicy(undefined, server);
}
