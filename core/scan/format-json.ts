// The scan report as JSON, written with safeJsonStringify (hidden characters escaped, values unchanged).

import { safeJsonStringify } from '../text/safe-json.ts';
import type { ScanReport } from './report.ts';

/** The report as a JSON document (with a trailing newline). */
export function formatReportJson(report: ScanReport): string {
  return `${safeJsonStringify({ ok: !report.failed, ...report })}\n`;
}
