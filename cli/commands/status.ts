// `mcp-lock status`: the running `mcp-lock run` sessions of the project and the pause state, in text or
// --json. Sessions come from .mcp-lock/run/ (each run registers itself); a record whose process is gone
// is shown as gone and does not count.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { currentPause, readPauseState } from '../../adapters/proxy/control-watch.ts';
import { listRunSessions } from '../../adapters/proxy/run-registry.ts';
import type { PauseState } from '../../core/guard/pause-state.ts';
import { visible } from '../../core/text/hidden-chars.ts';
import { action } from '../command.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .summary('show the running `mcp-lock run` sessions of the project and what is paused')
    .description(
      'List every `mcp-lock run` of this project (server, version, pid, since when, --online or not) with its ' +
        'state: running, paused, or gone (the process no longer exists; its record is ignored). Then the pause ' +
        'state: --all, and each server paused or resumed by name. An unreadable pause file is reported: it pauses ' +
        'every server until `mcp-lock pause` or `resume` writes it again.',
    )
    .option(
      '-p, --project <dir>',
      'directory that holds mcp-lock.json (default: $MCP_LOCK_PROJECT, else the current directory)',
    )
    .action(
      action((ctx, options: { project?: string }) => {
        const root = resolve(ctx.cwd, options.project ?? ctx.env.MCP_LOCK_PROJECT ?? '.');
        let state: PauseState | null = null;
        let unreadable: string | null = null;
        try {
          state = readPauseState(root);
        } catch (error) {
          unreadable = (error as Error).message;
        }
        const sessions = listRunSessions(root).map((r) => {
          const pause = r.alive ? currentPause(root, r.name) : null;
          return { ...r, state: !r.alive ? 'gone' : pause ? 'paused' : 'running', pause };
        });
        const paused = state ? Object.entries(state.servers).map(([name, mark]) => ({ name, ...mark })) : [];
        ctx.out.result(
          { ok: true, sessions, pause: state, ...(unreadable ? { pauseFileError: unreadable } : {}) },
          () => {
            const lines: string[] = [];
            const alive = sessions.filter((s) => s.state !== 'gone').length;
            lines.push(alive === 0 ? 'no running sessions' : `${alive} running session(s):`);
            for (const s of sessions) {
              const label = s.state === 'gone' ? 'gone (ignored)' : s.state.toUpperCase();
              lines.push(
                `  ${visible(s.name)}@${visible(s.version)}  pid ${s.pid}  since ${visible(s.startedAt)}` +
                  `${s.online ? '  --online' : ''}  ${label}`,
              );
            }
            if (unreadable) lines.push(`pause file UNREADABLE (every server is paused): ${visible(unreadable)}`);
            else if (state?.all) {
              lines.push(
                `every server PAUSED since ${visible(state.all.since)}${state.all.reason ? ` (${visible(state.all.reason)})` : ''}`,
              );
            } else lines.push('nothing paused for all servers');
            for (const p of paused) {
              lines.push(
                `  ${visible(p.name)}: ${p.paused ? 'PAUSED' : 'resumed'} since ${visible(p.since)}${p.reason ? ` (${visible(p.reason)})` : ''}`,
              );
            }
            return lines;
          },
        );
        return 0;
      }),
    );
}
