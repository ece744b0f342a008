// Cross-server shadowing as the run-time guard needs it. The findings come from the scan (shadowingOf the
// running server among every server pinned in the same lock, with their pinned tool definitions). An exact name
// collision lets one server answer calls the model meant for the other, so those tools are hidden and
// refused unless the user allows shadowing or the lock accepts that exact finding (a suppression bound to
// the tool's digest). Case and punctuation variants, look-alike names and descriptions that name another
// server's tools are reported, not blocked.

import type { JsonObject } from '../json/strict-json.ts';
import { BLOCKING_SHADOW_RULES, shadowingOf } from '../scan/shadowing.ts';
import { applySuppressions } from '../scan/suppressions.ts';
import type { ScanFinding, SuppressedFinding, Suppression } from '../scan/types.ts';

export interface ServerTools {
  name: string;
  tools: readonly JsonObject[];
}

export interface ShadowingContext {
  /** Tool names of other pinned servers → the servers that have them (to annotate unpinned tools). */
  otherTools: Map<string, string[]>;
  /** Pinned tools of this server that collide exactly with another server's tool (hidden and refused). */
  blocked: Map<string, string[]>;
  /** Exact collisions that are only reported (--allow-shadowing, or accepted in the lock). */
  allowed: Map<string, string[]>;
  /**
   * Findings that involve this server and are reported, not enforced: variants, look-alikes and mentions
   * on its tools, and other servers' tools that name or steer its tools (finding.server says whose).
   */
  reported: ScanFinding[];
  /** Findings the lock accepts (suppressions bound to the tool's digest). */
  suppressed: SuppressedFinding[];
}

const toolOf = (finding: ScanFinding) => finding.item.replace(/^tools\//, '');

export function shadowingContext(
  self: ServerTools,
  others: readonly ServerTools[],
  options: { allow?: boolean; suppressions?: readonly Suppression[] } = {},
): ShadowingContext {
  const peers = others.filter((o) => o.name !== self.name);
  // Shadowing is between servers: every rule needs a tool of another one. Alone in its lock, a server
  // shadows nothing, and its own listing (20,000 tools for some) need not be digested for it.
  if (peers.length === 0) return emptyShadowing();
  const otherTools = new Map<string, string[]>();
  for (const other of peers) {
    for (const name of new Set(other.tools.map((t) => t.name).filter((n) => typeof n === 'string'))) {
      const list = otherTools.get(name as string);
      if (list) list.push(other.name);
      else otherTools.set(name as string, [other.name]);
    }
  }
  // Everything that involves this server: findings on its tools, and on other servers' tools that point
  // at it (another server's description steering one of its tools). The mirror image of an exact
  // collision (the other server's finding) adds nothing to ours.
  const involved = shadowingOf(self.name, [self, ...peers]).filter(
    (f) => f.server === self.name || !BLOCKING_SHADOW_RULES.has(f.rule),
  );
  const { active, suppressed } = applySuppressions(involved, options.suppressions ?? []);
  const blocked = new Map<string, string[]>();
  const allowed = new Map<string, string[]>();
  for (const f of [...active, ...suppressed]) {
    if (!BLOCKING_SHADOW_RULES.has(f.rule)) continue;
    const tool = toolOf(f);
    const servers = [...(otherTools.get(tool) ?? [])].sort();
    const accepted = options.allow || suppressed.includes(f as SuppressedFinding);
    (accepted ? allowed : blocked).set(tool, servers);
  }
  return {
    otherTools,
    blocked,
    allowed,
    reported: active.filter((f) => !BLOCKING_SHADOW_RULES.has(f.rule)),
    suppressed,
  };
}

export function emptyShadowing(): ShadowingContext {
  return { otherTools: new Map(), blocked: new Map(), allowed: new Map(), reported: [], suppressed: [] };
}
