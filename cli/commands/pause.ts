// `mcp-lock pause [name|--all]` and `mcp-lock resume [name|--all]`: the big red button (issue #13.7).
// Writes the project's pause file atomically; every `mcp-lock run` of the project watches it and, within
// a second, refuses new calls and cancels the ones in flight, keeping the session up so that `resume`
// needs no restart. The rules (one server over --all) are in core/guard/pause-state.ts.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readLock } from '../../adapters/project/project.ts';
import { readPauseState, writePauseState } from '../../adapters/proxy/control-watch.ts';
import { listRunSessions } from '../../adapters/proxy/run-registry.ts';
import { applyPauseCommand, emptyPauseState, type PauseState, pauseOf } from '../../core/guard/pause-state.ts';
import { getEntry } from '../../core/lockfile/lockfile.ts';
import { visible } from '../../core/text/hidden-chars.ts';
import { action, usageError } from '../command.ts';

interface PauseOptions {
  project?: string;
  all?: boolean;
  reason?: string;
}

const MAX_REASON = 500;

function register(program: Command, verb: 'pause' | 'resume'): void {
  const pausing = verb === 'pause';
  program
    .command(verb)
    .summary(
      pausing
        ? 'pause a server (or --all): every running `mcp-lock run` refuses its calls within a second'
        : 'resume a paused server (or --all) without restarting anything',
    )
    .description(
      pausing
        ? 'The big red button. Every `mcp-lock run` of this project sees the pause within a second: new calls ' +
            '(tools/call, prompts/get, resources/read, completion/complete, and any request not known to be passive) ' +
            'are refused with a JSON-RPC error (-32013) that says the server is paused and how to resume; calls in ' +
            'flight are cancelled (notifications/cancelled to the server, an error to the client), and so are calls ' +
            "waiting for a person's confirmation; the server's own requests (sampling, elicitation, roots) are " +
            'refused. The handshake, listings and ping still pass, so the session stays up. A run started while ' +
            'paused starts paused. The state is .mcp-lock/control/pause.json (git-ignored, written atomically); a ' +
            'pause file that cannot be read pauses every server. `mcp-lock status` shows it with the running sessions.'
        : 'Let calls through again: every running `mcp-lock run` of the project sees it within a second, in the ' +
            'same session (no restart). `resume <name>` while --all is paused resumes only that server; ' +
            '`resume --all` clears every pause.',
    )
    .argument('[name]', 'a server pinned in mcp-lock.json')
    .option('--all', pausing ? 'pause every server of the project' : 'resume every server of the project')
    .option(
      '-p, --project <dir>',
      'directory that holds mcp-lock.json (default: $MCP_LOCK_PROJECT, else the current directory)',
    )
    .option('--reason <text>', pausing ? 'why (shown in the error the client gets, and by status)' : 'why (recorded)')
    .action(
      action((ctx, name: string | undefined, options: PauseOptions) => {
        if ((name === undefined) === !options.all) {
          throw usageError(`give a server name or --all`, `e.g. \`mcp-lock ${verb} --all\``);
        }
        if (options.reason !== undefined && options.reason.length > MAX_REASON) {
          throw usageError(`--reason is longer than ${MAX_REASON} characters`);
        }
        const root = resolve(ctx.cwd, options.project ?? ctx.env.MCP_LOCK_PROJECT ?? '.');
        // The lock must be there even for --all: a pause written into the wrong directory would pause nothing.
        const lock = readLock(root);
        if (name !== undefined) getEntry(lock, name);
        let before: PauseState;
        try {
          before = readPauseState(root);
        } catch (error) {
          // An unreadable pause file pauses everything; a new command replaces it.
          ctx.out.warn(`replacing an unreadable pause file (${visible((error as Error).message)})`);
          before = emptyPauseState();
        }
        const state = applyPauseCommand(before, {
          action: verb,
          target: name === undefined ? { all: true } : { server: name },
          since: new Date().toISOString(),
          ...(options.reason ? { reason: options.reason } : {}),
        });
        writePauseState(root, state);
        const running = listRunSessions(root).filter((r) => r.alive && (name === undefined || r.name === name));
        const target = name === undefined ? 'every server' : visible(name);
        const sessions = `${running.length} running session(s) see it within a second`;
        ctx.out.result(
          {
            ok: true,
            action: verb,
            target: name === undefined ? { all: true } : { server: name },
            sessions: running.map((r) => ({ name: r.name, pid: r.pid, paused: pauseOf(state, r.name) !== null })),
            state,
          },
          pausing
            ? `paused ${target}: ${sessions}; \`mcp-lock resume ${name === undefined ? '--all' : visible(name)}\` lets calls through again`
            : `resumed ${target}: ${sessions}`,
        );
        return 0;
      }),
    );
}

export function registerPause(program: Command): void {
  register(program, 'pause');
}

export function registerResume(program: Command): void {
  register(program, 'resume');
}
