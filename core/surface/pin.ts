// The surface of an MCP server (what goes into the model's context) turned into pins: each tool, prompt,
// resource and resource template exactly as received, keyed, canonicalised and hashed, plus the
// server instructions. List order and pagination do not matter; two items with one key is an error.

import { canonicalDigest, type Digest } from '../canonical/digest.ts';
import { McpLockError } from '../errors.ts';
import type { Coverage, Surface, SurfaceItem } from '../generated/manifest.ts';
import type { JsonObject } from '../json/strict-json.ts';

export const SURFACE_KINDS = ['tools', 'prompts', 'resources', 'resourceTemplates'] as const;
export type SurfaceKind = (typeof SURFACE_KINDS)[number];

/** The field that identifies an item of each kind. */
export const KEY_FIELD: Record<SurfaceKind, string> = {
  tools: 'name',
  prompts: 'name',
  resources: 'uri',
  resourceTemplates: 'uriTemplate',
};

/** The list method and result field of each kind, in every protocol era. */
export const LIST_METHOD: Record<SurfaceKind, { method: string; field: string; capability: string }> = {
  tools: { method: 'tools/list', field: 'tools', capability: 'tools' },
  prompts: { method: 'prompts/list', field: 'prompts', capability: 'prompts' },
  resources: { method: 'resources/list', field: 'resources', capability: 'resources' },
  resourceTemplates: { method: 'resources/templates/list', field: 'resourceTemplates', capability: 'resources' },
};

export const FULL_COVERAGE: Coverage = {
  canonicalization: 'RFC8785',
  digest: 'sha256',
  scope: 'wire-object',
  kinds: ['instructions', 'tools', 'prompts', 'resources', 'resourceTemplates'],
};

/** Everything introspection saw, exactly as parsed from the wire. */
export interface SurfaceSnapshot {
  protocolVersion: string;
  instructions: string | null;
  tools: JsonObject[];
  prompts: JsonObject[];
  resources: JsonObject[];
  resourceTemplates: JsonObject[];
  serverInfo?: JsonObject;
  capabilities?: JsonObject;
}

/** The key of one item, or an error naming what is missing. */
export function itemKey(kind: SurfaceKind, item: unknown): string {
  const field = KEY_FIELD[kind];
  const key = item && typeof item === 'object' && !Array.isArray(item) ? (item as JsonObject)[field] : undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 2048) {
    throw new McpLockError('SERVER_PROTOCOL_ERROR', `an item of ${kind} has no valid "${field}"`, {
      hint: 'The server sent a malformed list; it cannot be pinned.',
      data: { kind, field },
    });
  }
  return key;
}

export function instructionsDigest(text: string): Digest {
  return canonicalDigest(text);
}

/** Pin the items of one kind: key, digest and definition, sorted by key (UTF-16 order, like RFC 8785). */
export function pinItems(kind: SurfaceKind, items: readonly JsonObject[]): SurfaceItem[] {
  const seen = new Set<string>();
  const pinned: SurfaceItem[] = [];
  for (const definition of items) {
    const key = itemKey(kind, definition);
    if (seen.has(key)) {
      throw new McpLockError('SURFACE_DUPLICATE_NAME', `the server lists two ${kind} with the key "${key}"`, {
        hint: 'Names must be unique within a server; a duplicate could shadow the reviewed definition.',
        data: { kind, key },
      });
    }
    seen.add(key);
    pinned.push({ key, digest: canonicalDigest(definition), definition });
  }
  return pinned.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface PinOptions {
  /** The server adds resources at run time (declared by the publisher, or by whoever pins it TOFU). */
  dynamicResources?: boolean;
}

export function pinSurface(snapshot: SurfaceSnapshot, options: PinOptions = {}): Surface {
  const surface: Surface = {
    protocolVersion: snapshot.protocolVersion,
    coverage: FULL_COVERAGE,
    instructions:
      snapshot.instructions === null
        ? null
        : { digest: instructionsDigest(snapshot.instructions), text: snapshot.instructions },
    tools: pinItems('tools', snapshot.tools),
    prompts: pinItems('prompts', snapshot.prompts),
    resources: pinItems('resources', snapshot.resources),
    resourceTemplates: pinItems('resourceTemplates', snapshot.resourceTemplates),
  };
  if (snapshot.serverInfo) surface.serverInfo = snapshot.serverInfo;
  if (snapshot.capabilities) surface.capabilities = snapshot.capabilities;
  if (options.dynamicResources) surface.dynamicResources = true;
  return surface;
}

/** The digests of a surface by kind and key: what a lock entry records. */
export interface SurfacePins {
  protocolVersion: string;
  coverage: Coverage;
  instructions: Digest | null;
  tools: Record<string, Digest>;
  prompts: Record<string, Digest>;
  resources: Record<string, Digest>;
  resourceTemplates: Record<string, Digest>;
}

export function surfacePins(surface: Surface): SurfacePins {
  const map = (items: SurfaceItem[]) => Object.fromEntries(items.map((i) => [i.key, i.digest as Digest]));
  return {
    protocolVersion: surface.protocolVersion,
    coverage: surface.coverage,
    instructions: (surface.instructions?.digest as Digest | undefined) ?? null,
    tools: map(surface.tools),
    prompts: map(surface.prompts),
    resources: map(surface.resources),
    resourceTemplates: map(surface.resourceTemplates),
  };
}

/** Kinds (and instructions) that `pinned` covered but `current` does not: any is a downgrade, i.e. drift. */
export function coverageDowngrade(pinned: Coverage, current: Coverage): string[] {
  const lost: string[] = pinned.kinds.filter((k) => !current.kinds.includes(k));
  if (pinned.scope !== current.scope) lost.push(`scope:${pinned.scope}`);
  if (pinned.canonicalization !== current.canonicalization) lost.push(`canonicalization:${pinned.canonicalization}`);
  if (pinned.digest !== current.digest) lost.push(`digest:${pinned.digest}`);
  return lost;
}
