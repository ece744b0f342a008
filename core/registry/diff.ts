// What changed between two manifests of one server, item by item and field by field: what a curator
// reviews before approving a new version (tools, prompts, resources, templates, instructions, the
// server.json part and the pinned package).

import type { McpLockManifest, SurfaceItem } from '../generated/manifest.ts';
import type { JsonValue } from '../json/strict-json.ts';
import { type FieldChange, fieldDiff } from '../surface/field-diff.ts';
import { SURFACE_KINDS } from '../surface/pin.ts';

export interface SurfaceChange {
  kind: 'instructions' | 'tools' | 'prompts' | 'resources' | 'resourceTemplates' | 'server' | 'package';
  key: string;
  type: 'added' | 'removed' | 'changed';
  fields?: FieldChange[];
}

const asJson = (value: unknown) => value as JsonValue | undefined;

function withoutTree(pkg: McpLockManifest['package']): Omit<NonNullable<McpLockManifest['package']>, 'tree'> | null {
  if (!pkg) return null;
  const { tree: _tree, ...rest } = pkg;
  return rest;
}

export function diffManifests(before: McpLockManifest, after: McpLockManifest): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const serverFields = fieldDiff(asJson(before.server), asJson(after.server));
  if (serverFields.length > 0) {
    changes.push({ kind: 'server', key: after.server.name, type: 'changed', fields: serverFields });
  }
  // The tree is compared by its digest (a field of the package); listing every node change is the CLI's job.
  const pkgFields = fieldDiff(asJson(withoutTree(before.package)), asJson(withoutTree(after.package)));
  if (pkgFields.length > 0) {
    const key = after.package?.identifier ?? before.package?.identifier ?? '';
    changes.push({ kind: 'package', key, type: 'changed', fields: pkgFields });
  }

  const ib = before.surface.instructions;
  const ia = after.surface.instructions;
  if ((ib?.digest ?? null) !== (ia?.digest ?? null)) {
    changes.push({
      kind: 'instructions',
      key: 'instructions',
      type: ib === null ? 'added' : ia === null ? 'removed' : 'changed',
      fields: fieldDiff(asJson(ib?.text), asJson(ia?.text)),
    });
  }

  for (const kind of SURFACE_KINDS) {
    const old = new Map<string, SurfaceItem>(before.surface[kind].map((i) => [i.key, i]));
    const now = new Map<string, SurfaceItem>(after.surface[kind].map((i) => [i.key, i]));
    const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
    for (const key of keys) {
      const a = old.get(key);
      const b = now.get(key);
      if (a && b && a.digest === b.digest) continue;
      changes.push({
        kind,
        key,
        type: !a ? 'added' : !b ? 'removed' : 'changed',
        fields: fieldDiff(asJson(a?.definition), asJson(b?.definition)),
      });
    }
  }
  return changes;
}
