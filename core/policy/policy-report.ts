// What a reviewer needs to see of the runtime policy, computed purely for `verify`, `list` and `diff`:
// which settings differ from the built-in defaults (per server and per named tool), which tools will ask
// for confirmation, which path-like arguments have no allow-list, and which names in the policy are not in
// the lock (a typo there silently applies nothing).

import type { Finding } from '../errors.ts';
import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { escapeSegment } from './json-pointer.ts';
import { DEFAULT_POLICY, type EffectivePolicy, type McpLockPolicy, POLICY_FILE } from './policy-types.ts';
import type { ServerPolicy } from './resolve-policy.ts';

export interface ChangedSetting {
  /** Dotted setting path (`results.hiddenCharacters`, `arguments.paths./path`). */
  setting: string;
  value: JsonValue;
}

export interface ServerPolicyView {
  server: string;
  /** Server-level settings that differ from the built-in defaults. */
  changed: ChangedSetting[];
  /** Per named tool: its settings that differ from the server level. */
  tools: Record<string, ChangedSetting[]>;
  /** Pinned tools that will ask a person before each call (policy confirm.when and the tool's hints). */
  confirm: string[];
  /** Path-like arguments of pinned tools with no path allow-list (`tool` and argument pointer). */
  unguardedPaths: { tool: string; pointer: string }[];
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Leaves by dotted path; a path or URL rule (`arguments.paths.<pointer>`) is one leaf. */
function flatten(value: unknown, path: readonly string[], out: Map<string, JsonValue>): void {
  const rule = path.length === 3 && path[0] === 'arguments' && (path[1] === 'paths' || path[1] === 'urls');
  if (!rule && isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, [...path, k], out);
  } else {
    out.set(path.join('.'), value as JsonValue);
  }
}

/** The settings of `effective` that differ from `base`, sorted by path. */
export function changedSettings(effective: EffectivePolicy, base: EffectivePolicy = DEFAULT_POLICY): ChangedSetting[] {
  const a = new Map<string, JsonValue>();
  const b = new Map<string, JsonValue>();
  flatten(effective, [], a);
  flatten(base, [], b);
  const changed: ChangedSetting[] = [];
  for (const [setting, value] of a) {
    if (JSON.stringify(value) !== JSON.stringify(b.get(setting))) changed.push({ setting, value });
  }
  return changed.sort((x, y) => (x.setting < y.setting ? -1 : x.setting > y.setting ? 1 : 0));
}

/** Whether the guard asks before a call of this tool, under confirm.when. */
export function needsConfirmation(when: EffectivePolicy['confirm']['when'], definition: JsonObject): boolean {
  if (when === 'always') return true;
  if (when === 'never') return false;
  const hints = isObject(definition.annotations) ? definition.annotations : {};
  return hints.destructiveHint === true || (hints.readOnlyHint !== true && hints.openWorldHint === true);
}

const PATH_LIKE = /(^|[_-])(path|paths|file|files|filename|dir|dirs|directory|folder|root|source|destination|cwd)$/i;

