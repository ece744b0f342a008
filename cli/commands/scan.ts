// `mcp-lock scan`: the poisoning and shadowing lint over a manifest, a lock, a client config or an npm
// package. This file reads files and flags; what is scanned and how is core/scan.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.ts';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { loadManifest, readLock } from '../../adapters/project/project.ts';
import { blankJsonc } from '../../core/clients/jsonc.ts';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import { parseManifest } from '../../core/manifest/manifest.ts';
import { parseNpmSpec } from '../../core/npm/spec.ts';
import {
  buildReport,
  type Collected,
  classifyTarget,
  collectClientConfig,
  collectLock,
  type FailOn,
  formatReportJson,
  formatReportText,
  formatSarif,
  isSeverity,
  manifestSurface,
  parseSuppressions,
  type SarifLocation,
  type ScanFinding,
  type ScanReport,
  type ScanSources,
  type Severity,
  type Suppression,
  scanServers,
  severityRank,
} from '../../core/scan/index.ts';
import { action, type CommandContext, collect, usageError } from '../command.ts';
import { GENERATOR, VERSION } from '../version.ts';
import { parseServerArguments } from './manifest.ts';

interface ScanOptions {
  format?: string;
  failOn: string;
  suppressions?: string;
  lock?: string;
  offline?: boolean;
  minSeverity: string;
  output?: string;
  arg?: string[];
  namedArg?: string[];
  env?: string[];
  secretEnv?: string[];
  npmRegistry?: string;
  timeout: string;
}

const MAX_TARGET_BYTES = 64 * 1024 * 1024;

interface Resolved {
  kind: ScanReport['kind'];
  collected: Collected;
  /** The file a finding of each server points at in SARIF (default: the target). */
  file: string | null;
}

const LIMITS = { maxBytes: MAX_TARGET_BYTES, maxDepth: 128 };

/** Strict JSON; a client config may also be JSONC (VS Code's mcp.json has comments and trailing commas). */
function readJsonFile(path: string, what: string): { bytes: Buffer; doc: JsonValue } {
  const bytes = readInputFile(path, what, MAX_TARGET_BYTES);
  try {
    return { bytes, doc: parseStrictJson(bytes, what, LIMITS) };
  } catch (error) {
    if (!(error instanceof McpLockError) || error.code !== 'JSON_SYNTAX') throw error;
    let doc: JsonValue;
    try {
      doc = parseStrictJson(blankJsonc(bytes.toString('utf8'), what, true), what, LIMITS);
    } catch {
      throw error;
    }
    if (classifyTarget(doc) !== 'client-config') throw error;
    return { bytes, doc };
  }
}

/** A lock path or its directory → the project directory holding mcp-lock.json. */
function projectOf(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
}

function sources(ctx: CommandContext, options: ScanOptions, timeoutMs: number): ScanSources {
  const introspect = async () => import('../../adapters/manifest/generate.ts');
  const common = {
    callerEnv: ctx.env,
    generator: GENERATOR,
    client: { name: 'mcp-lock-scan', version: VERSION },
    limits: { timeoutMs },
    ...(options.npmRegistry ? { npmRegistry: options.npmRegistry } : {}),
  };
  return {
    lock: (project) => readLock(project),
    manifest: (project, digest) => loadManifest(project, digest),
    npm: options.offline
      ? null
      : async (spec, args, env) => {
          const { generateNpmManifest } = await introspect();
          return generateNpmManifest(spec, {
            ...common,
            // The scan labels findings with the config's name; this only satisfies the generator.
            name: 'local.scan/npm-server',
            packageArguments: args.map((value) => ({ type: 'positional' as const, value })),
            environmentVariables: Object.entries(env).map(([name, value]) => ({ name, value })),
          });
        },
    remote: options.offline
      ? null
      : async (url) => {
          const { generateRemoteManifest } = await introspect();
          return generateRemoteManifest(url, { ...common, name: 'local.scan/remote-server', version: '0.0.0' });
        },
    resolveProject: (configDir, project) => resolve(configDir, project ?? '.'),
    onProgress: (m) => ctx.out.progress(m),
  };
}

function single(server: string, manifest: McpLockManifest): Collected {
  return {
    servers: [{ server, surface: manifestSurface(manifest) }],
    notScanned: [],
    suppressions: [],
    origins: new Map([[server, {}]]),
  };
}

