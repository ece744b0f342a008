// The demo's story, step by step: a private registry, a publisher who signs a real MCP server from the
// npm registry, a curator who approves it, a consumer project that pins and verifies it, an MCP client
// that uses it through `mcp-lock run`; then a second (remote) server whose tool changes after review, and
// the guard refusing it. Every step runs the real CLI and prints the command; a step that does not end
// as it should throws a DemoError, and run.ts cleans up.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { visible } from '../core/text/hidden-chars.ts';
import { connectThroughGuard, type GuardedClient, runArguments } from './guarded-client.ts';
import type { Narrator } from './narrator.ts';
import type { CliResult, Processes } from './processes.ts';
import {
  decodeTagEscapes,
  HIDDEN_INSTRUCTION,
  HONEST_DESCRIPTION,
  POISONED_DESCRIPTION,
  startWeatherServer,
} from './weather-server.ts';

export const PACKAGE = '@modelcontextprotocol/server-everything@2026.8.31';
export const EVERYTHING = 'io.github.demo/everything';
export const EVERYTHING_VERSION = '2026.8.31';
export const WEATHER = 'io.github.demo/weather';
export const WEATHER_VERSION = '1.0.0';
export const NAMESPACE = 'io.github.demo';
export const STEPS = 13;

const NPM_TIMEOUT_MS = 300_000;
const QUICK_TIMEOUT_MS = 60_000;

export class DemoError extends Error {}

export interface DemoContext {
  work: string;
  say: Narrator;
  procs: Processes;
  /** The environment every child process gets. */
  env: Record<string, string>;
  /** Run this during cleanup (last registered, first run). */
  defer(label: string, fn: () => Promise<void>): void;
  /** Fail on purpose when this step begins (MCP_LOCK_DEMO_FAIL_AT, for the demo's own tests). */
  failAt: number | null;
}

interface CliStep {
  /** Directory to run in, relative to the work directory. */
  in: string;
  /** Extra environment (e.g. a token) and how to show it in the printed command. */
  env?: Record<string, string>;
  envNote?: string;
  /** Expected exit code (default 0). */
  exit?: number;
  /** Print the command's output lines (default true). */
  show?: boolean;
  timeoutMs?: number;
  /** Said after the error if the step fails (e.g. that it needs the npm registry). */
  hint?: string;
}

const NPM_HINT = 'This step downloads from the npm registry (https://registry.npmjs.org): check the network.';

function begin(ctx: DemoContext, title: string, ...explanation: string[]): void {
  ctx.say.begin(title, ...explanation);
  if (ctx.failAt === ctx.say.stepNumber) {
    throw new DemoError(`failing on purpose at step ${ctx.failAt} (MCP_LOCK_DEMO_FAIL_AT is set)`);
  }
}

/** Run the real CLI, show the command and its output, and insist on the expected exit code. */
async function cli(ctx: DemoContext, args: string[], step: CliStep): Promise<CliResult> {
  const cwd = join(ctx.work, step.in);
  ctx.say.command(args, step.in === '.' ? undefined : `${step.in}/`, step.envNote);
  const show = step.show ?? true;
  const result = await ctx.procs.runCli(args, {
    cwd,
    ...(step.env ? { env: step.env } : {}),
    timeoutMs: step.timeoutMs ?? QUICK_TIMEOUT_MS,
    onLine: (line) => {
      if (show && line.trim()) ctx.say.output(line);
    },
  });
  const expected = step.exit ?? 0;
  if (result.code !== expected) {
    const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-15).join('\n');
    const how = result.signal ? `was stopped by ${result.signal}` : `exited with ${result.code}`;
    const hint = step.hint ? `\n${step.hint}` : '';
    throw new DemoError(`\`mcp-lock ${args[0]} ${args[1] ?? ''}\` ${how} (expected ${expected}):\n${tail}${hint}`);
  }
  return result;
}

function json(result: CliResult): Record<string, unknown> {
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new DemoError(`expected a JSON document from mcp-lock, got:\n${result.stdout.slice(0, 400)}`);
  }
}

function shortToken(token: string): string {
  return `${token.slice(0, 9)}…`;
}

async function connect(ctx: DemoContext, name: string): Promise<GuardedClient> {
  const project = join(ctx.work, 'project');
  const session = await connectThroughGuard(name, project, ctx.env, (pid) => {
    ctx.procs.adopt(`mcp-lock run ${name}`, pid);
  });
  ctx.defer(`the MCP client session with ${name}`, () => session.close());
  return session;
}

