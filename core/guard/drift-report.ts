// How the guard says what it refused: one problem per item (which item, what happened, which digest was
// pinned and which was found, which fields changed), a one-line text for stderr and the JSON-RPC error
// message, and a compact form for the audit log. Every piece of server-controlled text (names, field
// paths, values) goes through visible(), so hidden characters are shown, never rendered.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import type { FieldChange } from '../surface/field-diff.ts';
import type { SurfaceKind } from '../surface/pin.ts';
import { firstDifference } from '../text/first-difference.ts';
import { findHiddenCharacters, type HiddenClass, visible } from '../text/hidden-chars.ts';

export type ProblemStatus =
  | 'changed' // pinned, but the definition differs
  | 'unpinned' // not in the pin at all
  | 'duplicate' // listed twice in one listing
  | 'previously-blocked' // drifted earlier in this session (filter mode keeps it hidden)
  | 'shadowing' // pinned, but has the same name as another locked server's tool
  | 'malformed'; // not an object or without a key

export interface ItemProblem {
  kind: SurfaceKind | 'instructions';
  key: string;
  status: ProblemStatus;
  expected?: string | null;
  found?: string | null;
  changes?: FieldChange[];
  /** Other locked servers that have a tool with this exact name. */
  shadows?: string[];
}

const SINGULAR: Record<SurfaceKind | 'instructions', string> = {
  tools: 'tool',
  prompts: 'prompt',
  resources: 'resource',
  resourceTemplates: 'resource template',
  instructions: 'instructions',
};

export function kindLabel(kind: SurfaceKind | 'instructions'): string {
  return SINGULAR[kind];
}

/** `$.inputSchema.required[1]` → `inputSchema.required[1]`; the root itself is `(the whole value)`. */
export function fieldLabel(path: string): string {
  if (path === '$') return '(the whole value)';
  return visible(path.startsWith('$.') ? path.slice(2) : path.slice(1));
}

