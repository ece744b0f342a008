// `mcp-lock run <name>`: the connect-time guard. MCP clients launch this instead of the server; it verifies
// the pinned server offline, starts it from the project store (or bridges to its pinned remote endpoint)
// and proxies JSON-RPC on stdin/stdout through the guard. stdout carries only JSON-RPC, so every message
// for a human goes to stderr, even with --json.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { filesystemPaths } from '../../adapters/fs/path-resolver.ts';
import { readPolicy } from '../../adapters/project/policy-file.ts';
import { projectPaths } from '../../adapters/project/project.ts';
import { AuditLog, defaultAuditPath } from '../../adapters/proxy/audit-log.ts';
import { StdioClient } from '../../adapters/proxy/client-stdio.ts';
import { HttpUpstream } from '../../adapters/proxy/http-upstream.ts';
import { type LockedContext, lockedContext } from '../../adapters/proxy/locked-context.ts';
import { runProxy } from '../../adapters/proxy/proxy.ts';
import { answerWithRefusal } from '../../adapters/proxy/refuse.ts';
import { SseUpstream } from '../../adapters/proxy/sse-upstream.ts';
import { StdioUpstream } from '../../adapters/proxy/stdio-upstream.ts';
import type { Upstream } from '../../adapters/proxy/upstream.ts';
import { type SandboxedLaunch, sandboxForResolved } from '../../adapters/sandbox/sandbox.ts';
import { asMcpLockError, McpLockError } from '../../core/errors.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, Guard, type OnDrift } from '../../core/guard/guard.ts';
import { isLocalPackage, LOCAL_LABEL } from '../../core/manifest/check-tree.ts';
import { PLACEHOLDER_TEXT } from '../../core/permissions/permissions.ts';
import { POLICY_FILE } from '../../core/policy/policy-types.ts';
import { resolveServerPolicy, type ServerPolicy } from '../../core/policy/resolve-policy.ts';
import { visible } from '../../core/text/hidden-chars.ts';
import { action, usageError } from '../command.ts';
import { EXIT, exitCodeFor } from '../exit-codes.ts';
import { maxItemsOption, parseMaxItems } from './max-items.ts';

interface RunOptions {
  project?: string;
  onDrift: string;
  auditLog?: string;
  allowShadowing?: boolean;
  timeout: string;
  callTimeout: string;
  maxMessageBytes: string;
  maxItems?: string;
  sandbox: boolean;
}

function positiveInt(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0 || n > max)
    throw usageError(`${flag} must be a whole number from 1 to ${max}`);
  return n;
}

/**
 * The sandbox a local server's permissions ask for, or a loud note why it runs without one. Throws
 * SANDBOX_UNAVAILABLE when a sandbox is asked for and cannot be set up.
 */
