// `mcp-lock verify`: prove in CI that nothing pinned drifted.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { liveCheck, onlineCheck, type SignedStates } from '../../adapters/consumer/live-check.ts';
import { readPolicy } from '../../adapters/project/policy-file.ts';
import { readLock } from '../../adapters/project/project.ts';
import { checkLockedServer, type EntryReport } from '../../adapters/project/verify-entry.ts';
import { sandboxStatus } from '../../adapters/sandbox/sandbox.ts';
import { NO_LINT_CACHE, openLintCache } from '../../adapters/scan/lint-cache.ts';
import type { Digest } from '../../core/canonical/digest.ts';
import { errorCategory, type Finding } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import { serverNames } from '../../core/lockfile/lockfile.ts';
import { describeSigner } from '../../core/lockfile/signer.ts';
import { isLocalPackage, LOCAL_LABEL } from '../../core/manifest/check-tree.ts';
import { checkPolicyNames } from '../../core/policy/policy-report.ts';
import { POLICY_FILE } from '../../core/policy/policy-types.ts';
import {
  applySuppressions,
  formatFindingsText,
  type LintCache,
  manifestSurface,
  type ScanFinding,
  scanPinnedServers,
  severityAtLeast,
} from '../../core/scan/index.ts';
import { visible } from '../../core/text/hidden-chars.ts';
import { action, usageError } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { VERSION } from '../version.ts';

interface VerifyOptions {
  project?: string;
  live?: boolean;
  online?: boolean;
  requireInstalled?: boolean;
  format: string;
  scan?: boolean;
  cache?: boolean;
}

function lintPinned(reports: readonly EntryReport[], lock: McpLockFile, cache: LintCache): ScanFinding[] {
  // A report has a manifest only when the stored one hashes to the pinned digest: that digest names it.
  const servers = reports.flatMap((r) =>
    r.manifest
      ? [{ server: r.name, manifest: lock.servers[r.name]!.manifest as Digest, surface: manifestSurface(r.manifest) }]
      : [],
  );
  return applySuppressions(scanPinnedServers(servers, cache), lock.suppressions ?? []).active;
}

