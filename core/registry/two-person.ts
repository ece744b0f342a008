// The two-person rule: nobody approves their own publish, neither with the token that published nor as
// the same principal (a token's label names who holds it), and a namespace may need several distinct
// curators. Each curator's approval is recorded on the pending version; the last one needed countersigns.

import { McpLockError } from '../errors.ts';
import type { CuratorApproval, VersionRecord } from './records.ts';
import type { Principal } from './tokens.ts';

/** Who a principal is for the rule: the token's label when it has one, else the token. */
export function principalName(principal: Principal): string {
  return principal.label || principal.tokenId;
}

/** How many distinct curators a namespace needs (`*` is the default; at least one). */
export function curatorsRequiredFor(namespace: string, required: Readonly<Record<string, number>>): number {
  return Math.max(1, required[namespace] ?? required['*'] ?? 1);
}

export interface ApprovalPlan {
  approvals: CuratorApproval[];
  /** True when this approval is the last one needed: the version becomes approved. */
  complete: boolean;
  required: number;
}

/** Record `principal`'s approval of a pending version, or refuse it (FORBIDDEN for the publisher). */
export function planApproval(record: VersionRecord, principal: Principal, required: number, now: string): ApprovalPlan {
  const name = principalName(principal);
  if (
    record.publishedBy === principal.tokenId ||
    (record.publishedByName !== undefined && record.publishedByName === name)
  ) {
    throw new McpLockError(
      'FORBIDDEN',
      `${record.name}@${record.version} was published by ${name}; nobody approves their own publish`,
      {
        hint: 'Another curator must review and approve it (two-person rule).',
        data: { rule: 'two-person', publisher: name },
      },
    );
  }
  const previous = record.approvals ?? [];
  if (previous.some((a) => a.tokenId === principal.tokenId || a.curator === name)) {
    throw new McpLockError('CONFLICT', `${name} already approved ${record.name}@${record.version}`, {
      hint: `It needs ${required} distinct curators; ${previous.length} approved so far.`,
      data: { approvals: previous.length, required },
    });
  }
  const approvals = [...previous, { tokenId: principal.tokenId, curator: name, at: now }];
  return { approvals, complete: approvals.length >= required, required };
}
