// `mcp-lock wrap`: rewrite an MCP client's config so every server runs through `mcp-lock run`, with a
// byte-exact backup in the project, and `--undo` to put the original back.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readBackup } from '../../adapters/clients/backup.ts';
import { readClientConfig } from '../../adapters/clients/config-file.ts';
import { lockTargets, MCP_LOCK_BIN } from '../../adapters/clients/lock-targets.ts';
import { rewriteConfig, undoWrap, writeWrapped } from '../../adapters/clients/wrap-config.ts';
import { readLock, storeDir } from '../../adapters/project/project.ts';
import { CLIENT_IDS, type ClientFormat } from '../../core/clients/client-formats.ts';
import { describeEntry } from '../../core/clients/launch-spec.ts';
import {
  LAUNCHER_KINDS,
  type LauncherKind,
  makeLauncher,
  projectReference,
  WORKSPACE_FOLDER,
} from '../../core/clients/launcher.ts';
import { planWrap, type WrapItem } from '../../core/clients/wrap-plan.ts';
import { McpLockError } from '../../core/errors.ts';
import { action, type CommandContext, collect, usageError } from '../command.ts';
import { PACKAGE_NAME, VERSION } from '../version.ts';
import { type ClientLocation, locateClientConfig } from './client-location.ts';

interface WrapOptions {
  client: string;
  config?: string;
  scope?: string;
  project?: string;
  skipUnpinned?: boolean;
  map?: string[];
  undo?: boolean;
  force?: boolean;
  dryRun?: boolean;
  launcher?: string;
}

const BLOCKING = new Set(['unpinned', 'unsupported', 'ambiguous']);

function parseMap(pairs: readonly string[] = []): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw usageError(`--map ${pair} is not <config entry>=<lock name>`);
    map[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return map;
}

/** What an entry launched, for a human (args from the config are untrusted). */
function launched(item: WrapItem): string {
  const l = item.launch;
  if (l.kind === 'npm') return `${l.runner} ${l.spec}`;
  if (l.kind === 'remote') return l.url;
  if (l.kind === 'other') return l.what.length > 80 ? `${l.what.slice(0, 77)}…` : l.what;
  return `mcp-lock run ${l.name}`;
}

function itemLines(ctx: CommandContext, items: readonly WrapItem[]): string[] {
  const u = (s: string) => ctx.out.untrusted(s);
  const lines: string[] = [];
  for (const item of items) {
    if (item.action === 'wrap') lines.push(`  wrapped  ${u(item.key)} → mcp-lock run ${u(item.name!)}`);
    else if (item.action === 'already')
      lines.push(
        `  already  ${u(item.key)} runs mcp-lock run ${u(item.name!)}${item.reason ? ` (${u(item.reason)})` : ''}`,
      );
    else
      lines.push(
        `  ${ctx.out.style('left', 'yellow')}     ${u(item.key)} (${u(launched(item))}): ${u(item.reason ?? '')}`,
      );
    for (const note of item.notes) lines.push(`           note: ${u(note.message)}`);
  }
  return lines;
}

function itemData(item: WrapItem) {
  return {
    key: item.key,
    action: item.action,
    ...(item.name ? { name: item.name } : {}),
    launches: launched(item),
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.candidates ? { candidates: item.candidates } : {}),
    notes: item.notes,
  };
}

const locate = (ctx: CommandContext, options: WrapOptions): ClientLocation => locateClientConfig(ctx, options);

