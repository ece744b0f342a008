// What changed between two manifests of a server, field by field: what a reviewer reads before an
// update is accepted (CLI `update`/`diff`, the curator's review in the marketplace UI).

import type { McpLockManifest, SurfaceItem, TreeNode } from '../generated/manifest.ts';
import type { JsonValue } from '../json/strict-json.ts';
import { comparePermissions, type PermissionsDiff } from '../permissions/permissions.ts';
import { type FieldChange, fieldDiff } from '../surface/field-diff.ts';
import { SURFACE_KINDS, type SurfaceKind } from '../surface/pin.ts';

export interface ItemChange {
  key: string;
  changes: FieldChange[];
}

export interface KindDiff {
  added: SurfaceItem[];
  removed: SurfaceItem[];
  changed: ItemChange[];
}

export interface PackageDiff {
  from: { identifier: string; version: string; integrity: string } | null;
  to: { identifier: string; version: string; integrity: string } | null;
  added: TreeNode[];
  removed: TreeNode[];
  changed: { location: string; from: string; to: string }[];
}

export interface ManifestDiff {
  server: FieldChange[];
  instructions: FieldChange[];
  surface: Record<SurfaceKind, KindDiff>;
  package: PackageDiff;
  protocolVersion: { from: string; to: string } | null;
  /** Whether the server adds resources at run time (hidden by the guard instead of blocked), when it changed. */
  dynamicResources: { from: boolean; to: boolean } | null;
  /** Wider and narrower permissions; any widening must be reviewed like a changed tool. */
  permissions: PermissionsDiff;
}

function diffItems(before: SurfaceItem[], after: SurfaceItem[]): KindDiff {
  const old = new Map(before.map((i) => [i.key, i]));
  const neu = new Map(after.map((i) => [i.key, i]));
  const result: KindDiff = { added: [], removed: [], changed: [] };
  for (const item of after) {
    const prev = old.get(item.key);
    if (!prev) result.added.push(item);
    else if (prev.digest !== item.digest) {
      result.changed.push({
        key: item.key,
        changes: fieldDiff(prev.definition as JsonValue, item.definition as JsonValue),
      });
    }
  }
  for (const item of before) if (!neu.has(item.key)) result.removed.push(item);
  return result;
}

function diffTree(before: TreeNode[] = [], after: TreeNode[] = []): Pick<PackageDiff, 'added' | 'removed' | 'changed'> {
  const old = new Map(before.map((n) => [n.location, n]));
  const neu = new Map(after.map((n) => [n.location, n]));
  const added = after.filter((n) => !old.has(n.location));
  const removed = before.filter((n) => !neu.has(n.location));
  const changed = after
    .filter(
      (n) =>
        old.has(n.location) &&
        (old.get(n.location)!.version !== n.version || old.get(n.location)!.integrity !== n.integrity),
    )
    .map((n) => ({ location: n.location, from: old.get(n.location)!.version, to: n.version }));
  return { added, removed, changed };
}

export function diffManifests(before: McpLockManifest, after: McpLockManifest): ManifestDiff {
  const surface = Object.fromEntries(
    SURFACE_KINDS.map((k) => [k, diffItems(before.surface[k], after.surface[k])]),
  ) as Record<SurfaceKind, KindDiff>;
  const pkgOf = (m: McpLockManifest) =>
    m.package ? { identifier: m.package.identifier, version: m.package.version, integrity: m.package.integrity } : null;
  return {
    server: fieldDiff(before.server as unknown as JsonValue, after.server as unknown as JsonValue),
    instructions: fieldDiff(before.surface.instructions?.text ?? null, after.surface.instructions?.text ?? null),
    surface,
    package: { from: pkgOf(before), to: pkgOf(after), ...diffTree(before.package?.tree, after.package?.tree) },
    protocolVersion:
      before.surface.protocolVersion === after.surface.protocolVersion
        ? null
        : { from: before.surface.protocolVersion, to: after.surface.protocolVersion },
    dynamicResources:
      Boolean(before.surface.dynamicResources) === Boolean(after.surface.dynamicResources)
        ? null
        : { from: Boolean(before.surface.dynamicResources), to: Boolean(after.surface.dynamicResources) },
    permissions: comparePermissions(before.permissions, after.permissions),
  };
}

/** True when the two manifests pin the same surface (package changes aside). */
export function surfaceUnchanged(diff: ManifestDiff): boolean {
  return (
    diff.instructions.length === 0 &&
    diff.dynamicResources === null &&
    SURFACE_KINDS.every(
      (k) => diff.surface[k].added.length + diff.surface[k].removed.length + diff.surface[k].changed.length === 0,
    )
  );
}
