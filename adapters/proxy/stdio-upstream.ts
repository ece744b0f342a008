// A pinned server started as a child process and spoken to over stdio: exactly the command, arguments,
// environment and working directory the lock resolves (no shell, no npx). Its stdout is split into
// size-capped lines; its stderr is passed on line by line with hidden characters made visible, so a
// server cannot write escape sequences into the client's log.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { McpLockError } from '../../core/errors.ts';
import type { RawLine } from '../../core/guard/guard.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { visible } from '../../core/text/hidden-chars.ts';
import { LineSplitter } from '../mcp/line-splitter.ts';
import type { StdioLaunch } from '../mcp/stdio-rpc.ts';
import { CoalescingWriter } from './framing.ts';
import type { Upstream, UpstreamHandlers } from './upstream.ts';

export interface StdioUpstreamOptions {
  maxMessageBytes: number;
  /** Where the server's stderr lines go (already made visible). */
  stderr: (line: string) => void;
  /** How long to wait after closing stdin, then after SIGTERM, before the next step. */
  graceMs?: number;
}

const MAX_STDERR_LINE = 16 * 1024;

export class StdioUpstream implements Upstream {
  private readonly launch: StdioLaunch;
  private readonly options: StdioUpstreamOptions;
  private child: ChildProcessWithoutNullStreams | null = null;
  private writer: CoalescingWriter | null = null;
  private handlers: UpstreamHandlers | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private failed = false;
  private stderrBuffer = '';

  constructor(launch: StdioLaunch, options: StdioUpstreamOptions) {
    this.launch = launch;
    this.options = options;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(handlers: UpstreamHandlers): void {
    this.handlers = handlers;
    const child = spawn(this.launch.command, this.launch.args, {
      cwd: this.launch.cwd,
      env: this.launch.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    this.child = child;
    this.writer = new CoalescingWriter(child.stdin);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.flushStderr();
        if (!this.stopping) this.fail('SERVER_START_FAILED', `the server exited (${signal ?? `code ${code}`})`);
        resolve();
      });
    });
    child.once('error', (error) => this.fail('SERVER_START_FAILED', `could not start the server: ${error.message}`));
    const splitter = new LineSplitter(this.options.maxMessageBytes);
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.failed) return;
      let lines: Buffer[];
      try {
        lines = splitter.push(chunk);
      } catch (error) {
        this.fail('LIMIT_EXCEEDED', error instanceof McpLockError ? error.message : String(error));
        child.kill('SIGKILL');
        return;
      }
      for (const line of lines) {
        if (this.failed) return;
        handlers.message(line);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => this.onStderr(text));
    child.stdin.on('error', () => {
      // EPIPE when the server died; the exit handler reports it.
    });
  }

  private onStderr(text: string): void {
    this.stderrBuffer += text;
    let nl = this.stderrBuffer.indexOf('\n');
    while (nl >= 0) {
      this.options.stderr(visible(this.stderrBuffer.slice(0, Math.min(nl, MAX_STDERR_LINE))));
      this.stderrBuffer = this.stderrBuffer.slice(nl + 1);
      nl = this.stderrBuffer.indexOf('\n');
    }
    if (this.stderrBuffer.length > MAX_STDERR_LINE) {
      this.options.stderr(`${visible(this.stderrBuffer.slice(0, MAX_STDERR_LINE))}…`);
      this.stderrBuffer = '';
    }
  }

  private flushStderr(): void {
    if (this.stderrBuffer) this.options.stderr(visible(this.stderrBuffer.slice(0, MAX_STDERR_LINE)));
    this.stderrBuffer = '';
  }

  private fail(code: 'SERVER_START_FAILED' | 'LIMIT_EXCEEDED', reason: string): void {
    if (this.failed || this.stopping) return;
    this.failed = true;
    this.handlers?.failed(code, reason);
  }

  send(line: RawLine, _message: JsonObject): boolean {
    const child = this.child;
    if (!child || !this.writer || this.failed || this.stopping || child.stdin.destroyed) return true;
    return this.writer.write(line);
  }

  onDrain(listener: () => void): void {
    this.child?.stdin.on('drain', listener);
  }

  pause(): void {
    this.child?.stdout.pause();
  }

  resume(): void {
    this.child?.stdout.resume();
  }

  /**
   * Stop the server. Gracefully (the client went away): close stdin, then SIGTERM, then SIGKILL, each after
   * a grace period. At once (the guard blocked it): SIGTERM now, SIGKILL after the grace period.
   */
  async stop(mode: 'graceful' | 'now' = 'graceful'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const grace = this.options.graceMs ?? 1000;
    const waitExit = (ms: number) =>
      Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    child.stdin.end();
    if (mode === 'graceful' && (await waitExit(grace))) return;
    child.kill('SIGTERM');
    if (await waitExit(grace)) return;
    child.kill('SIGKILL');
    await waitExit(grace);
  }
}
