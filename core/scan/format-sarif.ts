// SARIF 2.1.0 output for code-scanning tools (GitHub, GitLab, IDEs): the rule catalog with metadata, one
// result per finding with a physical location (the scanned file, and a line where one is known) and a
// logical location (server / item / JSON path), fingerprints bound to the item digest, and suppressed
// findings marked as accepted. Message texts are made visible(); the raw excerpt is kept, escaped, in
// the result's properties.

import { sha256Hex } from '../canonical/digest.ts';
import { visible } from '../text/hidden-chars.ts';
import { safeJsonStringify } from '../text/safe-json.ts';
import type { ScanReport } from './report.ts';
import { RULE_LIST } from './rules.ts';
import type { Severity } from './severity.ts';
import type { ScanFinding, SuppressedFinding } from './types.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub's numeric security-severity, per https://docs.github.com/code-security (0.1–10). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

export interface SarifLocation {
  /** The file the finding is in, relative to the repository or absolute (a file: URI is made from it). */
  uri: string;
  startLine?: number;
}

export interface SarifOptions {
  toolVersion: string;
  informationUri?: string;
  /** Where a finding lives on disk; default: the report's target. */
  locate?: (finding: ScanFinding) => SarifLocation;
}

function ruleName(id: string): string {
  return id
    .replace(/^MCPL\d+-/, '')
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function result(f: ScanFinding | SuppressedFinding, options: SarifOptions, report: ScanReport) {
  const index = RULE_LIST.findIndex((r) => r.id === f.rule);
  const where = options.locate?.(f) ?? { uri: report.target };
  const text = `${visible(f.server)} ${visible(f.item)} ${visible(f.path)}: ${visible(f.message)}`;
  return {
    ruleId: f.rule,
    ...(index >= 0 ? { ruleIndex: index } : {}),
    level: LEVEL[f.severity],
    message: { text: f.excerpt ? `${text} — "${visible(f.excerpt)}"` : text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: where.uri },
          // Code-scanning UIs need a region; line 1 when the item's line is not known.
          region: { startLine: where.startLine && where.startLine > 0 ? where.startLine : 1 },
        },
        logicalLocations: [
          { fullyQualifiedName: `${f.server}/${f.item}${f.path === '$' ? '' : f.path.slice(1)}`, kind: 'member' },
        ],
      },
    ],
    partialFingerprints: {
      'mcpLockItem/v1': sha256Hex(`${f.rule}\u0000${f.server}\u0000${f.item}\u0000${f.path}\u0000${f.digest}`),
    },
    properties: {
      severity: f.severity,
      'security-severity': SECURITY_SEVERITY[f.severity],
      server: f.server,
      item: f.item,
      path: f.path,
      digest: f.digest,
      excerpt: f.excerpt,
    },
    ...('suppression' in f
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppression.reason }] }
      : {}),
  };
}

/** The SARIF log as a value (serialise with formatSarif, which escapes hidden characters). */
export function sarifLog(report: ScanReport, options: SarifOptions) {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mcp-lock',
            version: options.toolVersion,
            informationUri: options.informationUri ?? 'https://github.com/mcp-lock/mcp-lock',
            rules: RULE_LIST.map((r) => ({
              id: r.id,
              name: ruleName(r.id),
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              help: { text: r.help },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['security', 'mcp'], 'security-severity': SECURITY_SEVERITY[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true }],
        results: [...report.findings, ...report.suppressed].map((f) => result(f, options, report)),
        properties: { target: report.target, kind: report.kind, failOn: report.failOn, failed: report.failed },
      },
    ],
  };
}

export function formatSarif(report: ScanReport, options: SarifOptions): string {
  return `${safeJsonStringify(sarifLog(report, options))}\n`;
}
