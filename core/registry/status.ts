// The life of a published version: pending until a curator approves (countersigns) or rejects it; an
// approved version can later be deprecated or yanked. Rejected and yanked are final. This module holds the
// transition table, who sees which status, and how a status reads in the official registry API.

import { McpLockError } from '../errors.ts';

export const VERSION_STATUSES = ['pending', 'approved', 'rejected', 'deprecated', 'yanked'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export const CURATION_ACTIONS = ['approve', 'reject', 'deprecate', 'yank'] as const;
export type CurationAction = (typeof CURATION_ACTIONS)[number];

export const TARGET_STATUS: Record<CurationAction, VersionStatus> = {
  approve: 'approved',
  reject: 'rejected',
  deprecate: 'deprecated',
  yank: 'yanked',
};

/** From which statuses each action is allowed. */
const ALLOWED_FROM: Record<CurationAction, readonly VersionStatus[]> = {
  approve: ['pending'],
  reject: ['pending'],
  deprecate: ['approved'],
  yank: ['pending', 'approved', 'deprecated'],
};

/** The curation actions a version in `status` allows, in the order a reviewer reads them. */
export function actionsFrom(status: VersionStatus): CurationAction[] {
  return CURATION_ACTIONS.filter((a) => ALLOWED_FROM[a].includes(status));
}

/** Actions that must say why. */
export const REASON_REQUIRED: readonly CurationAction[] = ['reject', 'deprecate', 'yank'];
export const REASON_MAX = 500;

/** Statuses a consumer sees in listings by default, and with include_deleted. */
export const LISTED_STATUSES: readonly VersionStatus[] = ['approved', 'deprecated'];
export const LISTED_WITH_DELETED: readonly VersionStatus[] = ['approved', 'deprecated', 'yanked'];
/** Statuses anyone may read directly (a yanked version must stay readable so clients can refuse it). */
export const PUBLIC_STATUSES: readonly VersionStatus[] = ['approved', 'deprecated', 'yanked'];

export type OfficialStatus = 'active' | 'deprecated' | 'deleted';

/** The official API's status for a public version. */
export function officialStatus(status: VersionStatus): OfficialStatus {
  if (status === 'deprecated') return 'deprecated';
  if (status === 'yanked') return 'deleted';
  return 'active';
}

export function isCurationAction(value: unknown): value is CurationAction {
  return typeof value === 'string' && (CURATION_ACTIONS as readonly string[]).includes(value);
}

/**
 * The status after `action`, `null` when the version is already there (an idempotent repeat), or a
 * CONFLICT when the transition is not allowed.
 */
export function nextStatus(current: VersionStatus, action: CurationAction): VersionStatus | null {
  const target = TARGET_STATUS[action];
  if (current === target) return null;
  if (!ALLOWED_FROM[action].includes(current)) {
    throw new McpLockError('CONFLICT', `cannot ${action} a version that is ${current}`, {
      hint:
        current === 'rejected' || current === 'yanked'
          ? `A ${current} version is final; publish a new version instead.`
          : `Allowed from: ${ALLOWED_FROM[action].join(', ')}.`,
      data: { status: current, action },
    });
  }
  return target;
}

/** Validate a curator's reason: required for reject/deprecate/yank, one line, bounded, no control characters. */
export function parseReason(action: CurationAction, reason: string | undefined): string | null {
  if (reason === undefined || reason.trim() === '') {
    if (REASON_REQUIRED.includes(action)) {
      throw new McpLockError('USAGE', `${action} needs a reason`, { hint: 'Pass --reason "<why>".' });
    }
    return null;
  }
  if (reason.length > REASON_MAX) {
    throw new McpLockError('USAGE', `the reason is longer than ${REASON_MAX} characters`);
  }
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(reason)) {
    throw new McpLockError('USAGE', 'the reason contains control characters or line breaks');
  }
  return reason.trim();
}
