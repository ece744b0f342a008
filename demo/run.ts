// `npm run demo`: the guided tour of mcp-lock for a newcomer (see story.ts for what it shows). This file
// owns the frame around the story: a private temporary directory (never the user's cwd or home), the
// environment every child process gets, Ctrl-C and failures, and the cleanup that always runs — every
// process stopped, the directory removed (unless --keep), and a closing line saying exactly that.
//
// Options: --keep keeps the temporary directory for exploring; --help. For the demo's own tests,
// MCP_LOCK_DEMO_FAIL_AT=<step> makes that step fail on purpose (to prove the cleanup on failure).

import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Narrator } from './narrator.ts';
import { BIN, Processes } from './processes.ts';
import { type DemoContext, DemoError, STEPS, tellStory } from './story.ts';

const USAGE = `Usage: npm run demo [-- --keep]

A guided tour of mcp-lock in about a minute: a private registry with its embedded store, a real MCP
server from the npm registry published, approved and pinned, a real MCP client connected through
\`mcp-lock run\`, and a rug-pulled tool blocked. Everything happens in a temporary directory and on
127.0.0.1; every process the demo starts is stopped and the directory removed at the end.

Options:
  --keep   keep the temporary directory (registry data, publisher keys, the consumer project)
  --help   show this help
`;

class Interrupted extends Error {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}

/** The environment of every child: the user's, minus settings that would change what the demo shows. */
function childEnvironment(work: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    // Registry and token settings of the user's own setup, and the npm_config_* that `npm run` exports.
    if (/^MCP_LOCK_/i.test(key) || /^npm_config_/i.test(key) || key === 'SIGSTORE_ID_TOKEN') continue;
    env[key] = value;
  }
  const tmp = join(work, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // Sandboxes and caches of child processes stay inside the demo's directory and go with it.
  env.TMPDIR = tmp;
  env.TMP = tmp;
  env.TEMP = tmp;
  env.npm_config_cache = join(work, 'npm-cache');
  return env;
}

function parseArgs(argv: string[]): { keep: boolean } | null {
  let keep = false;
  for (const arg of argv) {
    if (arg === '--keep') keep = true;
    else if (arg === '--help' || arg === '-h') return null;
    else {
      process.stderr.write(`unknown option ${arg}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  return { keep };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const say = new Narrator({ color, total: STEPS });
  const failAtText = process.env.MCP_LOCK_DEMO_FAIL_AT;
  const failAt = failAtText && /^\d+$/.test(failAtText) ? Number(failAtText) : null;
  const started = Date.now();
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-lock-demo-')));
  const procs = new Processes(childEnvironment(work));
  const deferred: { label: string; fn: () => Promise<void> }[] = [];

  // The story races against whatever ends it early: Ctrl-C (or another signal), or an error thrown
  // somewhere the story does not await (an event handler). Either way the cleanup below runs.
  let stop: (reason: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  stopped.catch(() => {});
  let cleaning = false;
  let signalsWhileCleaning = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!cleaning) return stop(new Interrupted(signal));
    // Cleanup is bounded anyway; a third Ctrl-C is someone who really wants out.
    if (++signalsWhileCleaning >= 3) {
      process.stderr.write(`giving up the cleanup; ${work} may remain\n`);
      process.exit(130);
    }
    say.line(say.style(`(${signal}: still cleaning up, one moment)`, 'dim'));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  const onUnexpected = (error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    if (cleaning) say.line(say.style(`(during cleanup: ${err.message})`, 'dim'));
    else stop(err);
  };
  process.on('uncaughtException', onUnexpected);
  process.on('unhandledRejection', onUnexpected);
  // A closed pipe (npm run demo | head) must not skip the cleanup.
  process.stdout.on('error', () => {});

  say.title('mcp-lock demo: pinned, signed, reviewed MCP servers');
  say.line(`Working in ${work}`);
  say.line(
    say.style(
      `Everything stays in that directory and on 127.0.0.1, and is removed at the end${options.keep ? ' (kept: --keep)' : ''}.`,
      'dim',
    ),
  );
  say.line(say.style(`Node ${process.version}; demo pid ${process.pid}.`, 'dim'));

  const ctx: DemoContext = {
    work,
    say,
    procs,
    env: procs.env,
    defer: (label, fn) => deferred.push({ label, fn }),
    failAt,
  };

  let exitCode = 0;
  const story = tellStory(ctx);
  story.catch(() => {});
  try {
    await Promise.race([story, stopped]);
  } catch (error) {
    if (error instanceof Interrupted) {
      say.error(`${error.message}; cleaning up`);
      exitCode = error.signal === 'SIGINT' ? 130 : error.signal === 'SIGTERM' ? 143 : 129;
    } else {
      say.error(
        error instanceof DemoError
          ? error.message
          : error instanceof Error
            ? (error.stack ?? error.message)
            : String(error),
      );
      exitCode = 1;
    }
  }

  // ── cleanup: always, whatever happened above ──
  cleaning = true;
  say.line();
  for (const { label, fn } of deferred.reverse()) {
    try {
      await Promise.race([fn(), new Promise((r) => setTimeout(r, 8_000))]);
    } catch (error) {
      say.line(say.style(`(closing ${label}: ${error instanceof Error ? error.message : String(error)})`, 'dim'));
    }
  }
  await procs.stopAll();
  const ended = procs.longRunning.map((p) => `${p.label} (pid ${p.pid})`);
  const survivors = procs.survivors();
  if (survivors.length > 0) {
    say.error(`could not stop: ${survivors.map((p) => `${p.label} (pid ${p.pid})`).join(', ')}`);
    exitCode = exitCode || 1;
  }
  if (options.keep) {
    say.line(`Kept ${work}:`);
    say.line(`  registry-data/  the registry's embedded store (manifests, bundles, tokens hashed, approval key)`);
    say.line(`  publisher/      the publisher's key pair, the manifests and their signatures`);
    say.line(`  project/        mcp-lock.json and .mcp-lock/ (store, manifests, bundles, audit log)`);
    say.line(`  Try: cd ${join(work, 'project')} && node ${BIN} list`);
  } else {
    try {
      rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      say.error(`could not remove ${work}: ${error instanceof Error ? error.message : String(error)}`);
      exitCode = exitCode || 1;
    }
  }
  say.line(
    say.style(
      `Cleaned up: stopped ${ended.length ? ended.join(', ') : 'nothing (nothing was running)'}; ` +
        `${options.keep ? 'kept' : 'removed'} ${work}. ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      'dim',
    ),
  );
  if (exitCode === 0) {
    say.line();
    say.line('Next: pin your own servers with `mcp-lock add` and have your MCP client launch them through');
    say.line('`mcp-lock run` (`mcp-lock wrap` can rewrite its config); README.md lists every command.');
  }
  return exitCode;
}

process.exitCode = await main();
// Nothing the demo started may keep the event loop (or a terminal) waiting.
process.exit();