async function resolveTarget(
  ctx: CommandContext,
  target: string,
  options: ScanOptions,
  timeoutMs: number,
): Promise<Resolved> {
  const path = resolve(ctx.cwd, target);
  const src = sources(ctx, options, timeoutMs);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      return { kind: 'lock', collected: collectLock(path, src), file: null };
    }
    const { bytes, doc } = readJsonFile(path, target);
    const kind = classifyTarget(doc);
    if (kind === 'manifest') {
      const manifest = parseManifest(bytes);
      return { kind, collected: single(manifest.server.name, manifest), file: path };
    }
    if (kind === 'lock') return { kind, collected: collectLock(dirname(path), src), file: null };
    if (kind === 'client-config') {
      const lockProject = options.lock ? projectOf(resolve(ctx.cwd, options.lock)) : null;
      return { kind, collected: await collectClientConfig(doc, dirname(path), lockProject, src), file: path };
    }
    throw new McpLockError('USAGE', `${target} is not a manifest, a mcp-lock.json or an MCP client config`, {
      hint: 'Pass a manifest (mcp-lock manifest), mcp-lock.json, a client config (claude_desktop_config.json, .cursor/mcp.json, .vscode/mcp.json, .mcp.json) or an npm spec.',
    });
  }
  if (/^[./~]/.test(target) || (target.includes(sep) && !target.startsWith('@'))) {
    throw new McpLockError('FILE_NOT_FOUND', `${target} not found`, { hint: 'Check the path.' });
  }
  parseNpmSpec(target);
  if (options.offline) {
    throw usageError(`scanning the npm package ${target} needs to install and start it; drop --offline`);
  }
  const { packageArguments, environmentVariables } = parseServerArguments(options);
  const { generateNpmManifest } = await import('../../adapters/manifest/generate.ts');
  const manifest = await generateNpmManifest(target, {
    name: 'local.scan/npm-server',
    packageArguments,
    environmentVariables,
    callerEnv: ctx.env,
    generator: GENERATOR,
    client: { name: 'mcp-lock-scan', version: VERSION },
    limits: { timeoutMs },
    ...(options.npmRegistry ? { npmRegistry: options.npmRegistry } : {}),
    onProgress: (m) => ctx.out.progress(m),
  });
  return { kind: 'npm', collected: single(target, manifest), file: null };
}

/** The first line of `text` that holds `needle`, 1-based (0 when absent). */
function lineOf(text: string, needle: RegExp): number {
  const m = needle.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 0;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function sarifLocator(ctx: CommandContext, resolved: Resolved, target: string): (f: ScanFinding) => SarifLocation {
  const texts = new Map<string, string>();
  const read = (file: string) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readInputFile(file, 'file', MAX_TARGET_BYTES).toString('utf8'));
      } catch {
        texts.set(file, '');
      }
    }
    return texts.get(file)!;
  };
  const uri = (file: string) => relative(ctx.cwd, file).split(sep).join('/') || '.';
  return (f) => {
    const origin = resolved.collected.origins.get(f.server);
    const file =
      origin?.project && origin.digest
        ? join(origin.project, '.mcp-lock', 'manifests', `${origin.digest.replace(/^sha256:/, '')}.json`)
        : (resolved.file ?? resolve(ctx.cwd, target));
    const slash = f.item.indexOf('/');
    const key = slash < 0 ? null : f.item.slice(slash + 1);
    const text = existsSync(file) && statSync(file).isFile() ? read(file) : '';
    const line = key
      ? lineOf(text, new RegExp(`"(?:key|name|uri|uriTemplate)"\\s*:\\s*${escapeRe(JSON.stringify(key))}`))
      : f.item === 'instructions'
        ? lineOf(text, /"instructions"\s*:/)
        : lineOf(text, new RegExp(escapeRe(JSON.stringify(f.server))));
    return { uri: uri(file), ...(line > 0 ? { startLine: line } : {}) };
  };
}

const SEVERITY_STYLE: Record<Severity, Parameters<CommandContext['out']['style']>[1][]> = {
  critical: ['red', 'bold'],
  high: ['red'],
  medium: ['yellow'],
  low: ['cyan'],
  info: ['dim'],
};