async function startSandbox(
  context: LockedContext,
  root: string,
  name: string,
  options: RunOptions,
  env: Readonly<Record<string, string | undefined>>,
  audit: AuditLog,
  say: (text: string) => void,
): Promise<SandboxedLaunch | undefined> {
  const { resolved } = context;
  if (resolved.launch.kind !== 'stdio') return undefined;
  const permissions = resolved.manifest.permissions;
  if (!permissions) {
    // A manifest from before permissions existed: said on stderr; the session record shows no sandbox event.
    say(`warning: ${visible(name)} declares no permissions: it runs unsandboxed, with all of your rights`);
    return undefined;
  }
  if (!options.sandbox) {
    say(
      `WARNING: --no-sandbox: ${visible(name)} runs WITHOUT the sandbox its permissions ask for, with all of your ` +
        'rights (every file you can read, the network, your whole environment)',
    );
    audit.write({ event: 'sandbox', decision: 'reported', state: 'disabled', reason: '--no-sandbox' });
    return undefined;
  }
  const sandbox = await sandboxForResolved(root, resolved, env, (d) => {
    if (!d.allowed)
      say(
        `network: blocked ${d.method} ${visible(d.host)}:${d.port} (${visible(d.reason ?? "not in the server's permissions")})`,
      );
    audit.write({
      event: 'network',
      decision: d.allowed ? 'allowed' : 'blocked',
      method: d.method,
      host: d.host,
      port: d.port,
      ...(d.reason ? { reason: d.reason } : {}),
    });
  });
  if (!sandbox) return undefined;
  audit.write({
    event: 'sandbox',
    decision: 'allowed',
    state: 'sandboxed',
    read: sandbox.permissions.read,
    write: sandbox.permissions.write,
    network: sandbox.permissions.network,
  });
  return sandbox;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .summary('run a pinned server behind the connect-time guard (what MCP clients launch)')
    .description(
      'Start a pinned MCP server and guard it for the whole session. Configure your MCP client to launch ' +
        '`mcp-lock run <name> --project <dir>` instead of the server itself.\n\n' +
        'Before anything starts, the server is verified offline against mcp-lock.json: the stored manifest, ' +
        'the publisher signature and curator approval, and the installed files. It is launched from the ' +
        'project store with the arguments and environment the lock declares (never npx, never re-resolved); a ' +
        'pinned remote server is reached over Streamable HTTP instead.\n\n' +
        'While it runs, every JSON-RPC message between the client (stdin/stdout) and the server passes the ' +
        'guard: the instructions and every page of tools/list, prompts/list, resources/list and ' +
        'resources/templates/list must match the pins, again after every list-changed notification and on ' +
        'every later list, in both protocol eras. Unpinned or changed items are never shown; calls, reads ' +
        'and gets for them are answered with a JSON-RPC error and never reach the server. On drift the ' +
        'default is to block: the client gets an error naming the items and the changed fields, and the ' +
        'server is stopped. A resource the server adds at run time is drift too, unless the pin declares that ' +
        "the server adds resources at run time (`add --tofu --dynamic-resources`, or the publisher's manifest): " +
        'then it is only hidden, and reading it is refused unless a pinned resource template covers its URI. ' +
        'Tools with the same name as a tool of another ' +
        'server in the lock are hidden unless the lock accepts that finding.\n\n' +
        'A local server whose manifest declares permissions runs in a bubblewrap sandbox (Linux): it sees only ' +
        'the runtime, its own installed package (read-only), the paths it declares (read-only or read-write; ' +
        `${PLACEHOLDER_TEXT}; \${data} is .mcp-lock/data/<name>, \${arg:N} its Nth argument) and a private /tmp and ` +
        'HOME; it has no network unless it declares host:port targets, which it then reaches only through an ' +
        'allow-listing proxy; and its environment holds only the variables it declares. If no sandbox can be ' +
        'set up (no bwrap, user namespaces off, not Linux) run refuses with exit 3; --no-sandbox starts it ' +
        'unsandboxed anyway, loudly, and says so in the audit log.\n\n' +
        'tools/call arguments must satisfy the pinned inputSchema (checked strictly; nothing is coerced or ' +
        'filled in): an invalid call gets a JSON-RPC -32602 error naming the field and never reaches the ' +
        'server. A request sent without an id (as a notification) is dropped; a message longer than ' +
        '--max-message-bytes ends the session. Tool results, resource contents and prompt messages reach the ' +
        'client with hidden instructions neutralised (Unicode tag characters, bidi controls, zero-width ' +
        'characters outside emoji and letter joins, ANSI escapes and control characters), each audited.\n\n' +
        'Arguments and results are scanned for credentials (private keys, cloud keys, API tokens, JWTs, ' +
        'passwords in URLs): by default one in the arguments is refused with -32602 before the server sees it, ' +
        'one in a result is audited; the audit log and stderr name its kind and JSON pointer, never the value. ' +
        'Calls over a limit (per tool and per server per minute, the same call repeated, argument bytes) get ' +
        'a JSON-RPC -32011 error and are audited; the policy can stop the server instead.\n\n' +
        `The runtime policy in ${POLICY_FILE} beside mcp-lock.json (optional; built-in defaults otherwise, see ` +
        'the README) sets argument caps and allow-lists, result handling, limits and confirmation per server ' +
        'and tool; an invalid policy file refuses the start (exit 2).\n\n' +
        'Every decision goes to a JSON-lines audit log; messages for humans go to stderr with hidden ' +
        'characters made visible. stdout carries only JSON-RPC.\n\n' +
        'Exit codes: 0 the client closed the session, 1 the guard blocked the server (or verification failed ' +
        'before start), 2 usage, 3 the server could not be started or went away.',
    )
    .argument('<name>', 'server name as pinned in mcp-lock.json, e.g. io.github.owner/server')
    .option(
      '-p, --project <dir>',
      'directory that holds mcp-lock.json (default: $MCP_LOCK_PROJECT, else the current directory)',
    )
    .option(
      '--on-drift <action>',
      'block: answer with an error and stop the server; filter: hide only the drifted items',
      'block',
    )
    .option('--audit-log <file>', 'append the audit log to this file (default: .mcp-lock/audit/<name>.jsonl)')
    .option('--allow-shadowing', 'report, but do not hide, tools named like a tool of another server in the lock')
    .option('--timeout <ms>', 'how long initialize, server/discover and list requests may wait', '30000')
    .option(
      '--call-timeout <ms>',
      'how long any other request may wait (progress notifications restart the clock); then the client gets an error',
      '600000',
    )
    .option(
      '--max-message-bytes <n>',
      'largest single message (one line) accepted from either side; a longer one is refused, audited and ends the session',
      String(DEFAULT_MAX_MESSAGE_BYTES),
    )
    .option(...maxItemsOption())
    .option(
      '--no-sandbox',
      'start the server WITHOUT the sandbox its permissions ask for, with all of your rights (loud; recorded in the audit log)',
    )
    .action(
      action(async (ctx, name: string, options: RunOptions) => {
        const say = (text: string) => ctx.out.stderrLine(`mcp-lock: ${text}`);
        const session = randomUUID();
        let root: string | undefined;
        let auditPath: string | undefined;
        let onDrift: OnDrift;
        let requestTimeoutMs: number;
        let callTimeoutMs: number;
        let maxMessageBytes: number;
        let maxItems: number | undefined;
        let context: LockedContext;
        let policy: ServerPolicy;
        let policySource = 'built-in defaults';
        let audit: AuditLog;
        let sandbox: SandboxedLaunch | undefined;
        try {
          if (options.onDrift !== 'block' && options.onDrift !== 'filter') {
            throw usageError('--on-drift is block or filter');
          }
          onDrift = options.onDrift;
          requestTimeoutMs = positiveInt(options.timeout, '--timeout', 3_600_000);
          callTimeoutMs = positiveInt(options.callTimeout, '--call-timeout', 86_400_000);
          maxMessageBytes = positiveInt(options.maxMessageBytes, '--max-message-bytes', 1024 * 1024 * 1024);
          maxItems = parseMaxItems(options.maxItems);
          root = resolve(ctx.cwd, options.project ?? ctx.env.MCP_LOCK_PROJECT ?? '.');
          auditPath = options.auditLog ? resolve(ctx.cwd, options.auditLog) : defaultAuditPath(root, name);
          context = lockedContext(root, name, ctx.env, { allowShadowing: Boolean(options.allowShadowing) });
          // An invalid policy refuses the start (exit 2): guarding with a policy other than the reviewed one
          // would be worse than not starting.
          const policyFile = readPolicy(root);
          if (policyFile) policySource = POLICY_FILE;
          policy = resolveServerPolicy(policyFile, name);
          const { entry } = context.resolved;
          try {
            audit = new AuditLog(auditPath, {
              server: name,
              version: entry.version,
              manifest: entry.manifest,
              session,
            });
          } catch (error) {
            throw new McpLockError(
              'STORAGE_ERROR',
              `cannot write the audit log ${auditPath}: ${(error as Error).message}`,
              {
                hint: 'Every decision is logged; pass --audit-log <file> with a writable path.',
              },
            );
          }
          sandbox = await startSandbox(context, root, name, options, ctx.env, audit, say);
        } catch (error) {
          // stdout carries only JSON-RPC, even for errors (and even with --json): say why on stderr, and
          // answer the client's first requests with the reason, so it is shown instead of "connection closed".
          const err = asMcpLockError(error);
          say(`refusing to start ${visible(name)}: ${err.code}: ${visible(err.message)}`);
          if (err.hint) say(`hint: ${visible(err.hint)}`);
          if (root && auditPath && (options.auditLog || existsSync(projectPaths(root).state))) {
            try {
              const refusal = new AuditLog(auditPath, { server: name, session });
              refusal.write({ event: 'refused', decision: 'blocked', code: err.code, reason: err.message });
              refusal.close();
            } catch {
              // The refusal is reported on stderr; a log we cannot write does not change it.
            }
          }
          await sandbox?.close();
          await answerWithRefusal(process.stdin, process.stdout, `mcp-lock refused to start ${name}: ${err.message}`, {
            code: err.code,
            server: name,
          });
          process.stdin.destroy();
          return exitCodeFor(err.code);
        }

        const { resolved, surface, shadowing } = context;
        audit.write({
          event: 'session',
          decision: 'allowed',
          onDrift,
          policy: policySource,
          transport: resolved.launch.kind,
          pid: process.pid,
          pins: {
            instructions: surface.pins.instructions,
            tools: Object.keys(surface.pins.tools).length,
            prompts: Object.keys(surface.pins.prompts).length,
            resources: Object.keys(surface.pins.resources).length,
            resourceTemplates: Object.keys(surface.pins.resourceTemplates).length,
          },
        });
        for (const finding of context.unreadable) {
          say(`warning: ${visible(finding.message)} (its tools are not checked for shadowing)`);
          audit.write({ event: 'shadowing', decision: 'failed', reason: finding.message });
        }
        for (const [tool, servers] of shadowing.blocked) {
          say(
            `HIDDEN tool "${visible(tool)}": another server in the lock has a tool with the same name ` +
              `(${servers.map((s) => visible(s)).join(', ')}); pass --allow-shadowing to keep it`,
          );
          audit.write({ event: 'shadowing', decision: 'blocked', kind: 'tools', key: tool, shadows: servers });
        }
        for (const finding of shadowing.reported) {
          const whose = finding.server === name ? '' : `${visible(finding.server)}'s `;
          say(
            `warning: shadowing: ${whose}tool "${visible(finding.item.replace(/^tools\//, ''))}" ${visible(finding.message)}`,
          );
          audit.write({
            event: 'shadowing',
            decision: 'reported',
            rule: finding.rule,
            owner: finding.server,
            severity: finding.severity,
            kind: 'tools',
            key: finding.item.replace(/^tools\//, ''),
            path: finding.path,
            reason: finding.message,
            digest: finding.digest,
          });
        }
        for (const [tool, servers] of shadowing.allowed) {
          say(
            `warning: tool "${visible(tool)}" has the same name as a tool of ${servers.map((s) => visible(s)).join(', ')}`,
          );
          audit.write({ event: 'shadowing', decision: 'reported', kind: 'tools', key: tool, shadows: servers });
        }

        // Path allow-lists resolve relative arguments where the server does (its working directory, the
        // install directory) and ~ as its HOME; a remote server's filesystem is not ours to look at.
        const local = resolved.launch.kind === 'stdio' ? (sandbox?.launch ?? resolved.launch.launch) : undefined;
        const paths = local
          ? filesystemPaths({ cwd: local.cwd ?? root, root, ...(local.env.HOME ? { home: local.env.HOME } : {}) })
          : { cwd: null, root, home: null, realpath: (p: string) => p };
        const guard = new Guard({
          server: name,
          surface,
          onDrift,
          shadowing,
          limits: { requestTimeoutMs, callTimeoutMs, maxMessageBytes, ...(maxItems ? { maxItems } : {}) },
          policy,
          paths,
        });
        const upstream: Upstream =
          resolved.launch.kind === 'stdio'
            ? new StdioUpstream(sandbox?.launch ?? resolved.launch.launch, {
                maxMessageBytes,
                stderr: (line) => ctx.out.stderrLine(line),
              })
            : resolved.launch.transport === 'sse'
              ? new SseUpstream(resolved.launch.url, { headers: resolved.launch.headers, maxMessageBytes })
              : new HttpUpstream({
                  url: resolved.launch.url,
                  headers: resolved.launch.headers,
                  maxMessageBytes,
                  toolDefinition: (tool) => guard.toolDefinition(tool),
                  notice: say,
                });
        const client = new StdioClient(process.stdin, process.stdout, maxMessageBytes);
        ctx.out.progress(
          `mcp-lock: guarding ${visible(name)}@${visible(resolved.entry.version)}${resolved.entry.package && isLocalPackage(resolved.entry.package) ? ` ${LOCAL_LABEL}` : ''} (${resolved.entry.manifest}; ` +
            `on drift: ${onDrift}; audit log: ${auditPath}; verified offline from the lock, registry freshness ` +
            'not checked: `mcp-lock verify --online` checks it)',
        );
        const outcome = await runProxy({ guard, upstream, client, audit, notice: say, signal: ctx.signal });
        await sandbox?.close();
        process.stdin.destroy();
        if (outcome.serverGone) return EXIT.couldNotVerify;
        if (outcome.stopped) return EXIT.verificationFailed;
        return EXIT.ok;
      }),
    );
}
