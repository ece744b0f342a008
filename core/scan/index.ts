// The poisoning and shadowing lint: its public API in one place.
//
// Scanning (pure, deterministic, offline):
//   scanSurface(server, { instructions, tools, prompts, resources, resourceTemplates }, options?) → ScanFinding[]
//   scanManifest(manifest, { server? }?)  → ScanFinding[]   (the surface a manifest records)
//   scanServers([{ server, surface }])    → ScanFinding[]   (each server + cross-server shadowing)
//   detectShadowing([{ name, tools }])    → ScanFinding[]   (shadowing only; BLOCKING_SHADOW_RULES block)
//   shadowingOf(name, [{ name, tools }])  → ScanFinding[]   (only the shadowing that involves one server)
// Judging:
//   maxSeverity(findings), severityAtLeast(severity, threshold), SEVERITIES, isSeverity
//   applySuppressions(findings, lock.suppressions ?? []) → { active, suppressed, unused }
//   suppressionFor(finding, reason), parseSuppressions(bytes)
// Showing (untrusted text always through visible(); JSON/SARIF escape hidden characters):
//   formatFindingsText(findings, { style?, minSeverity? }) → string[]
//   buildReport(...), formatReportText(report), formatReportJson(report), formatSarif(report, { toolVersion })
//
// How the other faces call it:
//   registry publish: const findings = scanManifest(manifest); store them with the version; refuse when
//     findings.some((f) => severityAtLeast(f.severity, configuredRefuseAt)); show formatFindingsText(findings)
//     (or the JSON findings, rendered with HTML escaping plus visible markers) to curators.
//   add / verify: for the whole lock, scanServers(servers.map((s) => ({ server: name, surface:
//     manifestSurface(manifest) }))) — this includes cross-server shadowing — then
//     applySuppressions(findings, lock.suppressions ?? []) and print formatFindingsText(result.active);
//     fail (or ask) when maxSeverity(result.active) is at or above the chosen threshold.
//   add (a new server against the locked ones) and run: shadowingOf(candidate.name, [...locked, candidate])
//     (only what involves that server) and block on BLOCKING_SHADOW_RULES unless a digest-bound
//     suppression accepts it.

export { safeJsonStringify } from '../text/safe-json.ts';
export { type CacheStats, type LintCache, type PinnedSurface, scanPinnedServers } from './cached-scan.ts';
export { type Collected, collectClientConfig, collectLock, type ScanSources } from './collect.ts';
export { formatReportJson } from './format-json.ts';
export { formatSarif, type SarifLocation, type SarifOptions, sarifLog } from './format-sarif.ts';
export { formatFindingsText, formatReportText, type TextOptions, type TextStyle } from './format-text.ts';
export { buildReport, type FailOn, notScannedFinding, type ReportInput, type ScanReport } from './report.ts';
export { RULE_LIST, RULES, type RuleMeta, ruleById } from './rules.ts';
export {
  manifestSurface,
  type ScanOptions,
  type ServerSurface,
  scanManifest,
  scanServers,
  scanSurface,
} from './scan.ts';
export { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-item.ts';
export { isSeverity, maxSeverity, SEVERITIES, type Severity, severityAtLeast, severityRank } from './severity.ts';
export { BLOCKING_SHADOW_RULES, detectShadowing, type ShadowingServer, shadowingOf } from './shadowing.ts';
export { applySuppressions, parseSuppressions, type SuppressionResult, suppressionFor } from './suppressions.ts';
export { type ConfigServer, classifyTarget, clientConfigServers, type Launch, type TargetKind } from './targets.ts';
export type { NotScanned, ScanFinding, ScanSurface, SuppressedFinding, Suppression } from './types.ts';
