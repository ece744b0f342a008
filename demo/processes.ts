// Every process the demo starts: the real `mcp-lock` CLI as child processes (one-shot commands and the
// long-running registry), each in its own process group so a whole tree (a command and the MCP server it
// started) can be stopped at once, and a record of them so the demo can say what it stopped and prove
// that nothing is left behind.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/mcp-lock.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Tracked {
  label: string;
  pid: number;
  /** Stop it (and its process group); resolves when it has exited. */
  stop(): Promise<void>;
  exited(): boolean;
}

const POSIX = process.platform !== 'win32';
const STOP_GRACE_MS = 3_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signal a child's whole process group on POSIX (it was spawned detached), the child itself elsewhere. */
function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (POSIX) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM the tree, then SIGKILL whatever is left of it after a grace period. */
async function stopTree(child: ChildProcess): Promise<void> {
  signalTree(child, 'SIGTERM');
  if (!(await waitExit(child, STOP_GRACE_MS))) {
    signalTree(child, 'SIGKILL');
    await waitExit(child, STOP_GRACE_MS);
  }
  // Grandchildren share the group: make sure none outlived their parent.
  signalTree(child, 'SIGKILL');
}

export class Processes {
  private readonly running = new Set<Tracked>();
  /** Long-running processes the demo started (for the closing report), in start order. */
  readonly longRunning: Tracked[] = [];
  /** The environment every child gets. */
  readonly env: Record<string, string>;

  constructor(env: Record<string, string>) {
    this.env = env;
  }

  private track(label: string, child: ChildProcess): Tracked {
    const tracked: Tracked = {
      label,
      pid: child.pid ?? -1,
      stop: () => stopTree(child),
      exited: () => child.exitCode !== null || child.signalCode !== null,
    };
    this.running.add(tracked);
    child.once('exit', () => {
      this.running.delete(tracked);
      // The rest of its group (if any) goes with it.
      signalTree(child, 'SIGKILL');
    });
    return tracked;
  }

  /** Track a process someone else spawned (the MCP SDK's stdio transport) so cleanup can still reach it. */
  adopt(label: string, pid: number): Tracked {
    const tracked: Tracked = {
      label,
      pid,
      exited: () => !alive(pid),
      stop: async () => {
        for (const [signal, wait] of [
          ['SIGTERM', STOP_GRACE_MS],
          ['SIGKILL', 1_000],
        ] as const) {
          if (!alive(pid)) break;
          try {
            process.kill(pid, signal);
          } catch {
            break;
          }
          for (let t = 0; t < wait && alive(pid); t += 50) await new Promise((r) => setTimeout(r, 50));
        }
        this.running.delete(tracked);
      },
    };
    this.running.add(tracked);
    this.longRunning.push(tracked);
    return tracked;
  }

  /**
   * Run `mcp-lock <args>` to completion. Each line of its output is handed to `onLine` as it arrives (the
   * user watches the npm install happen); the whole output comes back too.
   */
  runCli(
    args: readonly string[],
    options: {
      cwd: string;
      env?: Record<string, string>;
      timeoutMs: number;
      onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
    },
  ): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: options.cwd,
        env: { ...this.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: POSIX,
      });
      const tracked = this.track(`mcp-lock ${args[0] ?? ''}`, child);
      const out = { stdout: '', stderr: '' };
      for (const stream of ['stdout', 'stderr'] as const) {
        let partial = '';
        child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
          out[stream] += chunk;
          partial += chunk;
          const lines = partial.split('\n');
          partial = lines.pop()!;
          for (const line of lines) options.onLine?.(line, stream);
        });
        child[stream]!.on('end', () => {
          if (partial) options.onLine?.(partial, stream);
        });
      }
      const timer = setTimeout(() => void tracked.stop(), options.timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, ...out });
      });
    });
  }

  /** Start `mcp-lock registry serve --port 0 … --json` and wait for the document with its URL. */
  startRegistry(
    args: readonly string[],
    options: { cwd: string; timeoutMs: number },
  ): Promise<{ url: string; approvalKeyId: string; process: Tracked }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: options.cwd,
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: POSIX,
      });
      const tracked = this.track('registry', child);
      this.longRunning.push(tracked);
      let out = '';
      let err = '';
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void tracked.stop().then(() => reject(new Error(message)));
      };
      const timer = setTimeout(
        () => fail(`the registry did not start within ${options.timeoutMs} ms`),
        options.timeoutMs,
      );
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
      });
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (settled) return;
        try {
          const doc = JSON.parse(out) as { url?: unknown; approvalKeyId?: unknown };
          if (typeof doc.url !== 'string' || typeof doc.approvalKeyId !== 'string') {
            fail('the registry printed an unexpected start document');
            return;
          }
          settled = true;
          clearTimeout(timer);
          resolve({ url: doc.url, approvalKeyId: doc.approvalKeyId, process: tracked });
        } catch {
          // not a whole document yet
        }
      });
      child.once('error', (error) => fail(error.message));
      child.once('exit', (code, signal) => {
        const why = err.trim() || out.trim() || 'no output';
        fail(`the registry exited (${signal ?? `exit code ${code}`}) before it was ready:\n${why}`);
      });
    });
  }

  /** Stop everything still running, most recent first. */
  async stopAll(): Promise<void> {
    const all = [...this.running].reverse();
    for (const tracked of all) await tracked.stop();
  }

  /** Processes the demo started that are still alive (should be none after stopAll). */
  survivors(): Tracked[] {
    return this.longRunning.filter((t) => !t.exited());
  }
}
