// Human rendering of a ManifestDiff: one line per changed field, values made visible (hidden, control,
// bidi and tag characters as \u{…}) and flagged, so a reviewer cannot be shown one text and approve another.

import type { JsonValue } from '../../core/json/strict-json.ts';
import type { ManifestDiff } from '../../core/manifest/manifest-diff.ts';
import type { FieldChange } from '../../core/surface/field-diff.ts';
import { SURFACE_KINDS } from '../../core/surface/pin.ts';
import { findHiddenCharacters, visible } from '../../core/text/hidden-chars.ts';

const MAX_VALUE = 240;

function hiddenNote(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const found = findHiddenCharacters(text);
  if (found.length === 0) return '';
  const counts = new Map<string, number>();
  for (const h of found) counts.set(h.class, (counts.get(h.class) ?? 0) + 1);
  return `  [hidden characters: ${[...counts].map(([c, n]) => `${c} ×${n}`).join(', ')}]`;
}

export function showValue(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  const text = visible(typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…(${text.length - MAX_VALUE} more)` : text;
}

export function renderFieldChange(change: FieldChange, indent: string): string {
  const path = visible(change.path);
  if (change.type === 'added') return `${indent}+ ${path}: ${showValue(change.after)}${hiddenNote(change.after)}`;
  if (change.type === 'removed') return `${indent}- ${path}: ${showValue(change.before)}`;
  return `${indent}~ ${path}: ${showValue(change.before)} → ${showValue(change.after)}${hiddenNote(change.after)}`;
}

/** How the guard treats a resource the server adds at run time, for a reviewer. */
export function dynamicResourcesLabel(dynamic: boolean): string {
  return dynamic ? 'hidden (the pin says the server adds resources at run time)' : 'drift (blocked by default)';
}

export function renderManifestDiff(diff: ManifestDiff): string[] {
  const lines: string[] = [];
  if (diff.server.length) {
    lines.push('server');
    for (const c of diff.server) lines.push(renderFieldChange(c, '  '));
  }
  if (diff.protocolVersion) lines.push(`protocol ${diff.protocolVersion.from} → ${diff.protocolVersion.to}`);
  if (diff.dynamicResources)
    lines.push(
      `resources added at run time: ${dynamicResourcesLabel(diff.dynamicResources.from)} → ${dynamicResourcesLabel(diff.dynamicResources.to)}`,
    );
  if (diff.instructions.length) {
    lines.push('instructions');
    for (const c of diff.instructions) lines.push(renderFieldChange({ ...c, path: 'instructions' }, '  '));
  }
  for (const kind of SURFACE_KINDS) {
    const k = diff.surface[kind];
    if (k.added.length + k.removed.length + k.changed.length === 0) continue;
    lines.push(kind);
    for (const item of k.added) {
      const description = (item.definition as { description?: unknown }).description;
      lines.push(
        `  + ${visible(item.key)}${typeof description === 'string' ? `: ${showValue(description)}` : ''}${hiddenNote(item.definition as JsonValue)}`,
      );
    }
    for (const item of k.removed) lines.push(`  - ${visible(item.key)}`);
    for (const item of k.changed) {
      lines.push(`  ~ ${visible(item.key)}`);
      for (const c of item.changes) lines.push(renderFieldChange(c, '      '));
    }
  }
  const p = diff.package;
  if (
    p.from?.version !== p.to?.version ||
    p.from?.integrity !== p.to?.integrity ||
    p.added.length + p.removed.length + p.changed.length > 0
  ) {
    lines.push('package');
    lines.push(
      `  ${p.from ? `${p.from.identifier}@${p.from.version}` : '(none)'} → ${p.to ? `${p.to.identifier}@${p.to.version}` : '(none)'}`,
    );
    for (const n of p.added) lines.push(`  + ${visible(n.location)} ${visible(n.version)}`);
    for (const n of p.removed) lines.push(`  - ${visible(n.location)} ${visible(n.version)}`);
    for (const n of p.changed) lines.push(`  ~ ${visible(n.location)} ${visible(n.from)} → ${visible(n.to)}`);
  }
  const perms = diff.permissions;
  if (perms.widened.length + perms.narrowed.length > 0) {
    lines.push(perms.widened.length ? 'permissions  WIDENED: review what the server may now reach' : 'permissions');
    for (const c of perms.widened) lines.push(`  + ${c.field}: ${visible(c.value)}  [wider]`);
    for (const c of perms.narrowed) lines.push(`  - ${c.field}: ${visible(c.value)}`);
  }
  if (lines.length === 0) lines.push('no changes');
  return lines;
}
