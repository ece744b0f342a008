// The running proxy: feeds every line from the client and the server through the guard and carries out
// what it decides (forward, answer, audit, stop the server, set a deadline). Messages stream through as
// they come, in any order, with flow control in both directions. It ends when the client goes away;
// if the guard stopped the server, it keeps answering the client with the reason until then.

import type { ErrorCode } from '../../core/errors.ts';
import type { Guard, GuardEffect } from '../../core/guard/guard.ts';
import type { AuditSink } from './audit-log.ts';
import type { StdioClient } from './client-stdio.ts';
import { Deadlines } from './deadlines.ts';
import type { Upstream } from './upstream.ts';

export interface ProxyParts {
  guard: Guard;
  upstream: Upstream;
  client: StdioClient;
  audit: AuditSink;
  /** A line for a human on stderr (already safe to print). */
  notice(text: string): void;
  /** Resolves (aborts) when the user interrupts mcp-lock itself. */
  signal?: AbortSignal;
  /** Outside controls (the pause file, the registry's state): started with the proxy, stopped when it ends. */
  controls?: ProxyControl[];
}

/** Something outside the conversation that drives the guard (control-watch.ts, online-watch.ts). */
export interface ProxyControl {
  /** `apply` runs one guard step and carries out its effects like any message's. */
  start(apply: (step: () => GuardEffect[]) => void): void;
  stop(): void;
}

export interface ProxyOutcome {
  /** Why the guard stopped the server, if it did. */
  stopped: { code: ErrorCode; reason: string } | null;
  /** The server went away on its own (exited, or the remote endpoint failed). */
  serverGone: boolean;
}

export function runProxy(parts: ProxyParts): Promise<ProxyOutcome> {
  const { guard, upstream, client, audit, notice } = parts;
  let serverGone = false;
  let ending = false;
  let stopping: Promise<void> = Promise.resolve();

  return new Promise<ProxyOutcome>((resolve) => {
    // One timer for all the guard's deadlines (deadlines.ts), not one per request.
    const timers = new Deadlines((key) => guarded(() => guard.timeout(key)));
    const finish = async (stopMode: 'graceful' | 'now') => {
      if (ending) return;
      ending = true;
      for (const c of parts.controls ?? []) c.stop();
      timers.clearAll();
      await Promise.all([stopping, upstream.stop(stopMode)]);
      await client.flush();
      audit.write({ event: 'session-end', decision: 'stopped', serverGone });
      audit.close();
      resolve({ stopped: guard.stopped, serverGone });
    };

    const apply = (effects: GuardEffect[]) => {
      for (const effect of effects) {
        switch (effect.type) {
          case 'server':
            if (!upstream.send(effect.line, effect.message)) client.pause();
            break;
          case 'client':
            if (!client.send(effect.line)) upstream.pause();
            break;
          case 'audit':
            audit.write(effect.event);
            break;
          case 'notice':
            notice(effect.text);
            break;
          case 'stop':
            stopping = upstream.stop('now');
            break;
          case 'setTimer':
            timers.set(effect.key, effect.ms);
            break;
          case 'clearTimer':
            timers.clear(effect.key);
            break;
        }
      }
    };

    // Every decision must be logged: a log that cannot be written ends the session (fail closed).
    audit.onError = (error) => {
      notice(`cannot write the audit log (${error.message}); stopping the server`);
      apply(guard.serverFailed('STORAGE_ERROR', `cannot write the audit log: ${error.message}`));
    };
    upstream.onDrain(() => client.resume());
    client.onDrain(() => upstream.resume());

    // A bug must not let anything through: an unexpected error ends the session closed.
    const guarded = (step: () => GuardEffect[]) => {
      try {
        apply(step());
      } catch (error) {
        const reason = `internal error in the guard: ${error instanceof Error ? error.message : String(error)}`;
        notice(reason);
        apply(guard.serverFailed('INTERNAL', reason));
      }
    };

    client.start({
      message: (line) => guarded(() => guard.fromClient(line)),
      closed: (reason, error) => {
        // A client that sent what its transport cannot carry is refused like any broken bound: audited,
        // answered with the reason, and the server is stopped at once.
        if (error) apply(guard.clientFailed(error.code, error.message));
        else if (reason) notice(`the client connection failed: ${reason}`);
        void finish(error ? 'now' : 'graceful');
      },
    });
    upstream.start({
      message: (line) => guarded(() => guard.fromServer(line)),
      failed: (code, reason) => {
        // An oversized message is refused like any other bound: the server is stopped, the client is told.
        // A server that died on its own ends the session, as it would without the proxy.
        const died = code !== 'LIMIT_EXCEEDED' && guard.stopped === null;
        apply(guard.serverFailed(code, reason));
        if (died) {
          serverGone = true;
          void finish('now');
        }
      },
    });
    for (const c of parts.controls ?? []) c.start((step) => !ending && guarded(step));
    parts.signal?.addEventListener('abort', () => void finish('graceful'), { once: true });
  });
}
