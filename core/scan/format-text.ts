// The human report. Every piece of untrusted text (server names, item keys, paths, messages, excerpts:
// all of it comes from servers or manifests) goes through visible(), so control, bidi, tag and
// zero-width characters are shown as \u{…} and never reach the terminal. Colour is the caller's:
// pass `style` to decorate our own words (severity labels, headings).

import { visible } from '../text/hidden-chars.ts';
import type { ScanReport } from './report.ts';
import { SEVERITIES, type Severity, severityRank } from './severity.ts';
import type { ScanFinding } from './types.ts';

export interface TextStyle {
  severity?: (label: string, severity: Severity) => string;
  dim?: (text: string) => string;
  bold?: (text: string) => string;
}

export interface TextOptions {
  style?: TextStyle;
  /** Show findings at or above this severity (default: all). */
  minSeverity?: Severity;
  /** Longest excerpt shown, in characters of visible() output. */
  maxExcerpt?: number;
}

const LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFO',
};

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Findings grouped by server and item, one line per finding plus its excerpt. */
export function formatFindingsText(findings: readonly ScanFinding[], options: TextOptions = {}): string[] {
  const style = options.style ?? {};
  const sev = style.severity ?? ((label: string) => label);
  const dim = style.dim ?? ((t: string) => t);
  const bold = style.bold ?? ((t: string) => t);
  const min = options.minSeverity ? severityRank(options.minSeverity) : 0;
  const maxExcerpt = options.maxExcerpt ?? 200;
  const lines: string[] = [];
  let group = '';
  for (const f of findings) {
    if (severityRank(f.severity) < min) continue;
    const heading = `${visible(f.server)}  ${visible(f.item)}`;
    if (heading !== group) {
      group = heading;
      lines.push(bold(heading));
    }
    lines.push(`  ${sev(LABEL[f.severity].padEnd(8), f.severity)} ${f.rule}  ${visible(f.path)}`);
    lines.push(`           ${visible(f.message)}`);
    if (f.excerpt) lines.push(dim(`           "${clip(visible(f.excerpt), maxExcerpt)}"`));
  }
  return lines;
}

/** The whole report: findings, suppressed ones, servers not scanned, and a summary line. */
export function formatReportText(report: ScanReport, options: TextOptions = {}): string[] {
  const style = options.style ?? {};
  const bold = style.bold ?? ((t: string) => t);
  const lines = formatFindingsText(report.findings, options);
  if (report.suppressed.length > 0) {
    lines.push('', bold(`Suppressed (${report.suppressed.length}):`));
    for (const f of report.suppressed) {
      lines.push(
        `  ${f.rule}  ${visible(f.server)}  ${visible(f.item)}  ${visible(f.path)}  — ${visible(f.suppression.reason)}`,
      );
    }
  }
  if (report.unusedSuppressions.length > 0) {
    lines.push(
      '',
      bold(`Suppressions that no longer match (item changed or finding gone): ${report.unusedSuppressions.length}`),
    );
    for (const s of report.unusedSuppressions)
      lines.push(`  ${visible(s.rule)}  ${visible(s.server)}  ${visible(s.item)}  ${s.digest}`);
  }
  const counts = SEVERITIES.slice()
    .reverse()
    .filter((s) => report.counts[s] > 0)
    .map((s) => `${report.counts[s]} ${s}`)
    .join(', ');
  const total = report.findings.length;
  lines.push(
    '',
    `${total === 0 ? 'No findings' : `${total} finding${total === 1 ? '' : 's'} (${counts})`}` +
      `${report.suppressed.length ? `, ${report.suppressed.length} suppressed` : ''}` +
      ` in ${report.servers.length} server${report.servers.length === 1 ? '' : 's'}` +
      `${report.notScanned.length ? `; ${report.notScanned.length} not scanned` : ''}.`,
  );
  lines.push(
    report.failOn === 'none'
      ? 'Not failing on any severity (--fail-on none).'
      : report.failed
        ? `Failing: findings at or above ${report.failOn}.`
        : `Passing: nothing at or above ${report.failOn}.`,
  );
  return lines;
}