async function wrap(ctx: CommandContext, options: WrapOptions): Promise<number> {
  const { format, scope, root, path, serversPath } = locate(ctx, options);
  const kind = (options.launcher ?? 'path') as LauncherKind;
  if (!LAUNCHER_KINDS.includes(kind)) throw usageError(`--launcher must be one of ${LAUNCHER_KINDS.join(', ')}`);
  const lock = readLock(root);
  const config = readClientConfig(path, format, serversPath);
  const map = parseMap(options.map);
  for (const key of Object.keys(map)) {
    if (!config.entries.some((e) => e.key === key)) throw usageError(`--map: ${path} has no server "${key}"`);
  }
  const project = projectReference(format, scope, path, root);
  const launcher = makeLauncher({
    kind,
    packageSpec: `${PACKAGE_NAME}@${VERSION}`,
    node: process.execPath,
    script: MCP_LOCK_BIN,
    project,
  });
  const items = planWrap(config.entries, lockTargets(root, lock), { format, launcher, project, map });
  const blocked = items.filter((i) => BLOCKING.has(i.action));
  if (blocked.length > 0 && !options.skipUnpinned) {
    throw new McpLockError(
      'NOT_PINNED',
      `${blocked.length} server(s) in ${path} cannot run through mcp-lock: ${blocked
        .slice(0, 10)
        .map((i) => `${i.key} (${i.reason})`)
        .join('; ')}`,
      {
        hint: `Pin them with \`mcp-lock import --client ${format.id}\` (or \`mcp-lock add\`), or pass --skip-unpinned to leave them as they are. Nothing was changed.`,
        data: { servers: blocked.map(itemData) },
      },
    );
  }
  for (const item of blocked) {
    ctx.out.warn(`${ctx.out.untrusted(item.key)} is left as it is: ${ctx.out.untrusted(item.reason ?? '')}`);
  }
  const toWrap = items.filter((i) => i.action === 'wrap');
  // `run` starts servers from the project store only: say so now rather than when the client connects.
  const notInstalled = toWrap
    .map((i) => i.name!)
    .filter((name) => {
      const entry = lock.servers[name];
      return entry?.package !== undefined && !existsSync(storeDir(root, name, entry.manifest));
    });
  for (const name of notInstalled) {
    ctx.out.warn(
      `${ctx.out.untrusted(name)} is not installed in ${root} yet: run \`mcp-lock install\` before the client starts it`,
    );
  }
  const summary = (changed: boolean, backup: string | null) => ({
    ok: true,
    client: format.id,
    config: path,
    changed,
    dryRun: Boolean(options.dryRun),
    backup,
    servers: items.map(itemData),
    notInstalled,
  });
  if (toWrap.length === 0) {
    const why = config.entries.length === 0 ? 'it lists no servers' : 'nothing is left to wrap';
    ctx.out.result(summary(false, readBackup(root, path)?.paths.original ?? null), [
      `${path} is unchanged: ${why}`,
      ...itemLines(ctx, items),
    ]);
    return 0;
  }
  const bytes = rewriteConfig(config, items, { format, launcher });
  if (options.dryRun) {
    ctx.out.result(summary(false, null), [
      `Would wrap ${toWrap.length} server(s) in ${path} (dry run)`,
      ...itemLines(ctx, items),
    ]);
    return 0;
  }
  const undoCommand = `mcp-lock wrap --client ${format.id}${options.config ? ` --config ${path}` : ''} --project ${root} --undo`;
  const written = writeWrapped(root, config, bytes, items, {
    force: Boolean(options.force),
    now: new Date(),
    undoHint: undoCommand,
  });
  if (written.retired) ctx.out.warn(`the earlier backup of ${path} was kept as ${written.retired}`);
  ctx.out.result(summary(true, written.backup.original), [
    `Wrapped ${toWrap.length} server(s) in ${path} (${format.label}): they now start ${launcher.command} … run <name> --project ${project}`,
    ...itemLines(ctx, items),
    `Backup of the original: ${written.backup.original}`,
    `Undo with: ${undoCommand}`,
  ]);
  return 0;
}

/** Where the wrapped entries say their project is, for a hint when the backup is not in this one. */
function projectsNamedIn(path: string, format: ClientFormat, serversPath: string[]): string[] {
  try {
    const config = readClientConfig(path, format, serversPath);
    const projects = new Set<string>();
    for (const e of config.entries) {
      const launch = describeEntry(e.value);
      if (launch.kind === 'wrapped' && launch.project) projects.add(launch.project);
    }
    return [...projects];
  } catch {
    return [];
  }
}

function undo(ctx: CommandContext, options: WrapOptions): number {
  const { format, root, path, serversPath } = locate(ctx, options);
  const elsewhere = () => projectsNamedIn(path, format, serversPath).filter((p) => p !== root);
  const result = undoWrap(root, path, {
    force: Boolean(options.force),
    now: new Date(),
    notFoundHint: () => {
      const others = elsewhere();
      return others.length
        ? `Its wrapped servers point to ${others.join(', ')}; pass --project ${others[0]}.`
        : 'Only a config that `mcp-lock wrap` rewrote from this project can be undone.';
    },
  });
  ctx.out.result({ ok: true, config: path, ...result }, [
    result.restored
      ? `Restored ${path} to its original bytes (sha256 ${result.sha256})`
      : `${path} already has its original bytes; the backup is removed`,
    ...(result.keptCurrent ? [`The edited version it replaced is kept in ${result.keptCurrent}`] : []),
  ]);
  return 0;
}

