// The effective runtime policy: every setting of mcp-lock.policy.json filled in, and the built-in defaults
// that apply where the file (or the whole file) says nothing. The defaults are generous on purpose: they
// stop floods and obvious abuse without breaking a normal session; a project tightens them per server or
// tool. README "Runtime policy" documents this table; keep the two in step.

import type {
  ConfirmSettings,
  IdenticalCalls,
  LimitSettings,
  ResultSettings,
  SecretSettings,
} from '../generated/policy.ts';

export type {
  McpLockPolicy,
  ServerSettings,
  Settings,
  ToolSettings,
} from '../generated/policy.ts';

export const POLICY_FILE = 'mcp-lock.policy.json';
export const POLICY_SCHEMA_URL = 'https://mcp-lock.dev/schemas/policy.schema.json';
/** Strict-JSON bounds for the policy file: it is small and hand-written. */
export const POLICY_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 16 };

export interface AllowList {
  readonly allow: readonly string[];
}

export interface EffectiveArguments {
  maxStringLength: number;
  maxArrayItems: number;
  /** Argument JSON pointer (with `*` segments) → directories the path must resolve inside. */
  paths: Readonly<Record<string, AllowList>>;
  /** Argument JSON pointer (with `*` segments) → URL prefixes the URL must start with. */
  urls: Readonly<Record<string, AllowList>>;
}

export interface EffectiveLimits {
  callsPerMinute: number;
  serverCallsPerMinute: number;
  identicalCalls: Required<IdenticalCalls>;
  maxArgumentBytes: number;
  onExceed: NonNullable<LimitSettings['onExceed']>;
}

/** The policy for one tool of one server (or a server's own level): every field present. */
export interface EffectivePolicy {
  arguments: EffectiveArguments;
  results: Required<ResultSettings>;
  secrets: Required<SecretSettings>;
  limits: EffectiveLimits;
  confirm: Required<ConfirmSettings>;
}

export type EffectiveToolPolicy = EffectivePolicy;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The built-in defaults (README "Runtime policy"). Frozen: resolved policies share its objects. */
export const DEFAULT_POLICY: EffectivePolicy = deepFreeze({
  arguments: { maxStringLength: 1024 * 1024, maxArrayItems: 10_000, paths: {}, urls: {} },
  results: { hiddenCharacters: 'remove', outputSchema: 'enforce' },
  secrets: { arguments: 'block', results: 'audit' },
  limits: {
    callsPerMinute: 600,
    serverCallsPerMinute: 1200,
    identicalCalls: { max: 20, windowSeconds: 60 },
    maxArgumentBytes: 4 * 1024 * 1024,
    onExceed: 'refuse',
  },
  confirm: { when: 'sensitive', withoutElicitation: 'allow', timeoutSeconds: 120 },
} satisfies EffectivePolicy);