/** Audit records without the fields every record repeats, digests shortened: one readable line each. */
function auditRecords(path: string): { decision: unknown; line: string }[] {
  if (!existsSync(path)) throw new DemoError(`mcp-lock run wrote no audit log at ${path}`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((raw) => {
      const record = JSON.parse(raw) as Record<string, unknown>;
      const { time: _t, session: _s, server: _n, version: _v, manifest: _m, ...rest } = record;
      const line = JSON.stringify(rest).replace(/sha256:([0-9a-f]{12})[0-9a-f]{52}/g, 'sha256:$1…');
      return { decision: record.decision, line };
    });
}

function text(result: unknown): string {
  const content = (result as { content?: { type?: string; text?: string }[] }).content ?? [];
  return content.map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type}]`)).join(' ');
}

// ─────────────────────────────────────── the story ───────────────────────────────────────

export async function tellStory(ctx: DemoContext): Promise<void> {
  const { say, work } = ctx;
  for (const dir of ['publisher', 'project']) mkdirSync(join(work, dir), { recursive: true });

  say.part('Part 1: a private registry, a publisher and a curator');

  begin(
    ctx,
    'Start a private registry',
    'The embedded store keeps everything in one data directory; no database server. It binds 127.0.0.1,',
    'and port 0 lets the system pick a free port.',
  );
  const serveArgs = ['registry', 'serve', '--port', '0', '--data', 'registry-data', '--log-level', 'warn', '--json'];
  say.command(serveArgs);
  const registry = await ctx.procs.startRegistry(serveArgs, { cwd: work, timeoutMs: 30_000 });
  say.observed(`listening on ${registry.url} (pid ${registry.process.pid})`, '');
  say.note(`approval key ${registry.approvalKeyId.slice(0, 16)}… (the registry countersigns approvals with it)`);

  begin(
    ctx,
    'The registry operator sets up the namespace io.github.demo',
    'A publisher key pair (the publisher keeps the private half), a publisher token and a curator token,',
    'and the publisher’s public key registered as the only signer for the namespace.',
  );
  await cli(ctx, ['keygen', '--out', 'demo-publisher'], { in: 'publisher' });
  const tokens: Record<string, string> = {};
  for (const role of ['publisher', 'curator']) {
    const args = [
      'registry',
      'token',
      'create',
      '--role',
      role,
      '--scope',
      `${NAMESPACE}/*`,
      '--label',
      `demo ${role}`,
      '--data',
      'registry-data',
      '--json',
    ];
    const created = json(await cli(ctx, args, { in: '.', show: false }));
    const token = created.token;
    if (typeof token !== 'string' || token.length < 16) throw new DemoError('the registry printed no token');
    say.secret(token, shortToken(token));
    tokens[role] = token;
    say.observed(`${role} token ${shortToken(token)} (printed once; the demo keeps it in memory only)`, '');
  }
  await cli(
    ctx,
    [
      'registry',
      'signer',
      'add',
      '--namespace',
      NAMESPACE,
      '--key',
      'publisher/demo-publisher.pub.pem',
      '--data',
      'registry-data',
    ],
    { in: '.' },
  );
  const publisherEnv = { MCP_LOCK_TOKEN: tokens.publisher! };
  const curatorEnv = { MCP_LOCK_TOKEN: tokens.curator! };

  begin(
    ctx,
    `The publisher makes a manifest of a real MCP server: ${PACKAGE}`,
    'mcp-lock installs the exact package from the npm registry into a sandbox (install scripts off), records',
    'its whole dependency tree with integrity hashes, starts it and reads every tool, prompt and resource.',
  );
  await cli(ctx, ['manifest', PACKAGE, '--name', EVERYTHING, '--out', 'everything.json'], {
    in: 'publisher',
    timeoutMs: NPM_TIMEOUT_MS,
    hint: NPM_HINT,
  });

  begin(ctx, 'The publisher signs the manifest', 'A Sigstore bundle over the SHA-256 of the canonical manifest.');
  await cli(ctx, ['sign', 'everything.json', '--key', 'demo-publisher.pem'], { in: 'publisher' });

  begin(
    ctx,
    'The publisher publishes it',
    'The registry checks the signature against the namespace’s signer. New versions wait for review:',
    'consumers cannot see them yet.',
  );
  await cli(ctx, ['publish', 'everything.json', '--registry', registry.url], {
    in: 'publisher',
    env: publisherEnv,
    envNote: 'MCP_LOCK_TOKEN=$PUBLISHER_TOKEN',
  });

  begin(
    ctx,
    'A curator reviews and approves it',
    'Approving makes the registry countersign the same manifest digest with its own key.',
  );
  await cli(ctx, ['registry', 'queue', '--registry', registry.url], {
    in: '.',
    env: curatorEnv,
    envNote: 'MCP_LOCK_TOKEN=$CURATOR_TOKEN',
  });
  await cli(
    ctx,
    [
      'registry',
      'approve',
      `${EVERYTHING}@${EVERYTHING_VERSION}`,
      '--reason',
      'reviewed in the demo',
      '--registry',
      registry.url,
    ],
    { in: '.', env: curatorEnv, envNote: 'MCP_LOCK_TOKEN=$CURATOR_TOKEN' },
  );

  say.part('Part 2: a consumer project pins it, and an MCP client uses it');

  begin(
    ctx,
    'Create a project that trusts the registry',
    'mcp-lock.json pins the registry’s approval key on first use (compare its fingerprint out of band).',
  );
  await cli(ctx, ['init', '--registry', registry.url], { in: 'project' });

  begin(
    ctx,
    `Add ${EVERYTHING}`,
    'Verifies the publisher signature and the curator’s countersignature, installs the exact pinned tree',
    '(every tarball checked against its integrity, scripts off) and pins every tool’s hash in mcp-lock.json.',
    'It also lints what it pins: its warnings are things a reviewer should read, not a refusal.',
  );
  await cli(ctx, ['add', `${EVERYTHING}@${EVERYTHING_VERSION}`], {
    in: 'project',
    timeoutMs: NPM_TIMEOUT_MS,
    hint: NPM_HINT,
  });

  begin(ctx, 'Verify the project, as CI would', 'Offline: signatures, approval, manifests and installed files.');
  await cli(ctx, ['verify'], { in: 'project' });

  begin(
    ctx,
    'Connect a real MCP client through `mcp-lock run`',
    'The official MCP SDK client launches `mcp-lock run` instead of the server, exactly as a client config',
    'would; mcp-lock verifies the pin, starts the server from the project store and checks every list.',
  );
  const project = join(work, 'project');
  say.note(`client config: {"command": "mcp-lock", "args": ${JSON.stringify(runArguments(EVERYTHING, project))}}`);
  const everything = await connect(ctx, EVERYTHING);
  say.observed(`connected; mcp-lock run is pid ${everything.pid}`, '');
  const { tools } = await everything.client.listTools();
  say.observed(`tools/list: ${tools.length} tools, all matching their pins:`, tools.map((t) => t.name).join(', '));
  const echo = await everything.client.callTool({ name: 'echo', arguments: { message: 'hello through mcp-lock' } });
  const echoed = text(echo);
  say.observed('tools/call echo {"message": "hello through mcp-lock"} →', echoed);
  if (echoed !== 'Echo: hello through mcp-lock') throw new DemoError(`unexpected echo result: ${visible(echoed)}`);
  const sum = await everything.client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
  say.observed('tools/call get-sum {"a": 2, "b": 3} →', text(sum));

  say.part('Part 3: a rug pull — a reviewed tool changes, and the guard blocks it');

  begin(
    ctx,
    'A second server, reviewed and pinned the same way: a remote weather server',
    'It runs on 127.0.0.1 (Streamable HTTP); nothing to install, so what mcp-lock pins is its surface.',
  );
  const weather = await startWeatherServer();
  ctx.defer('the weather server', () => weather.close());
  say.observed(`weather server listening on ${weather.url}`, '');
  await cli(
    ctx,
    [
      'manifest',
      '--url',
      weather.url,
      '--name',
      WEATHER,
      '--server-version',
      WEATHER_VERSION,
      '--description',
      'Weather forecasts (mcp-lock demo)',
      '--protocol',
      'handshake',
      '--out',
      'weather.json',
    ],
    { in: 'publisher' },
  );
  await cli(ctx, ['sign', 'weather.json', '--key', 'demo-publisher.pem'], { in: 'publisher' });
  await cli(ctx, ['publish', 'weather.json', '--registry', registry.url], {
    in: 'publisher',
    env: publisherEnv,
    envNote: 'MCP_LOCK_TOKEN=$PUBLISHER_TOKEN',
  });
  await cli(ctx, ['registry', 'approve', `${WEATHER}@${WEATHER_VERSION}`, '--registry', registry.url], {
    in: '.',
    env: curatorEnv,
    envNote: 'MCP_LOCK_TOKEN=$CURATOR_TOKEN',
  });
  await cli(ctx, ['add', `${WEATHER}@${WEATHER_VERSION}`], { in: 'project' });

  begin(ctx, 'The client uses the weather server through `mcp-lock run`');
  const forecast = await connect(ctx, WEATHER);
  say.observed(`connected; mcp-lock run is pid ${forecast.pid}`, '');
  const listed = await forecast.client.listTools();
  for (const tool of listed.tools) say.observed(`tool ${visible(tool.name)}:`, tool.description ?? '');
  const sunny = await forecast.client.callTool({ name: 'forecast', arguments: { city: 'Lisbon' } });
  say.observed('tools/call forecast {"city": "Lisbon"} →', text(sunny));

  begin(
    ctx,
    'The rug pull: the operator changes the tool after it was reviewed',
    'The new description looks the same in a UI, but hides an instruction for the model in invisible',
    'Unicode tag characters. The server announces the change (notifications/tools/list_changed).',
  );
  const hidden = Array.from(POISONED_DESCRIPTION).length - Array.from(HONEST_DESCRIPTION).length;
  say.note(`what a person sees:   "${HONEST_DESCRIPTION}"`);
  say.note(`what the model reads: the same, followed by ${hidden} invisible characters from the Unicode tag block`);
  weather.rugPull();
  const announced = await forecast.toolListChanged(5_000);
  say.observed(
    announced
      ? 'the client was told the tool list changed; it lists the tools again, as clients do:'
      : 'the client lists the tools again:',
    '',
  );
  let refusal: string | null = null;
  try {
    const again = await forecast.client.listTools();
    say.bad(`the client received: ${visible(JSON.stringify(again.tools.map((t) => t.description)))}`);
  } catch (error) {
    refusal = error instanceof Error ? error.message : String(error);
  }
  if (refusal === null) throw new DemoError('the guard let the changed tool through');
  say.bad(`refused: ${visible(refusal)}`);
  const callsBefore = weather.calls;
  let callRefusal: string | null = null;
  try {
    await forecast.client.callTool({ name: 'forecast', arguments: { city: 'Lisbon' } });
  } catch (error) {
    callRefusal = error instanceof Error ? error.message : String(error);
  }
  if (callRefusal === null || weather.calls !== callsBefore) {
    throw new DemoError('a call to the changed tool reached the server');
  }
  say.bad('tools/call forecast: refused as well; the call never reached the server');

  await forecast.waitForStderr(/BLOCKED|blocked/, 3_000);
  say.note(`what \`mcp-lock run\` said on stderr (hidden characters shown as \\u{…}):`);
  const explanation = forecast.stderrLines.filter((l) => l.trim() && !/^mcp-lock: guarding /.test(l));
  for (const line of explanation) say.output(line);
  const decoded = decodeTagEscapes(explanation.join('\n'));
  if (!/description/.test(explanation.join('\n')) || decoded !== HIDDEN_INSTRUCTION) {
    throw new DemoError('mcp-lock run did not name the changed field with its hidden characters made visible');
  }
  say.note(`decoded, those \\u{E00xx} tag characters spell: "${decoded}"`);
  for (let i = 0; i < 40 && weather.endedSessions === 0; i++) await new Promise((r) => setTimeout(r, 50));
  if (weather.endedSessions > 0)
    say.observed('mcp-lock stopped the server: it ended its session with the weather server', '');
  else throw new DemoError('mcp-lock did not stop the server after blocking it');

  const auditPath = join(project, '.mcp-lock', 'audit', `${encodeURIComponent(WEATHER)}.jsonl`);
  // run writes its audit log in batches off the message path (every 25 ms): wait for the stop record.
  const stopped = () => existsSync(auditPath) && auditRecords(auditPath).some((r) => r.decision === 'stopped');
  for (let i = 0; i < 60 && !stopped(); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  say.note(`the audit log (${relative(work, auditPath)}, JSON lines) records every decision; the blocking ones:`);
  for (const record of auditRecords(auditPath).filter((r) => r.decision === 'blocked' || r.decision === 'stopped')) {
    say.output(record.line);
  }

  say.part('What you saw');
  say.good(`a real MCP server from npm became a signed manifest, approved and countersigned by a curator`);
  say.good('the consumer pinned it in mcp-lock.json: signatures, the exact dependency tree, every tool’s hash');
  say.good('an MCP client used it through `mcp-lock run` as if connected directly');
  say.good('when a reviewed tool changed, the client was refused, the server stopped, and the change shown');
  say.line('    with its hidden characters made visible. The same check runs on every launch and every list.');
}