export function registerWrap(program: Command): void {
  program
    .command('wrap')
    .summary('make an MCP client start its servers through mcp-lock run (with backup and --undo)')
    .description(
      'Rewrite an MCP client’s config so that each server it lists starts through `mcp-lock run <name> --project ' +
        '<dir>`, the connect-time guard, instead of launching the package directly. A config entry maps to the lock ' +
        'entry that pins what it launches: the npm package of `npx -y <pkg>[@version]` (also npx --yes, npm exec, ' +
        'pnpm dlx, bunx, yarn dlx, behind `cmd /c` too), or the URL of a remote server. Each entry keeps its env, so ' +
        'secrets stay in the client config and reach the server through run (only the variables the pinned manifest ' +
        'declares are passed on). A version, arguments or environment in the config that differ from the pin are ' +
        'reported.\n\nThe rewritten config can be committed: the new command is `mcp-lock` from PATH (--launcher npx: ' +
        '`npx -y <this package>@<version>`), and a project-scope config names the project the way its client resolves ' +
        `paths: \`${WORKSPACE_FOLDER}/…\` in VS Code’s` +
        ' .vscode/mcp.json and Cursor’s .cursor/mcp.json, a path relative to ' +
        'Claude Code’s .mcp.json (Claude Code starts project servers in the project directory). User-level configs ' +
        'keep the absolute project path. --launcher absolute writes this machine’s Node.js and bin/mcp-lock.js instead, ' +
        'for GUI clients that start servers with a minimal PATH.\n\nServers that are not pinned (or cannot be: ' +
        'uvx, docker, a local path, a remote that needs headers) make wrap fail with nothing changed, unless ' +
        '--skip-unpinned leaves them as they are.\n\nBefore writing, the exact original bytes are saved in the project ' +
        'under .mcp-lock/wrap/ (ignored by git; an existing backup is never replaced silently), and the config is ' +
        'rewritten atomically, touching only the wrapped entries (comments in a VS Code JSONC file stay). Wrapping ' +
        'again is a no-op. `--undo` restores the original bytes exactly, and refuses if the config changed since it ' +
        'was wrapped unless --force (which keeps the changed file beside the backup).\n\nConfig locations: claude-desktop ' +
        'claude_desktop_config.json (macOS ~/Library/Application Support/Claude, Windows %APPDATA%\\Claude, Linux ' +
        '~/.config/Claude); cursor .cursor/mcp.json (--scope user: ~/.cursor/mcp.json); vscode .vscode/mcp.json ' +
        '(--scope user: the profile’s mcp.json); claude-code .mcp.json (--scope user: ~/.claude.json, --scope local: ' +
        'this project in ~/.claude.json).',
    )
    .requiredOption('--client <client>', `the MCP client: ${CLIENT_IDS.join(', ')}`)
    .option('--config <path>', 'the client config file (default: the client’s location for --scope)')
    .option('--scope <scope>', 'which of the client’s configs: project, user or local (claude-code)')
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('--skip-unpinned', 'leave servers that are not pinned as they are (with a warning) instead of failing')
    .option('--map <entry=name>', 'run this config entry as this lock entry (repeatable)', collect)
    .option(
      '--launcher <kind>',
      'how wrapped entries start mcp-lock: path (`mcp-lock` on PATH), npx (`npx -y` this package and version), or absolute (this machine’s node and script)',
      'path',
    )
    .option('--dry-run', 'show what would change and write nothing')
    .option('--undo', 'restore the config’s original bytes from the backup')
    .option('-f, --force', 'with --undo: restore even if the config changed since; without: start a new backup')
    .action(
      action(async (ctx, options: WrapOptions) => {
        if (options.undo) {
          if (options.skipUnpinned || options.map || options.dryRun || (options.launcher ?? 'path') !== 'path') {
            throw usageError('--undo takes only --client, --config, --scope, --project and --force');
          }
          return undo(ctx, options);
        }
        return wrap(ctx, options);
      }),
    );
}
