// Suppressions: findings a reviewer accepted, each bound to the exact digest of the item it was accepted
// for. A changed item has another digest, so its suppression no longer matches and the finding is back.
// The lock carries them (`suppressions` in mcp-lock.json); `scan --suppressions <file>` reads a file
// holding either `{ "suppressions": [...] }` or a bare array of the same entries.

import { McpLockError } from '../errors.ts';
import { parseStrictJson } from '../json/strict-json.ts';
import { checkSchema, LOCK_SCHEMA_ID } from '../schema/validate.ts';
import type { ScanFinding, SuppressedFinding, Suppression } from './types.ts';

export interface SuppressionResult {
  active: ScanFinding[];
  suppressed: SuppressedFinding[];
  /** Suppressions that matched no finding: the item changed (new digest), the finding is gone, or a typo. */
  unused: Suppression[];
}

const keyOf = (s: { rule: string; server: string; item: string; digest: string }) =>
  `${s.rule}\u0000${s.server}\u0000${s.item}\u0000${s.digest}`;

export function applySuppressions(
  findings: readonly ScanFinding[],
  suppressions: readonly Suppression[],
): SuppressionResult {
  const byKey = new Map<string, Suppression>();
  for (const s of suppressions) if (!byKey.has(keyOf(s))) byKey.set(keyOf(s), s);
  const used = new Set<string>();
  const active: ScanFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const key = keyOf(f);
    const s = byKey.get(key);
    if (s) {
      used.add(key);
      suppressed.push({ ...f, suppression: { reason: s.reason } });
    } else {
      active.push(f);
    }
  }
  const unused = suppressions.filter((s) => !used.has(keyOf(s)));
  return { active, suppressed, unused };
}

/** A suppression entry that accepts exactly this finding (for a reviewer to paste into the lock). */
export function suppressionFor(finding: ScanFinding, reason: string): Suppression {
  return { rule: finding.rule, server: finding.server, item: finding.item, digest: finding.digest, reason };
}

const SUPPRESSION_SCHEMA = `${LOCK_SCHEMA_ID}#/$defs/Suppression`;
const MAX_SUPPRESSIONS = 10_000;

/** Read a standalone suppressions file strictly: `{ "suppressions": [...] }` or `[...]`. */
export function parseSuppressions(bytes: string | Uint8Array, what = 'suppressions file'): Suppression[] {
  const doc = parseStrictJson(bytes, what, { maxBytes: 16 * 1024 * 1024, maxDepth: 8 });
  const list = Array.isArray(doc)
    ? doc
    : doc &&
        typeof doc === 'object' &&
        Array.isArray(doc.suppressions) &&
        Object.keys(doc).every((k) => k === 'suppressions' || k === '$schema')
      ? doc.suppressions
      : null;
  if (!list) {
    throw new McpLockError(
      'CONFIG_INVALID',
      `${what} must be a JSON array of suppressions or { "suppressions": [...] }`,
      {
        hint: 'Each entry is {rule, server, item, digest, reason}, as printed by `mcp-lock scan --json`.',
      },
    );
  }
  if (list.length > MAX_SUPPRESSIONS) {
    throw new McpLockError('LIMIT_EXCEEDED', `${what} holds more than ${MAX_SUPPRESSIONS} suppressions`);
  }
  list.forEach((entry, i) => {
    const problems = checkSchema(SUPPRESSION_SCHEMA, entry, 'CONFIG_INVALID');
    if (problems.length > 0) {
      const first = problems[0]!;
      throw new McpLockError(
        'CONFIG_INVALID',
        `${what}: entry ${i} ${first.path.replace(/^\$/, '')} ${first.message}`.replace(/ {2,}/g, ' '),
        {
          hint: 'Each entry is {rule, server, item, digest: "sha256:<64 hex>", reason} and nothing else.',
          data: { index: i, findings: problems },
        },
      );
    }
  });
  return list as unknown as Suppression[];
}
