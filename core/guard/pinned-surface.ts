// What the guard enforces for one server: the digests of its pinned surface, the reviewed definitions
// (so a drift can be reported field by field), and its resource templates compiled for matching URIs.

import type { Surface } from '../generated/manifest.ts';
import type { JsonObject } from '../json/strict-json.ts';
import { SURFACE_KINDS, type SurfaceKind, type SurfacePins, surfacePins } from '../surface/pin.ts';
import { compileUriTemplate, matchesTemplate, type UriTemplateMatcher } from './uri-template.ts';

export interface PinnedSurface {
  pins: SurfacePins;
  definitions: Record<SurfaceKind, Map<string, JsonObject>>;
  instructions: string | null;
  /** The pin says the server adds resources at run time: an unpinned resource is hidden, not drift. */
  dynamicResources: boolean;
  templates: { key: string; pattern: UriTemplateMatcher | null }[];
}

export function pinnedSurface(surface: Surface): PinnedSurface {
  const definitions = {} as Record<SurfaceKind, Map<string, JsonObject>>;
  for (const kind of SURFACE_KINDS) {
    definitions[kind] = new Map(surface[kind].map((item) => [item.key, item.definition as JsonObject]));
  }
  return {
    pins: surfacePins(surface),
    definitions,
    instructions: surface.instructions?.text ?? null,
    dynamicResources: surface.dynamicResources === true,
    templates: surface.resourceTemplates.map((t) => ({ key: t.key, pattern: compileUriTemplate(t.key) })),
  };
}

export function isPinned(surface: PinnedSurface, kind: SurfaceKind, key: string): boolean {
  return Object.hasOwn(surface.pins[kind], key);
}

/** The pinned resource templates a URI is an expansion of. */
export function matchingTemplates(surface: PinnedSurface, uri: string): string[] {
  return surface.templates.filter((t) => matchesTemplate(t.pattern, uri)).map((t) => t.key);
}
