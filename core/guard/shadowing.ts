// Cross-server shadowing as the run-time guard needs it: which tool names of the running server are also
// tool names of another server pinned in the same lock. An exact collision lets one server answer calls
// the model meant for the other (or steer it with a look-alike description), so those tools are hidden
// and refused unless the user allows shadowing. Finer kinds (case, punctuation, confusables, mentions)
// come from core/scan and are reported, not blocked.

export interface ServerTools {
  name: string;
  tools: readonly string[];
}

export interface ShadowingContext {
  /** Tool names of other pinned servers → the servers that have them. */
  otherTools: Map<string, string[]>;
  /** Pinned tools of this server that collide exactly with another server's tool (hidden and refused). */
  blocked: Map<string, string[]>;
  /** Exact collisions that are only reported (shadowing allowed by the user). */
  allowed: Map<string, string[]>;
}

export function shadowingContext(self: ServerTools, others: readonly ServerTools[], allow = false): ShadowingContext {
  const otherTools = new Map<string, string[]>();
  for (const other of others) {
    if (other.name === self.name) continue;
    for (const tool of new Set(other.tools)) {
      const list = otherTools.get(tool);
      if (list) list.push(other.name);
      else otherTools.set(tool, [other.name]);
    }
  }
  const collisions = new Map<string, string[]>();
  for (const tool of self.tools) {
    const servers = otherTools.get(tool);
    if (servers) collisions.set(tool, [...servers].sort());
  }
  return {
    otherTools,
    blocked: allow ? new Map() : collisions,
    allowed: allow ? collisions : new Map(),
  };
}

export function emptyShadowing(): ShadowingContext {
  return { otherTools: new Map(), blocked: new Map(), allowed: new Map() };
}
