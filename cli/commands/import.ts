// `mcp-lock import`: turn the servers of an MCP client's config into lock entries — from a trusted
// registry where one publishes them, trust on first use otherwise — one entry at a time, each verified
// and written (or refused) on its own.

import type { Command } from 'commander';
import { readClientConfig } from '../../adapters/clients/config-file.ts';
import { type EntryOutcome, type ImportContext, prepareEntry } from '../../adapters/clients/import-entry.ts';
import { lockTargets } from '../../adapters/clients/lock-targets.ts';
import { applyPin } from '../../adapters/consumer/pin.ts';
import { ensureStateDirs, readLock } from '../../adapters/project/project.ts';
import { projectTrustedRoot } from '../../adapters/project/verify-entry.ts';
import { CLIENT_IDS } from '../../core/clients/client-formats.ts';
import { describeEntry, type EntryLaunch } from '../../core/clients/launch-spec.ts';
import { asMcpLockError, errorCategory, type McpLockError } from '../../core/errors.ts';
import { action, type CommandContext, collect } from '../command.ts';
import { exitCodeFor } from '../exit-codes.ts';
import { GENERATOR, VERSION } from '../version.ts';
import { chooseRegistry, npmInstallOptions, parsePassEnv, trustNpmRegistry } from './add.ts';
import { locateClientConfig } from './client-location.ts';
import { reportPinChecks } from './pin-checks.ts';

interface ImportOptions {
  client: string;
  config?: string;
  scope?: string;
  project?: string;
  registry?: string;
  npmRegistry?: string;
  allowSignerChange?: boolean;
  allowShadowing?: boolean;
  passEnv?: string[];
}

interface Row {
  key: string;
  launches: string;
  status: 'imported' | 'already-pinned' | 'skipped' | 'failed';
  name?: string;
  version?: string;
  source?: 'registry' | 'tofu';
  registry?: string;
  unsigned?: boolean;
  reason?: string;
  error?: ReturnType<McpLockError['toJSON']>;
  notes: string[];
}

function launched(launch: EntryLaunch): string {
  if (launch.kind === 'npm') return `${launch.runner} ${launch.spec}`;
  if (launch.kind === 'remote') return launch.url;
  if (launch.kind === 'wrapped') return `mcp-lock run ${launch.name}`;
  return launch.what.length > 80 ? `${launch.what.slice(0, 77)}…` : launch.what;
}

