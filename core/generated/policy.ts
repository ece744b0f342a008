// Generated from schemas/policy.schema.json by scripts/gen-types.ts. Do not edit: change the schema and run npm run gen.

/**
 * Most bytes of one call's serialized arguments.
 *
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "MaxArgumentBytes".
 */
export type MaxArgumentBytes = number;
/**
 * refuse: the call gets an error; stop-session: the server is stopped.
 *
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "OnExceed".
 */
export type OnExceed = 'refuse' | 'stop-session';
/**
 * A JSON pointer into the arguments object (RFC 6901), e.g. /path or /paths/*.
 *
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "ArgumentPointer".
 */
export type ArgumentPointer = string;
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "SecretAction".
 */
export type SecretAction = 'block' | 'audit' | 'off';
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "CallsPerMinute".
 */
export type CallsPerMinute = number;

/**
 * mcp-lock.policy.json: the runtime policy `mcp-lock run` enforces, committed next to mcp-lock.json and reviewed like it. Every setting is optional; resolution is built-in default < defaults < servers[s] < servers[s].tools[t], objects merged key by key, arrays replaced.
 */
export interface McpLockPolicy {
  $schema?: 'https://mcp-lock.dev/schemas/policy.schema.json';
  policyVersion: 1;
  defaults?: Settings;
  /**
   * Settings per server, by its name in mcp-lock.json.
   */
  servers?: {
    [k: string]: ServerSettings;
  };
}
/**
 * Settings for every server and tool.
 */
export interface Settings {
  arguments?: ArgumentSettings;
  results?: ResultSettings;
  secrets?: SecretSettings;
  limits?: LimitSettings;
  confirm?: ConfirmSettings;
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "ArgumentSettings".
 */
export interface ArgumentSettings {
  /**
   * Longest string (in UTF-16 code units) anywhere in a call's arguments, keys included.
   */
  maxStringLength?: number;
  /**
   * Most items of any array anywhere in a call's arguments.
   */
  maxArrayItems?: number;
  /**
   * Arguments (by JSON pointer; `*` matches every array item or object member) that are file paths and must resolve inside an allowed directory.
   */
  paths?: {
    [k: string]: PathAllowList;
  };
  /**
   * Arguments (by JSON pointer; `*` as for paths) that are URLs and must start with an allowed origin and path prefix.
   */
  urls?: {
    [k: string]: UrlAllowList;
  };
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "PathAllowList".
 */
export interface PathAllowList {
  /**
   * Directories the path must resolve inside (after .., percent-encoding, file: URLs and symlinks are resolved). Relative ones are relative to the project root; an empty list allows nothing.
   *
   * @maxItems 100
   */
  allow: string[];
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "UrlAllowList".
 */
export interface UrlAllowList {
  /**
   * URL prefixes (https://host[:port]/prefix): the argument must have this origin and its normalised path must start with this path, at a segment boundary. An empty list allows nothing.
   *
   * @maxItems 100
   */
  allow: string[];
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "ResultSettings".
 */
export interface ResultSettings {
  /**
   * What happens to hidden characters (tag characters, bidi controls, stray zero-width characters, ANSI escapes, control characters) in results for the model: removed, made visible as \u{…} escapes, or left. Always audited.
   */
  hiddenCharacters?: 'remove' | 'escape' | 'off';
  /**
   * structuredContent checked against the pinned tool's outputSchema: enforce answers with an error result, audit forwards and audits.
   */
  outputSchema?: 'enforce' | 'audit' | 'off';
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "SecretSettings".
 */
export interface SecretSettings {
  /**
   * Secrets found in a call's arguments.
   */
  arguments?: 'block' | 'audit' | 'off';
  /**
   * Secrets found in a result.
   */
  results?: 'block' | 'audit' | 'off';
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "LimitSettings".
 */
export interface LimitSettings {
  /**
   * Calls per minute to each tool.
   */
  callsPerMinute?: number;
  /**
   * Calls per minute to all tools of the server together.
   */
  serverCallsPerMinute?: number;
  identicalCalls?: IdenticalCalls;
  maxArgumentBytes?: MaxArgumentBytes;
  onExceed?: OnExceed;
}
/**
 * Loop detection: at most max calls of the same tool with the same arguments (by digest) within windowSeconds.
 *
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "IdenticalCalls".
 */
export interface IdenticalCalls {
  max?: number;
  windowSeconds?: number;
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "ConfirmSettings".
 */
export interface ConfirmSettings {
  /**
   * sensitive: tools with destructiveHint true, or readOnlyHint not true and openWorldHint true.
   */
  when?: 'sensitive' | 'always' | 'never';
  /**
   * When the client did not declare elicitation: allow (audited) or deny.
   */
  withoutElicitation?: 'allow' | 'deny';
  /**
   * No answer within this many seconds declines.
   */
  timeoutSeconds?: number;
}
/**
 * Settings for one server, and per tool below them.
 *
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "ServerSettings".
 */
export interface ServerSettings {
  arguments?: ArgumentSettings;
  results?: ResultSettings;
  secrets?: SecretSettings;
  limits?: LimitSettings;
  confirm?: ConfirmSettings;
  /**
   * Settings per tool of this server, by tool name.
   */
  tools?: {
    [k: string]: ToolSettings;
  };
}
/**
 * Settings for one tool. serverCallsPerMinute is a per-server limit and is not set here.
 *
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "ToolSettings".
 */
export interface ToolSettings {
  arguments?: ArgumentSettings;
  results?: ResultSettings;
  secrets?: SecretSettings;
  limits?: ToolLimitSettings;
  confirm?: ConfirmSettings;
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "ToolLimitSettings".
 */
export interface ToolLimitSettings {
  /**
   * Calls per minute to this tool.
   */
  callsPerMinute?: number;
  identicalCalls?: IdenticalCalls;
  maxArgumentBytes?: MaxArgumentBytes;
  onExceed?: OnExceed;
}
/**
 * This interface was referenced by `McpLockPolicy`'s JSON-Schema
 * via the `definition` "Settings".
 */
export interface Settings1 {
  arguments?: ArgumentSettings;
  results?: ResultSettings;
  secrets?: SecretSettings;
  limits?: LimitSettings;
  confirm?: ConfirmSettings;
}