/** Top-level string (or string-array) arguments named like paths: `/path`, `/paths/*`. */
export function pathLikeArguments(definition: JsonObject): string[] {
  const schema = isObject(definition.inputSchema) ? definition.inputSchema : {};
  const props = isObject(schema.properties) ? schema.properties : {};
  const out: string[] = [];
  for (const [name, prop] of Object.entries(props)) {
    if (!isObject(prop) || !PATH_LIKE.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'))) continue;
    const pointer = `/${escapeSegment(name)}`;
    if (prop.type === 'string') out.push(pointer);
    else if (prop.type === 'array' && isObject(prop.items) && prop.items.type === 'string') out.push(`${pointer}/*`);
  }
  return out;
}

/** The view of one server's policy over its pinned tool definitions. */
export function describeServerPolicy(sp: ServerPolicy, tools: readonly JsonObject[]): ServerPolicyView {
  const named: Record<string, ChangedSetting[]> = {};
  for (const tool of sp.tools.keys()) named[tool] = changedSettings(sp.forTool(tool), sp.settings);
  const confirm: string[] = [];
  const unguardedPaths: ServerPolicyView['unguardedPaths'] = [];
  for (const def of tools) {
    if (typeof def.name !== 'string') continue;
    const policy = sp.forTool(def.name);
    if (needsConfirmation(policy.confirm.when, def)) confirm.push(def.name);
    for (const pointer of pathLikeArguments(def)) {
      if (!Object.hasOwn(policy.arguments.paths, pointer)) unguardedPaths.push({ tool: def.name, pointer });
    }
  }
  return { server: sp.server, changed: changedSettings(sp.settings), tools: named, confirm, unguardedPaths };
}

const MAX_SHOWN = 8;

function shortList(items: readonly string[]): string {
  const shown = items.slice(0, MAX_SHOWN).join(', ');
  return items.length > MAX_SHOWN ? `${shown} … (${items.length} in all)` : shown;
}

function settingText(c: ChangedSetting): string {
  return `${c.setting}=${JSON.stringify(c.value)}`;
}

/** A few lines for a terminal (the caller escapes them as untrusted text). */
export function policyLines(view: ServerPolicyView, hasFile: boolean): string[] {
  const lines: string[] = [];
  const tools = Object.entries(view.tools).filter(([, c]) => c.length > 0);
  if (view.changed.length === 0 && tools.length === 0) {
    lines.push(hasFile ? 'policy: the built-in defaults' : `policy: the built-in defaults (no ${POLICY_FILE})`);
  } else {
    lines.push(`policy: ${view.changed.length ? view.changed.map(settingText).join('; ') : 'defaults'}`);
    for (const [tool, changed] of tools) lines.push(`  tool ${tool}: ${changed.map(settingText).join('; ')}`);
  }
  if (view.confirm.length > 0) lines.push(`asks before calling: ${shortList(view.confirm)}`);
  if (view.unguardedPaths.length > 0) {
    lines.push(
      `path arguments without an allow-list: ${shortList(view.unguardedPaths.map((u) => `${u.tool} ${u.pointer}`))}`,
    );
  }
  return lines;
}

/**
 * Names in the policy that the lock does not have: a server not pinned, or a tool its pinned manifest
 * does not define (`tools` undefined: the manifest could not be read, so its tools are not checked).
 */
export function checkPolicyNames(
  policy: McpLockPolicy,
  pinned: ReadonlyMap<string, readonly string[] | undefined>,
): Finding[] {
  const findings: Finding[] = [];
  for (const [server, own] of Object.entries(policy.servers ?? {})) {
    const at = `/servers/${escapeSegment(server)}`;
    if (!pinned.has(server)) {
      findings.push({
        code: 'NOT_FOUND',
        path: `${POLICY_FILE}#${at}`,
        message: `${POLICY_FILE} sets a policy for ${server}, which is not in mcp-lock.json (the setting applies to nothing)`,
        severity: 'warning',
      });
      continue;
    }
    const tools = pinned.get(server);
    if (!tools) continue;
    for (const tool of Object.keys(own.tools ?? {})) {
      if (tools.includes(tool)) continue;
      findings.push({
        code: 'NOT_FOUND',
        path: `${POLICY_FILE}#${at}/tools/${escapeSegment(tool)}`,
        message: `${POLICY_FILE} sets a policy for tool "${tool}" of ${server}, which its pin does not have`,
        severity: 'warning',
      });
    }
  }
  return findings;
}

export interface PolicyDiff {
  /** Tools of the other version that will ask before calls and did not before (or are new). */
  newConfirm: string[];
  /** Path-like arguments of the other version without an allow-list that the pin did not have. */
  newUnguardedPaths: { tool: string; pointer: string }[];
  /** Tools the policy names that the other version no longer has. */
  orphanedTools: string[];
}

/** How the same policy lands on another version of a server's tools. */
export function diffServerPolicy(
  sp: ServerPolicy,
  pinned: readonly JsonObject[],
  other: readonly JsonObject[],
): PolicyDiff {
  const before = describeServerPolicy(sp, pinned);
  const after = describeServerPolicy(sp, other);
  const key = (u: { tool: string; pointer: string }) => `${u.tool}\u0000${u.pointer}`;
  const had = new Set(before.unguardedPaths.map(key));
  const names = new Set(other.map((d) => d.name));
  return {
    newConfirm: after.confirm.filter((t) => !before.confirm.includes(t)),
    newUnguardedPaths: after.unguardedPaths.filter((u) => !had.has(key(u))),
    orphanedTools: [...sp.tools.keys()].filter((t) => !names.has(t)),
  };
}
