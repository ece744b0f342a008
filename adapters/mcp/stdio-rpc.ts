// A JSON-RPC client for an MCP server launched as a child process (stdio transport). Every message is
// size-capped and strictly parsed; anything on stdout that is not JSON-RPC fails the connection closed.
// Never uses a shell: the command and its arguments are passed to the OS as they are.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { McpLockError } from '../../core/errors.ts';
import { answerServerRequest } from '../../core/introspect/client-role.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import type { McpRpc, RpcRequestOptions } from '../../core/ports.ts';
import { visible } from '../../core/text/hidden-chars.ts';
import { LineSplitter } from './line-splitter.ts';

export interface StdioLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface StdioRpcOptions {
  maxMessageBytes?: number;
  maxDepth?: number;
  defaultTimeoutMs?: number;
  /** Keep this many bytes of the server's stderr for error messages. */
  stderrTailBytes?: number;
}

interface Pending {
  method: string;
  resolve(value: JsonObject): void;
  reject(error: McpLockError): void;
  timer: NodeJS.Timeout;
}

export class StdioRpc implements McpRpc {
  readonly notifications: string[] = [];
  bytesReceived = 0;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly splitter: LineSplitter;
  private readonly maxDepth: number;
  private readonly defaultTimeoutMs: number;
  private readonly stderrTailBytes: number;
  private nextId = 1;
  private stderrTail = '';
  private failure: McpLockError | null = null;
  private exited: Promise<void>;

  constructor(launch: StdioLaunch, options: StdioRpcOptions = {}) {
    this.splitter = new LineSplitter(options.maxMessageBytes ?? 16 * 1024 * 1024);
    this.maxDepth = options.maxDepth ?? 100;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.stderrTailBytes = options.stderrTailBytes ?? 4096;
    this.child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.fail(
          new McpLockError(
            'SERVER_START_FAILED',
            `the server exited (${signal ?? `code ${code}`})${this.stderrSummary()}`,
            {
              hint: 'Check the server arguments and environment; its stderr is shown above.',
            },
          ),
        );
        resolve();
      });
    });
    this.child.once('error', (error) => {
      this.fail(
        new McpLockError('SERVER_START_FAILED', `could not start the server: ${error.message}`, { cause: error }),
      );
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-this.stderrTailBytes);
    });
    this.child.stdin.on('error', () => {
      // EPIPE when the server died; the exit handler reports it.
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private stderrSummary(): string {
    const tail = this.stderrTail.trim();
    return tail ? `; its stderr ends with: ${visible(tail.slice(-600))}` : '';
  }

  private onStdout(chunk: Buffer): void {
    if (this.failure) return;
    this.bytesReceived += chunk.length;
    let lines: Buffer[];
    try {
      lines = this.splitter.push(chunk);
    } catch (error) {
      this.fail(error as McpLockError);
      return;
    }
    for (const line of lines) {
      let message: JsonValue;
      try {
        message = parseStrictJson(line, 'server message', {
          maxBytes: Number.MAX_SAFE_INTEGER,
          maxDepth: this.maxDepth,
        });
      } catch (error) {
        const err = error as McpLockError;
        this.fail(
          new McpLockError(
            err.code === 'JSON_SYNTAX' ? 'SERVER_PROTOCOL_ERROR' : err.code,
            `the server wrote an invalid message to stdout: ${err.message}`,
            { hint: 'An MCP stdio server may write only JSON-RPC messages to stdout.', cause: error },
          ),
        );
        return;
      }
      this.onMessage(message);
    }
  }

  private onMessage(message: JsonValue): void {
    if (!message || typeof message !== 'object' || Array.isArray(message) || message.jsonrpc !== '2.0') {
      this.fail(
        new McpLockError('SERVER_PROTOCOL_ERROR', 'the server sent something that is not a JSON-RPC 2.0 message'),
      );
      return;
    }
    const { id, method } = message;
    if (typeof method === 'string') {
      if (id === undefined) {
        this.notifications.push(method);
      } else {
        // Server→client request (roots, sampling, elicitation, ping): answered harmlessly.
        this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, ...answerServerRequest(method) })}\n`);
      }
      return;
    }
    if (typeof id !== 'number') return; // a response to nothing we sent: ignore
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (message.error && typeof message.error === 'object' && !Array.isArray(message.error)) {
      const rpcCode = typeof message.error.code === 'number' ? message.error.code : null;
      const rpcMessage = typeof message.error.message === 'string' ? message.error.message : '';
      pending.reject(
        new McpLockError(
          'SERVER_PROTOCOL_ERROR',
          `${pending.method} failed: ${visible(rpcMessage.slice(0, 500))} (${rpcCode})`,
          {
            data: { rpcCode, rpcMessage: rpcMessage.slice(0, 2000), method: pending.method },
          },
        ),
      );
      return;
    }
    const result = message.result;
    if (!result || typeof result !== 'object' || Array.isArray(result)) {
      pending.reject(new McpLockError('SERVER_PROTOCOL_ERROR', `${pending.method} returned no result object`));
      return;
    }
    pending.resolve(result);
  }

  private fail(error: McpLockError): void {
    if (this.failure) return;
    this.failure = error;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  request(method: string, params?: JsonObject, options: RpcRequestOptions = {}): Promise<JsonObject> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<JsonObject>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new McpLockError('TIMEOUT', `${method} got no answer within ${timeoutMs} ms${this.stderrSummary()}`, {
            hint: 'The server is slow or stuck; raise --timeout if it is just slow.',
            data: { method, timeoutMs },
          }),
        );
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      const message = { jsonrpc: '2.0', id, method, ...(params ? { params } : {}) };
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  async notify(method: string, params?: JsonObject): Promise<void> {
    if (this.failure) throw this.failure;
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}) })}\n`);
  }

  /** Stop the server: close stdin, then SIGTERM, then SIGKILL, each after a grace period. */
  async close(graceMs = 2000): Promise<void> {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new McpLockError('SERVER_PROTOCOL_ERROR', `${p.method}: connection closed`));
      this.pending.delete(id);
    }
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.failure ??= new McpLockError('SERVER_PROTOCOL_ERROR', 'connection closed');
    this.child.stdin.end();
    const waitExit = (ms: number) =>
      Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    if (await waitExit(graceMs)) return;
    this.child.kill('SIGTERM');
    if (await waitExit(graceMs)) return;
    this.child.kill('SIGKILL');
    await waitExit(graceMs);
  }
}
