// `mcp-lock audit [name]`: a summary of the audit log `run` writes (top tools, refused calls by reason,
// spikes, large outbound payloads, secrets flagged), as text or --json. The log is streamed, so its size
// does not matter; everything it says came from a server or a client and is escaped before display.

import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { emptyReadStats, logFiles, readAuditFile } from '../../adapters/audit/read-audit-log.ts';
import { projectPaths } from '../../adapters/project/project.ts';
import { defaultAuditPath } from '../../adapters/proxy/audit-log.ts';
import { AuditSummarizer, type AuditSummary, DEFAULT_AUDIT_SUMMARY_OPTIONS } from '../../core/audit/summary.ts';
import { McpLockError } from '../../core/errors.ts';
import { action, usageError } from '../command.ts';
import type { Output } from '../output.ts';

interface AuditOptions {
  project?: string;
  file?: string;
  spike: string;
  large: string;
  top: string;
}

function positiveInt(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0 || n > max)
    throw usageError(`${flag} must be a whole number from 1 to ${max}`);
  return n;
}

/** The logs to read: --file, the named server's, or every server's in the project. */
async function logsToRead(ctx: { cwd: string; env: NodeJS.ProcessEnv }, name: string | undefined, o: AuditOptions) {
  if (o.file) return [resolve(ctx.cwd, o.file)];
  const root = resolve(ctx.cwd, o.project ?? ctx.env.MCP_LOCK_PROJECT ?? '.');
  if (name) return [defaultAuditPath(root, name)];
  const dir = join(projectPaths(root).state, 'audit');
  const names = await readdir(dir).catch(() => [] as string[]);
  const logs = names.filter((n) => n.endsWith('.jsonl')).sort();
  if (logs.length === 0) {
    throw new McpLockError('FILE_NOT_FOUND', `no audit logs in ${dir}`, {
      hint: '`mcp-lock run <name>` writes one per server; pass --file for a log elsewhere.',
    });
  }
  return logs.map((n) => join(dir, n));
}

function render(
  out: Output,
  s: AuditSummary,
  read: ReturnType<typeof emptyReadStats>,
  o: typeof DEFAULT_AUDIT_SUMMARY_OPTIONS,
) {
  const u = (t: string) => out.untrusted(t);
  const lines = [
    `${read.files.map(u).join(', ')}: ${s.records} records, ${s.sessions} sessions` +
      (s.from && s.to ? `, ${s.from} → ${s.to}` : ''),
  ];
  if (s.servers.length) lines.push(`servers: ${s.servers.map(u).join(', ')}`);
  lines.push(`tools/call: ${s.calls.total} (${s.calls.allowed} forwarded, ${s.calls.blocked} refused)`);
  const ms = (v: number | null) => (v === null ? '-' : `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`);
  if (s.tools.length) {
    lines.push('', 'top tools:');
    const width = Math.min(40, Math.max(...s.tools.map((t) => u(t.tool).length)));
    for (const t of s.tools) {
      lines.push(
        `  ${u(t.tool).padEnd(width)}  ${String(t.calls).padStart(7)} calls  ${t.blocked} refused  ` +
          `${t.failed} failed  median ${ms(t.medianMs)}  max ${ms(t.maxMs)}`,
      );
    }
  }
  if (s.blockedCalls.length) {
    lines.push('', 'refused calls by reason:');
    for (const b of s.blockedCalls)
      lines.push(`  ${String(b.count).padStart(7)}  ${u(b.code)}${b.reason ? ` (${u(b.reason)})` : ''}`);
  }
  if (s.otherBlocked.length) {
    lines.push('', 'other refusals and stops:');
    for (const b of s.otherBlocked) lines.push(`  ${String(b.count).padStart(7)}  ${u(b.event)}: ${u(b.code)}`);
  }
  lines.push('', `spikes (minutes with more than ${o.spikeCallsPerMinute} calls):`);
  if (s.spikes.length === 0) lines.push('  none');
  for (const p of s.spikes) lines.push(`  ${p.minute}  ${String(p.calls).padStart(7)} calls (most: ${u(p.topTool)})`);
  lines.push('', `large outbound payloads (requests of ${o.largeRequestBytes} bytes or more):`);
  if (s.largePayloads.length === 0) lines.push('  none');
  for (const p of s.largePayloads) {
    lines.push(`  ${p.time ?? '(no time)'}  ${u(p.tool)}  ${p.requestBytes} bytes  ${u(p.decision)}`);
  }
  lines.push('', 'secrets flagged (kind and location only; values are never logged):');
  if (s.secrets.length === 0) lines.push('  none');
  for (const x of s.secrets) {
    const where = [
      x.location && `at ${u(x.location)}`,
      x.direction && `of the ${u(x.direction)}`,
      x.tool && `of ${u(x.tool)}`,
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(`  ${String(x.count).padStart(7)}  ${u(x.kind)}${where ? ` ${where}` : ''} (${u(x.decision)})`);
  }
  if (read.torn || read.unreadable || read.oversized) {
    lines.push(
      '',
      `skipped lines: ${read.torn} torn (a write cut short), ${read.unreadable} unreadable, ${read.oversized} oversized`,
    );
  }
  return lines;
}

export function registerAudit(program: Command): void {
  program
    .command('audit [name]')
    .summary('summarise the audit log of `run`')
    .description(
      "Summarise the audit log `mcp-lock run` writes (.mcp-lock/audit/<name>.jsonl, or every server's when " +
        'no name is given, or --file): the most used tools with their median and longest durations, the ' +
        'calls the guard refused by reason code, spikes (minutes with more tools/call than --spike), large ' +
        'outbound payloads (requests of --large bytes or more), and secrets flagged, by kind and location ' +
        '(the log never holds argument or result values, only digests and sizes).\n\n' +
        'The log is streamed line by line (lines over 1 MiB are skipped and counted; a torn last line, left ' +
        'by a crash, is counted and ignored); a rotated log (<file>.1) is read first. Text from the log is ' +
        'escaped before it is shown.',
    )
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('--file <path>', "summarise this audit log instead of the project's")
    .option(
      '--spike <calls>',
      'a minute with more tools/call than this is a spike',
      String(DEFAULT_AUDIT_SUMMARY_OPTIONS.spikeCallsPerMinute),
    )
    .option(
      '--large <bytes>',
      'a request of this many bytes or more is a large outbound payload',
      String(DEFAULT_AUDIT_SUMMARY_OPTIONS.largeRequestBytes),
    )
    .option('--top <n>', 'rows per table', String(DEFAULT_AUDIT_SUMMARY_OPTIONS.top))
    .action(
      action(async (ctx, name: string | undefined, options: AuditOptions) => {
        const o = {
          spikeCallsPerMinute: positiveInt(options.spike, '--spike', 1_000_000_000),
          largeRequestBytes: positiveInt(options.large, '--large', 1024 * 1024 * 1024 * 1024),
          top: positiveInt(options.top, '--top', 1000),
        };
        if (name && options.file) throw usageError('give a server name or --file, not both');
        const summarizer = new AuditSummarizer(o);
        const read = emptyReadStats();
        for (const log of await logsToRead(ctx, name, options)) {
          for (const file of await logFiles(log)) await readAuditFile(file, (r) => summarizer.add(r), read);
        }
        const summary = summarizer.result();
        ctx.out.result({ ...summary, read, thresholds: o }, () => render(ctx.out, summary, read, o));
        return 0;
      }),
    );
}
