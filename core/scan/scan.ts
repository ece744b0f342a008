// The scan API: what the CLI, the registry (scan on publish) and add/verify call.
//
//   scanSurface(server, surface, options?)   → ScanFinding[]   one server's tools, prompts, resources,
//                                                               resource templates and instructions
//   scanManifest(manifest, options?)         → ScanFinding[]   the surface recorded in a manifest
//   scanServers(servers, options?)           → ScanFinding[]   several servers plus cross-server shadowing
//   detectShadowing(servers)                 (shadowing.ts)    shadowing only, for add and run
//
// Everything here is pure, deterministic and offline: the same input gives the same findings in the same
// order. Findings carry the item's canonical digest, so applySuppressions (suppressions.ts) can bind an
// accepted finding to exactly that definition.

import { canonicalDigest, type Digest, sha256Hex } from '../canonical/digest.ts';
import type { McpLockManifest } from '../generated/manifest.ts';
import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { instructionsDigest } from '../surface/pin.ts';
import type { ItemInfo, ItemKind } from './context.ts';
import { compareFindings } from './order.ts';
import { DEFAULT_SCAN_LIMITS, type ScanLimits, scanItem } from './scan-item.ts';
import { detectShadowing } from './shadowing.ts';
import type { ScanFinding, ScanSurface } from './types.ts';

export interface ScanOptions {
  limits?: Partial<ScanLimits>;
}

const KINDS = ['tools', 'prompts', 'resources', 'resourceTemplates'] as const;
const KEY: Record<(typeof KINDS)[number], string> = {
  tools: 'name',
  prompts: 'name',
  resources: 'uri',
  resourceTemplates: 'uriTemplate',
};

function keyOf(kind: (typeof KINDS)[number], item: JsonObject, index: number): string {
  const key = item[KEY[kind]];
  return typeof key === 'string' && key.length > 0 ? key : `#${index}`;
}

function digestOf(value: JsonValue): Digest {
  try {
    return canonicalDigest(value);
  } catch {
    // Not I-JSON (it could not have been pinned either): still give the finding a stable identity.
    return `sha256:${sha256Hex(JSON.stringify(value))}`;
  }
}

/** Property and argument names of an item, lower-cased, at any depth of its schemas. */
function paramNames(item: JsonObject): Set<string> {
  const names = new Set<string>();
  const stack: JsonValue[] = [item.inputSchema ?? null, item.outputSchema ?? null];
  let budget = 10_000;
  while (stack.length > 0 && budget-- > 0) {
    const v = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    const props = v.properties;
    if (props && typeof props === 'object' && !Array.isArray(props)) {
      for (const k of Object.keys(props)) names.add(k.toLowerCase());
    }
    stack.push(...Object.values(v));
  }
  if (Array.isArray(item.arguments)) {
    for (const a of item.arguments) {
      if (a && typeof a === 'object' && !Array.isArray(a) && typeof a.name === 'string')
        names.add(a.name.toLowerCase());
    }
  }
  return names;
}

/** Scan one server's surface. */
export function scanSurface(server: string, surface: ScanSurface, options: ScanOptions = {}): ScanFinding[] {
  const limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const names = new Set<string>();
  for (const kind of ['tools', 'prompts'] as const) {
    for (const item of surface[kind] ?? []) if (typeof item.name === 'string') names.add(item.name.toLowerCase());
  }
  const words = new Set<string>();
  for (const n of names) {
    for (const w of n.split(/[^a-z0-9]+/)) {
      if (w.length < 3) continue;
      words.add(w);
      words.add(w.endsWith('s') ? w.slice(0, -1) : `${w}s`);
    }
  }
  const findings: ScanFinding[] = [];
  for (const kind of KINDS) {
    (surface[kind] ?? []).forEach((definition, index) => {
      const key = keyOf(kind, definition, index);
      const self = new Set(kind === 'tools' || kind === 'prompts' ? [key.toLowerCase()] : []);
      const siblings = { has: (n: string) => names.has(n) && !self.has(n) };
      let digest: Digest | null = null;
      let params: Set<string> | null = null;
      const info: ItemInfo = {
        server,
        kind,
        key,
        label: `${kind}/${key}`,
        // Only an item with findings needs its digest (suppressions bind to it): most items have none.
        get digest() {
          digest ??= digestOf(definition);
          return digest;
        },
        self,
        siblings,
        siblingWords: words,
        // Read by a few rules only when a string names something: computed on first use.
        get params() {
          params ??= paramNames(definition);
          return params;
        },
      };
      findings.push(...scanItem(info, definition, limits));
    });
  }
  const instructions = surface.instructions;
  if (typeof instructions === 'string' && instructions.length > 0) {
    const info: ItemInfo = {
      server,
      kind: 'instructions' as ItemKind,
      key: '',
      label: 'instructions',
      digest: instructionsDigest(instructions),
      self: new Set(),
      siblings: names,
      siblingWords: words,
      params: new Set(),
    };
    findings.push(...scanItem(info, instructions, limits));
  }
  return findings.sort(compareFindings);
}

/** The surface a manifest records, in the shape scanSurface reads. */
export function manifestSurface(manifest: McpLockManifest): ScanSurface {
  const s = manifest.surface;
  const defs = (items: { definition: { [k: string]: unknown } }[]) => items.map((i) => i.definition as JsonObject);
  return {
    instructions: s.instructions?.text ?? null,
    tools: defs(s.tools),
    prompts: defs(s.prompts),
    resources: defs(s.resources),
    resourceTemplates: defs(s.resourceTemplates),
  };
}

/** Scan the surface recorded in a manifest, as server `options.server` (default: the manifest's name). */
export function scanManifest(
  manifest: McpLockManifest,
  options: ScanOptions & { server?: string } = {},
): ScanFinding[] {
  return scanSurface(options.server ?? manifest.server.name, manifestSurface(manifest), options);
}

export interface ServerSurface {
  server: string;
  surface: ScanSurface;
}

/** Scan several servers that one client sees together: each surface, plus cross-server shadowing. */
export function scanServers(servers: readonly ServerSurface[], options: ScanOptions = {}): ScanFinding[] {
  const findings = servers.flatMap((s) => scanSurface(s.server, s.surface, options));
  findings.push(...detectShadowing(servers.map((s) => ({ name: s.server, tools: s.surface.tools ?? [] }))));
  return findings.sort(compareFindings);
}
