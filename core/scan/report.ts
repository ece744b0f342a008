// One scan's result as data: what was scanned, the active and suppressed findings, what could not be
// scanned, and the verdict against a --fail-on threshold. The three output formats render this.

import { RULES } from './rules.ts';
import { maxSeverity, SEVERITIES, type Severity, severityAtLeast } from './severity.ts';
import { applySuppressions } from './suppressions.ts';
import type { NotScanned, ScanFinding, SuppressedFinding, Suppression } from './types.ts';

export type FailOn = Severity | 'none';

export interface ScanReport {
  /** What the user asked to scan (a path or an npm spec). */
  target: string;
  /** The kind of target it turned out to be. */
  kind: 'manifest' | 'lock' | 'client-config' | 'npm';
  /** Servers whose surface was scanned. */
  servers: string[];
  findings: ScanFinding[];
  suppressed: SuppressedFinding[];
  unusedSuppressions: Suppression[];
  notScanned: NotScanned[];
  failOn: FailOn;
  maxSeverity: Severity | null;
  counts: Record<Severity, number>;
  /** True when an active finding is at or above failOn. */
  failed: boolean;
}

export interface ReportInput {
  target: string;
  kind: ScanReport['kind'];
  servers: string[];
  findings: readonly ScanFinding[];
  suppressions?: readonly Suppression[];
  notScanned?: readonly NotScanned[];
  failOn: FailOn;
}

/** Servers that could not be scanned become info findings too, so no output format can drop them. */
export function notScannedFinding(n: NotScanned): ScanFinding {
  return {
    rule: RULES.notScanned.id,
    severity: 'info',
    server: n.server,
    item: 'server',
    path: '$',
    message: `not scanned: ${n.reason}`,
    excerpt: '',
    digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
  };
}

export function buildReport(input: ReportInput): ScanReport {
  const notScanned = [...(input.notScanned ?? [])];
  const all = [...input.findings, ...notScanned.map(notScannedFinding)];
  const { active, suppressed, unused } = applySuppressions(all, input.suppressions ?? []);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of active) counts[f.severity]++;
  const worst = maxSeverity(active);
  const failOn = input.failOn;
  return {
    target: input.target,
    kind: input.kind,
    servers: [...input.servers],
    findings: active,
    suppressed,
    unusedSuppressions: unused,
    notScanned,
    failOn,
    maxSeverity: worst,
    counts,
    failed: failOn !== 'none' && worst !== null && severityAtLeast(worst, failOn),
  };
}