function humanLines(ctx: CommandContext, path: string, rows: readonly Row[]): string[] {
  const u = (s: string) => ctx.out.untrusted(s);
  const count = (s: Row['status']) => rows.filter((r) => r.status === s).length;
  const lines = [
    `${path}: ${count('imported')} imported, ${count('already-pinned')} already pinned, ${count('skipped')} not importable, ${count('failed')} failed`,
  ];
  for (const r of rows) {
    const head = `  ${u(r.key)} (${u(r.launches)})`;
    if (r.status === 'imported') {
      const from =
        r.source === 'registry'
          ? `from ${r.registry}, signed and approved`
          : ctx.out.style('TOFU: introspected locally, UNSIGNED', 'yellow', 'bold');
      lines.push(`${head} → ${u(r.name!)}@${u(r.version!)} ${from}`);
    } else if (r.status === 'already-pinned') lines.push(`${head} already pinned as ${u(r.name!)}`);
    else if (r.status === 'skipped') lines.push(`${head} ${ctx.out.style('not imported', 'yellow')}: ${u(r.reason!)}`);
    else lines.push(`${head} ${ctx.out.style('FAILED', 'red', 'bold')} ${r.error!.code}: ${u(r.error!.message)}`);
    for (const note of r.notes) lines.push(`      note: ${u(note)}`);
    if (r.status === 'failed' && r.error?.hint) lines.push(`      hint: ${u(r.error.hint)}`);
  }
  return lines;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .summary('pin the servers of an MCP client config (registry where known, TOFU otherwise)')
    .description(
      'Turn each server of an MCP client’s config (the same clients, scopes and locations as `mcp-lock wrap`) into ' +
        'an entry of mcp-lock.json.\n\nAn npm package (npx -y, npm exec, pnpm dlx, bunx, yarn dlx) or a remote URL that ' +
        'a trusted registry publishes (its official server.json lists the package or remote) is pinned from that ' +
        'registry and verified exactly like `mcp-lock add`: publisher signature, curator approval, not yanked, the ' +
        'exact dependency tree installed with install scripts off; the version whose package version the config ' +
        'names, else the latest.\n\nAnything else is pinned trust-on-first-use like `add --tofu`: installed in a sandbox ' +
        'and introspected live, UNSIGNED, under a name that says so (npm.<scope>/<package>, or the remote’s reversed ' +
        'host and the config key). Its arguments become the manifest’s arguments and its environment variables are ' +
        'recorded by NAME only, as secrets: the values stay in the client config (they are used once, to start the ' +
        'server while it is introspected). A remote (Streamable HTTP, or the deprecated SSE) keeps its headers as ' +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the client syntax the help describes
        'templates: `${VAR}` and `${env:VAR}` are read from the environment, never stored; a literal credential is ' +
        'refused.\n\nEntries that cannot be pinned (uvx, docker, a local path, arguments or headers filled in by the ' +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the client syntax the help describes
        'client such as ${input:…}) are reported and skipped. Each entry is verified and written ' +
        'on its own: nothing is written for one that fails, and the others still are. Then run `mcp-lock wrap` so ' +
        'the client starts them through mcp-lock run. Exit code 0 when no entry failed.',
    )
    .requiredOption('--client <client>', `the MCP client: ${CLIENT_IDS.join(', ')}`)
    .option('--config <path>', 'the client config file (default: the client’s location for --scope)')
    .option('--scope <scope>', 'which of the client’s configs: project, user or local (claude-code)')
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option(
      '--registry <url>',
      'registry to look servers up in (default: every registry the lock trusts); pinned on first use',
    )
    .option('--npm-registry <url>', 'npm registry to download tarballs from (for TOFU pins, also trusted in the lock)')
    .option('--allow-signer-change', 'accept a different publisher signer than the one pinned')
    .option('--allow-shadowing', 'pin even if a tool name collides with another pinned server’s tool')
    .option(
      '--pass-env <NAME>',
      'let run pass this variable of a config entry’s env to a registry-pinned server whose manifest does not declare it (recorded in the lock’s passEnv; repeatable). Every other undeclared env or envFile entry is reported as dropped',
      collect,
    )
    .action(
      action(async (ctx, options: ImportOptions) => {
        const location = locateClientConfig(ctx, options);
        const { format, root } = location;
        let lock = readLock(root);
        const config = readClientConfig(location.path, format, location.serversPath);
        if (!config.hasServers) {
          ctx.out.warn(`${location.path} has no "${location.serversPath.join('.')}" object: nothing to import`);
        }
        const registries = options.registry
          ? [await chooseRegistry(ctx, lock, options.registry)]
          : Object.keys(lock.registries);
        if (registries.length === 0) ctx.out.progress('The lock trusts no registry: every server is pinned TOFU.');
        const importCtx: ImportContext = {
          root,
          lock,
          targets: lockTargets(root, lock),
          registries,
          npmRegistry: options.npmRegistry,
          callerEnv: ctx.env,
          allowSignerChange: Boolean(options.allowSignerChange),
          trustedRoot: projectTrustedRoot(root),
          generator: GENERATOR,
          client: { name: 'mcp-lock', version: VERSION },
          taken: new Set(),
          passEnv: parsePassEnv(options.passEnv ?? []),
          progress: (m) => ctx.out.progress(ctx.out.untrusted(m)),
        };
        const rows: Row[] = [];
        for (const entry of config.entries) {
          const launches = launched(describeEntry(entry.value));
          let outcome: EntryOutcome | null = null;
          try {
            ctx.out.progress(`Importing ${ctx.out.untrusted(entry.key)} …`);
            outcome = await prepareEntry(importCtx, entry);
            if (outcome.kind === 'prepared') {
              const { pin } = outcome;
              reportPinChecks(ctx, root, lock, pin, { allowShadowing: Boolean(options.allowShadowing) });
              if (pin.source.type === 'tofu') trustNpmRegistry(ctx, lock, options.npmRegistry);
              ensureStateDirs(root);
              lock = (await applyPin(root, lock, pin, npmInstallOptions(options.npmRegistry))).lock;
              importCtx.lock = lock;
              importCtx.targets = lockTargets(root, lock);
              rows.push({
                key: entry.key,
                launches,
                status: 'imported',
                name: pin.name,
                version: pin.manifest.server.version,
                source: pin.source.type,
                ...(pin.source.type === 'registry' ? { registry: pin.source.registry } : {}),
                unsigned: pin.signer === null,
                notes: outcome.notes,
              });
            } else if (outcome.kind === 'already') {
              rows.push({
                key: entry.key,
                launches,
                status: 'already-pinned',
                name: outcome.name,
                notes: outcome.notes,
              });
            } else {
              rows.push({
                key: entry.key,
                launches,
                status: 'skipped',
                reason: outcome.reason,
                notes: [],
              });
            }
          } catch (error) {
            const err = asMcpLockError(error);
            rows.push({
              key: entry.key,
              launches,
              status: 'failed',
              error: err.toJSON(),
              notes: outcome?.kind === 'prepared' ? outcome.notes : [],
            });
          }
        }
        const failed = rows.filter((r) => r.status === 'failed');
        ctx.out.result({ ok: failed.length === 0, client: format.id, config: location.path, servers: rows }, [
          ...humanLines(ctx, location.path, rows),
          ...(rows.some((r) => r.status === 'imported' || r.status === 'already-pinned')
            ? [
                `Next: mcp-lock wrap --client ${format.id}${options.config ? ` --config ${location.path}` : ''} --project ${root}`,
              ]
            : []),
        ]);
        if (failed.length === 0) return 0;
        const codes = failed.map((r) => r.error!.code);
        const verification = codes.find((c) => errorCategory(c) === 'verification');
        return exitCodeFor(verification ?? codes[0]!);
      }),
    );
}