/** Field paths grouped by what happened: `changed: description; added: inputSchema.required[1]`. */
export function describeChanges(changes: readonly FieldChange[], max = 8): string {
  const groups: Record<FieldChange['type'], string[]> = { changed: [], added: [], removed: [] };
  for (const c of changes) groups[c.type].push(fieldLabel(c.path));
  const parts: string[] = [];
  let shown = 0;
  for (const type of ['changed', 'added', 'removed'] as const) {
    const paths = groups[type];
    if (paths.length === 0) continue;
    const room = Math.max(0, max - shown);
    const listed = paths.slice(0, room);
    shown += listed.length;
    const more = paths.length - listed.length;
    if (listed.length === 0) continue;
    parts.push(`${type}: ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  if (shown < changes.length && parts.length === 0) parts.push(`${changes.length} fields`);
  return parts.join('; ');
}

function itemName(problem: ItemProblem): string {
  return `${kindLabel(problem.kind)} "${visible(problem.key)}"`;
}

/** One sentence per problem, safe to print: `tool "echo" changed since it was pinned (changed: description)`. */
export function describeProblem(problem: ItemProblem): string {
  if (problem.kind === 'instructions') {
    if (problem.status === 'malformed') return 'the server instructions are not a string';
    if (problem.found === null) return 'the server sent no instructions, but instructions were pinned';
    if (problem.expected === null) return 'the server sent instructions, but none were pinned';
    return 'the server instructions changed since they were pinned';
  }
  const name = itemName(problem);
  let text: string;
  switch (problem.status) {
    case 'changed': {
      const fields = problem.changes && problem.changes.length > 0 ? ` (${describeChanges(problem.changes)})` : '';
      text = `${name} changed since it was pinned${fields}`;
      break;
    }
    case 'unpinned':
      text = `${name} is not pinned (it was not there when the server was reviewed)`;
      break;
    case 'duplicate':
      text = `${name} is listed twice`;
      break;
    case 'previously-blocked':
      text = `${name} drifted earlier in this session`;
      break;
    case 'shadowing':
      text = `${name} has the same name as a tool of ${(problem.shadows ?? []).map((s) => visible(s)).join(', ')}`;
      break;
    case 'malformed':
      text = `${name} is malformed`;
      break;
  }
  if (problem.status !== 'shadowing' && problem.shadows && problem.shadows.length > 0) {
    text += `; it has the same name as a tool of ${problem.shadows.map((s) => visible(s)).join(', ')}`;
  }
  return text;
}

/** The problems of one decision as one sentence (capped), for a JSON-RPC error message. */
export function summarizeProblems(problems: readonly ItemProblem[], max = 5): string {
  const shown = problems.slice(0, max).map(describeProblem);
  const more = problems.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A value shortened to `max` code points and made visible (a string keeps its quotes, nothing is escaped twice). */
function short(value: JsonValue | undefined, max: number): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const points = Array.from(text);
  const cut = points.length > max ? `${points.slice(0, max).join('')}…` : text;
  return typeof value === 'string' ? `"${visible(cut)}"` : visible(cut);
}

function hiddenSummary(value: JsonValue | undefined): string {
  if (typeof value !== 'string') return '';
  const found = findHiddenCharacters(value);
  if (found.length === 0) return '';
  const counts = new Map<HiddenClass, number>();
  for (const h of found) counts.set(h.class, (counts.get(h.class) ?? 0) + 1);
  return ` [hidden characters: ${[...counts].map(([c, n]) => `${c} ×${n}`).join(', ')}]`;
}

/**
 * Detail lines for stderr: the digests and, for the first few changed fields, the pinned and the new value
 * (shortened, with hidden characters shown as \u{…} and counted).
 */
export function problemDetails(problem: ItemProblem, maxFields = 5, maxValue = 160): string[] {
  const lines: string[] = [];
  if (problem.expected !== undefined || problem.found !== undefined) {
    lines.push(`pinned ${problem.expected ?? '(none)'}, found ${problem.found ?? '(none)'}`);
  }
  for (const change of (problem.changes ?? []).slice(0, maxFields)) {
    const label = problem.kind === 'instructions' && change.path === '$' ? 'instructions' : fieldLabel(change.path);
    const { before, after } = change;
    const long =
      typeof before === 'string' && typeof after === 'string' && Math.max(before.length, after.length) > maxValue;
    if (change.type === 'changed' && long) lines.push(...differenceLines(label, before, after, maxValue));
    else if (change.type === 'added')
      lines.push(`+ ${label}: ${short(change.after, maxValue)}${hiddenSummary(change.after)}`);
    else if (change.type === 'removed') lines.push(`- ${label}: ${short(change.before, maxValue)}`);
    else {
      lines.push(
        `~ ${label}: ${short(change.before, maxValue)} → ${short(change.after, maxValue)}${hiddenSummary(change.after)}`,
      );
    }
  }
  return lines;
}

/**
 * A long text that changed, shown where it changed: the same region of the pinned and the new text around
 * the first difference (both cut at one prefix would look identical), hidden characters made visible.
 */
function differenceLines(label: string, before: string, after: string, maxValue: number): string[] {
  const window = firstDifference(before, after, Math.floor(maxValue / 4));
  if (!window) return [];
  return [
    `~ ${label}: first difference at character ${window.offset} of ${before.length} → ${after.length}`,
    `    pinned: "${visible(window.before)}"`,
    `    now:    "${visible(window.after)}"${hiddenSummary(after)}`,
  ];
}

/** The problem as JSON for the audit log and the JSON-RPC error data (field paths, not values). */
export function problemData(problem: ItemProblem): JsonObject {
  const data: JsonObject = { kind: problem.kind, key: problem.key, status: problem.status };
  if (problem.expected !== undefined) data.expected = problem.expected;
  if (problem.found !== undefined) data.found = problem.found;
  if (problem.changes) data.changes = problem.changes.slice(0, 50).map((c) => ({ path: c.path, type: c.type }));
  if (problem.shadows) data.shadows = problem.shadows;
  return data;
}
