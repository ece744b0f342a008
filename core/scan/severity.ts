// Severities of scan findings and how they compare. One ordered scale, shared by the CLI's --fail-on, the
// registry's refuse-at setting and the add/verify reports.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** True when `severity` is `threshold` or worse. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** The worst severity among findings, or null when there are none. */
export function maxSeverity(findings: Iterable<{ severity: Severity }>): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || RANK[f.severity] > RANK[worst]) worst = f.severity;
  return worst;
}

/** The higher of two severities. */
export function raiseTo(severity: Severity, floor: Severity): Severity {
  return RANK[severity] >= RANK[floor] ? severity : floor;
}

/** One step lower, not below info. */
export function lower(severity: Severity): Severity {
  return SEVERITIES[Math.max(0, RANK[severity] - 1)]!;
}
