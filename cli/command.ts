// What every command file shares: the context an action runs with, and the wrapper that turns a thrown
// McpLockError into output plus an exit code. Command files stay thin: parse flags, call core/adapters,
// hand the result to Output.

import type { Command } from 'commander';
import { McpLockError } from '../core/errors.ts';
import { Output } from './output.ts';

export interface CommandContext {
  out: Output;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user interrupts (SIGINT/SIGTERM); long commands clean up on it. */
  signal: AbortSignal;
}

export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
}

const interrupt = new AbortController();
let signalsHooked = false;
/** How long a command has to finish on its own after SIGINT/SIGTERM before the process exits anyway. */
const SIGNAL_GRACE_MS = 2000;
const SIGNAL_NUMBER = { SIGINT: 2, SIGTERM: 15 } as const;

// Long commands (registry serve, run) listen to ctx.signal and shut down cleanly; everything else gets a
// short grace period and then exits 128+n like any interrupted program. Writes that matter are atomic,
// so an interrupted command leaves the old state or the new one.
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      interrupt.abort(new McpLockError('INTERNAL', `interrupted by ${sig}`));
      setTimeout(() => process.exit(128 + SIGNAL_NUMBER[sig]), SIGNAL_GRACE_MS).unref();
    });
  }
}

export function contextFor(command: Command): CommandContext {
  const opts = command.optsWithGlobals<GlobalOptions>();
  hookSignals();
  return {
    out: new Output({
      json: Boolean(opts.json),
      quiet: Boolean(opts.quiet),
      ...(opts.color === false ? { color: false } : {}),
    }),
    cwd: process.cwd(),
    env: process.env,
    signal: interrupt.signal,
  };
}

/**
 * Wrap a command action. The handler returns an exit code (default 0) or throws; either way the process
 * exit code is set here and nowhere else.
 */
export function action<Args extends unknown[]>(
  handler: (ctx: CommandContext, ...args: Args) => Promise<number | undefined> | number | undefined,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const ctx = contextFor(command);
    try {
      const code = await handler(ctx, ...(args.slice(0, -1) as Args));
      process.exitCode = code ?? 0;
    } catch (error) {
      process.exitCode = ctx.out.error(error);
    }
  };
}

/** A usage error: bad flag combination or argument value (exit 2). */
export function usageError(message: string, hint?: string): McpLockError {
  return new McpLockError('USAGE', message, hint === undefined ? {} : { hint });
}

/** Collect a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