export function registerScan(program: Command): void {
  program
    .command('scan')
    .summary('lint tool definitions for poisoning and cross-server shadowing')
    .description(
      'Scan what enters the model’s context — every tool, prompt, resource, resource template and the server ' +
        'instructions, every string of every definition (descriptions, titles, names, schema descriptions, ' +
        'defaults, enums, examples, property names, x- extensions) — for tool poisoning: hidden and control ' +
        'characters, instruction tags and override phrases, concealment from the user, call-first demands, ' +
        'secrets and sensitive paths, exfiltration (URLs, webhooks, fixed recipients), requests for the ' +
        'conversation, cross-tool rewrites, schema tricks, padding, encoded blobs and confusable names; and, ' +
        'across servers, tools that shadow each other. Deterministic and offline for manifests and locks.\n\n' +
        '<target> is one of: a manifest file; mcp-lock.json (or its directory: every pinned manifest in ' +
        '.mcp-lock/manifests, plus shadowing across them, with the lock’s suppressions); an MCP client config ' +
        '(Claude Desktop claude_desktop_config.json, Cursor .cursor/mcp.json, VS Code .vscode/mcp.json, Claude ' +
        'Code .mcp.json or ~/.claude.json: servers run through `mcp-lock run` are read from their lock, npx and ' +
        'remote servers are installed in a sandbox and introspected, anything else is reported as not scanned); ' +
        'or an npm spec (installed in a sandbox, install scripts off, and introspected).\n\n' +
        'Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (or a tampered lock), 2 usage ' +
        'or invalid input, 3 a server could not be installed or started.',
    )
    .argument('<target>', 'manifest, mcp-lock.json (or project directory), client config, or npm spec')
    .option('--format <format>', 'text, json or sarif (SARIF 2.1.0); --json is the same as --format json')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above: info, low, medium, high, critical, none',
      'high',
    )
    .option('--min-severity <severity>', 'text output shows findings at or above this severity', 'low')
    .option('--suppressions <file>', 'accepted findings: {"suppressions": [{rule, server, item, digest, reason}]}')
    .option('--lock <path>', 'mcp-lock.json (or its directory) for servers a client config runs through mcp-lock run')
    .option('--offline', 'never install or start anything: npm and remote servers are reported as not scanned')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('--arg <value>', 'positional argument for an npm server (repeatable, in order)', collect)
    .option('--named-arg <--flag=value>', 'named argument for an npm server (repeatable)', collect)
    .option('--env <NAME=VALUE>', 'environment variable for an npm server (repeatable)', collect)
    .option(
      '--secret-env <NAME>',
      'secret variable passed from your environment to an npm server (repeatable)',
      collect,
    )
    .option('--npm-registry <url>', 'npm registry to install packages from', 'https://registry.npmjs.org')
    .option('--timeout <seconds>', 'limit for reading each introspected server’s surface', '120')
    .action(
      action(async (ctx, target: string, options: ScanOptions) => {
        const format = options.format ?? (ctx.out.json ? 'json' : 'text');
        if (!['text', 'json', 'sarif'].includes(format))
          throw usageError(`--format ${format}: use text, json or sarif`);
        const failOn = options.failOn;
        if (failOn !== 'none' && !isSeverity(failOn)) {
          throw usageError(`--fail-on ${failOn}: use info, low, medium, high, critical or none`);
        }
        if (!isSeverity(options.minSeverity))
          throw usageError(`--min-severity ${options.minSeverity}: use info, low, medium, high or critical`);
        const timeout = Number(options.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
          throw usageError('--timeout is seconds, 1 to 3600');

        const extra: Suppression[] = options.suppressions
          ? parseSuppressions(
              readInputFile(resolve(ctx.cwd, options.suppressions), 'suppressions file'),
              options.suppressions,
            )
          : [];
        const resolved = await resolveTarget(ctx, target, options, timeout * 1000);
        const { collected } = resolved;
        const findings = scanServers(collected.servers);
        const report = buildReport({
          target,
          kind: resolved.kind,
          servers: collected.servers.map((s) => s.server),
          findings,
          suppressions: [...collected.suppressions, ...extra],
          notScanned: collected.notScanned,
          failOn: failOn as FailOn,
        });

        let document: string | null = null;
        if (format === 'json') document = formatReportJson(report);
        else if (format === 'sarif') {
          document = formatSarif(report, { toolVersion: VERSION, locate: sarifLocator(ctx, resolved, target) });
        }
        const min = options.minSeverity as Severity;
        const style = {
          severity: (label: string, severity: Severity) => ctx.out.style(label, ...SEVERITY_STYLE[severity]),
          dim: (t: string) => ctx.out.style(t, 'dim'),
          bold: (t: string) => ctx.out.style(t, 'bold'),
        };
        const textLines = () => {
          const lines = formatReportText(report, { style, minSeverity: min });
          const hidden = report.findings.filter((f) => severityRank(f.severity) < severityRank(min)).length;
          if (hidden > 0)
            lines.push(
              `${hidden} finding${hidden === 1 ? '' : 's'} below ${min} not shown (--min-severity info shows all).`,
            );
          return lines;
        };
        if (options.output) {
          const out = resolve(ctx.cwd, options.output);
          writeFileAtomic(out, document ?? `${formatReportText(report).join('\n')}\n`);
          ctx.out.result({ ok: !report.failed, output: out, failed: report.failed, counts: report.counts }, () => [
            `Wrote ${out}`,
            ...formatReportText(report).slice(-2),
          ]);
        } else if (document !== null) {
          ctx.out.document(document);
        } else {
          ctx.out.result(null, textLines);
        }
        for (const n of report.notScanned)
          ctx.out.warn(`${ctx.out.untrusted(n.server)} not scanned: ${ctx.out.untrusted(n.reason)}`);
        return report.failed ? 1 : 0;
      }),
    );
}