/** GitHub Actions workflow command escaping (data and properties). */
function ghEscape(text: string, property = false): string {
  let out = visible(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (property) out = out.replace(/:/g, '%3A').replace(/,/g, '%2C');
  return out;
}

export function exitCodeForFindings(findings: readonly Finding[]): number {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.some((f) => errorCategory(f.code) !== 'unverifiable')) return EXIT.verificationFailed;
  if (errors.length > 0) return EXIT.couldNotVerify;
  return EXIT.ok;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .summary('verify the lock, signatures, approvals and installed trees (for CI)')
    .description(
      'Verify every pinned server offline from what is committed with the lock: the schema, each stored manifest ' +
        '(it must hash to its pin and be self-consistent), that the lock says exactly what the manifest says, the ' +
        'publisher signature against the pinned signer, the curator approval against the pinned registry key, and ' +
        'the installed files (changed on disk after install is drift). It also says whether `run` would start each ' +
        'local server sandboxed on this machine (bubblewrap present and working) or refuse it. --live also starts each server from the store ' +
        "and compares its live surface with the pins; --online refreshes the registry's signed TUF state and fails " +
        'when a pinned version was yanked, is missing from the signed targets or its digest differs (a frozen, expired ' +
        `state is exit 3). Offline, freshness is not checked, and the report says so. The runtime policy ${POLICY_FILE} (if any) is validated: an invalid one fails (exit 2, naming the field), and servers or tools it names that the lock does not have are warned about.` +
        ' Exit 0 ok, 1 verification failed, 2 unusable lock or flags, 3 could not verify (network, server).',
    )
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('--live', 'start each server and compare its live surface with the pins')
    .option('--online', 'check the registry’s signed, fresh state: yanked, missing or changed pins fail')
    .option('--require-installed', 'treat a server that is not installed as a failure')
    .option('--format <format>', 'text, or github (GitHub Actions annotations)', 'text')
    .option('--no-scan', 'skip showing lint findings for the pinned definitions')
    .option(
      '--no-cache',
      'lint every pinned server afresh, without reading or writing the lint cache ($XDG_CACHE_HOME/mcp-lock/lint: ' +
        'findings by manifest digest and lint version, each entry signed with a per-user key; an entry that does not ' +
        'check out is ignored)',
    )
    .action(
      action(async (ctx, options: VerifyOptions) => {
        if (options.format !== 'text' && options.format !== 'github') throw usageError('--format is text or github');
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        // An invalid policy fails closed (exit 2, POLICY_INVALID naming the field): run would refuse it too.
        const policy = readPolicy(root);
        const names = serverNames(lock);
        const states: SignedStates = new Map();
        const reports: EntryReport[] = names.map((name) =>
          checkLockedServer(root, lock, name, { checkInstalled: true }),
        );
        for (const report of reports) {
          if (report.installed === 'missing' && options.requireInstalled) {
            report.findings.push({
              code: 'MATERIAL_MISSING',
              path: `$.servers[${JSON.stringify(report.name)}]`,
              message: `${report.name}: not installed (run mcp-lock install)`,
              severity: 'error',
            });
          }
          const clean = report.findings.length === 0;
          if (options.online && clean) report.findings.push(...(await onlineCheck(root, lock, report.name, states)));
          if (options.live && clean) {
            ctx.out.progress(`Starting ${report.name} to compare its live surface …`);
            report.findings.push(
              ...(await liveCheck(root, lock, report.name, ctx.env, { name: 'mcp-lock', version: VERSION })),
            );
          }
        }
        // The lint and cross-server shadowing over what is pinned: shown, never failing verify (gate on
        // them with `mcp-lock scan mcp-lock.json --fail-on <severity>`); suppressions in the lock apply.
        const scanned =
          options.scan === false
            ? []
            : lintPinned(
                reports,
                lock,
                options.cache === false ? NO_LINT_CACHE : openLintCache({ env: ctx.env, version: VERSION }),
              );
        const policyFindings = policy
          ? checkPolicyNames(
              policy,
              new Map(
                reports.map((r) => [
                  r.name,
                  r.manifest ? r.manifest.surface.tools.map((t) => String(t.definition.name)) : undefined,
                ]),
              ),
            )
          : [];
        const findings = reports.flatMap((r) => r.findings);
        const code = exitCodeForFindings(findings);
        const servers = reports.map((r) => {
          const entry = lock.servers[r.name]!;
          return {
            name: r.name,
            version: r.version,
            ok: r.findings.every((f) => f.severity !== 'error'),
            unsigned: Boolean(entry.unsigned),
            local: entry.package ? isLocalPackage(entry.package) : false,
            signer: entry.signer,
            installed: r.installed,
            sandbox: sandboxStatus(entry, ctx.env),
            findings: r.findings,
            lint: scanned.filter((f) => f.server === r.name),
          };
        });
        if (options.format === 'github' && !ctx.out.json) {
          for (const f of findings) {
            const level = f.severity === 'error' ? 'error' : 'warning';
            ctx.out.document(
              `::${level} file=mcp-lock.json,title=${ghEscape(`mcp-lock ${f.code}`, true)}::${ghEscape(f.message)}\n`,
            );
          }
          for (const f of policyFindings) {
            ctx.out.document(
              `::warning file=${POLICY_FILE},title=${ghEscape(`mcp-lock ${f.code}`, true)}::${ghEscape(f.message)}\n`,
            );
          }
          for (const s of servers.filter((s) => s.unsigned)) {
            ctx.out.document(
              `::warning file=mcp-lock.json,title=mcp-lock UNSIGNED::${ghEscape(`${s.name} is pinned unsigned (trust on first use)`)}\n`,
            );
          }
        }
        // Offline, verify proves what is pinned, not that the registry still stands by it.
        const freshness = options.online ? 'checked' : 'not-checked';
        const policyReport = { file: policy ? POLICY_FILE : null, findings: policyFindings };
        ctx.out.result({ ok: code === EXIT.ok, exitCode: code, freshness, servers, policy: policyReport }, () => [
          ...servers.flatMap((s) => {
            const mark = s.ok ? ctx.out.style('ok  ', 'green') : ctx.out.style('FAIL', 'red', 'bold');
            const signer = s.unsigned
              ? ctx.out.style('UNSIGNED (trust on first use)', 'yellow')
              : ctx.out.untrusted(describeSigner(s.signer));
            return [
              `${mark} ${ctx.out.untrusted(s.name)}@${ctx.out.untrusted(s.version)}  ${signer}${s.local ? `  ${ctx.out.style(LOCAL_LABEL, 'yellow')}` : ''}  installed: ${s.installed}`,
              ...(s.sandbox.state === 'remote'
                ? []
                : [
                    s.sandbox.state === 'sandboxed'
                      ? '     sandbox: run starts it sandboxed here (bubblewrap)'
                      : s.sandbox.state === 'unsandboxed'
                        ? ctx.out.style(
                            `     sandbox: none (${s.sandbox.reason}): it runs with all of your rights`,
                            'yellow',
                          )
                        : ctx.out.style(
                            `     sandbox: UNAVAILABLE here (${ctx.out.untrusted(s.sandbox.reason ?? '')}): run refuses it (exit 3) unless --no-sandbox`,
                            'yellow',
                            'bold',
                          ),
                  ]),
              ...s.findings.map(
                (f) =>
                  `     ${f.severity === 'error' ? ctx.out.style(f.code, 'red') : ctx.out.style(f.code, 'yellow')} ${ctx.out.untrusted(f.message)}`,
              ),
              ...formatFindingsText(s.lint.filter((f) => severityAtLeast(f.severity, 'medium'))).map(
                (l) => `     lint ${l}`,
              ),
            ];
          }),
          policy
            ? `${POLICY_FILE}: valid${policyFindings.length ? `, ${policyFindings.length} warning(s)` : ''}`
            : `no ${POLICY_FILE}: run applies the built-in defaults`,
          ...policyFindings.map((f) => `     ${ctx.out.style(f.code, 'yellow')} ${ctx.out.untrusted(f.message)}`),
          code === EXIT.ok
            ? `${names.length} server(s) verified${options.live ? ' (live surfaces match)' : ''}${options.online ? ' (the registry’s signed state is fresh; none yanked)' : ' offline; registry freshness not checked (--online checks it)'}`
            : code === EXIT.couldNotVerify
              ? `could not verify ${servers.filter((s) => !s.ok).length} server(s)`
              : `${servers.filter((s) => !s.ok).length} of ${names.length} server(s) failed verification`,
        ]);
        return code;
      }),
    );
}
