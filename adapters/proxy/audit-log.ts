// The audit log of `mcp-lock run`: one JSON object per line. Every record carries the time, the session,
// the server and the manifest digest it was pinned to. Non-ASCII is written as \u escapes, so the file is
// valid JSON and safe to `cat` or `tail` in a terminal even when a server sends bidi or control characters.
// Past a size cap the file is rotated once (<file>.1), so a noisy server cannot fill the disk.
//
// Writes are batched off the message path: a record is serialised when the decision is made (its time is
// the decision's), queued in memory, and the queue goes to disk in one write per batch: every
// FLUSH_INTERVAL_MS, at once when it holds BATCH_BYTES, and on close. A call through the proxy makes no
// system call for its records. Nothing queued is lost:
// - close() (a clean end, a server that crashed, SIGTERM/SIGINT handled by `run`) writes the rest;
// - a process 'exit' hook writes the rest when the process ends some other way (an uncaught error, the
//   signal grace period running out and process.exit), because the queue is written synchronously.
// Only SIGKILL of mcp-lock itself can lose a batch: at most FLUSH_INTERVAL_MS of records.
// The writes are synchronous on purpose (writeSync of a whole batch, not fs.write on the thread pool): the
// order on disk is the order of the decisions, and an 'exit' hook can still complete them. A disk that
// cannot keep up therefore slows the proxy down (back-pressure) instead of growing the queue: the queue is
// bounded by BATCH_BYTES plus one record. A write that fails is reported once through onError, and the
// caller stops the server (fail closed); records are never dropped silently.

import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditEvent } from '../../core/guard/audit-event.ts';
import { projectPaths } from '../project/project.ts';

export interface AuditContext {
  server: string;
  version?: string;
  manifest?: string;
  session: string;
}

export interface AuditSink {
  /** Never throws; a sink that cannot write reports it through onError. */
  write(event: AuditEvent): void;
  /** Write everything queued and close the file. */
  close(): void;
  onError: ((error: Error) => void) | null;
}

export const DEFAULT_AUDIT_MAX_BYTES = 32 * 1024 * 1024;
/** How long a record may wait in memory before it is written. */
export const FLUSH_INTERVAL_MS = 25;
/** A queue this large is written at once. */
export const BATCH_BYTES = 64 * 1024;

/** `.mcp-lock/audit/<encoded name>.jsonl` in the project (git-ignored). */
export function defaultAuditPath(root: string, name: string): string {
  return join(projectPaths(root).state, 'audit', `${encodeURIComponent(name)}.jsonl`);
}

const NON_ASCII = /[\u007f-\uffff]/;

/** JSON with every character outside printable ASCII escaped. */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Most records are plain ASCII: test once, and only rewrite the ones that are not.
  if (!NON_ASCII.test(json)) return json;
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface AuditLogOptions {
  maxBytes?: number;
  now?: () => Date;
  /** Override the batching interval (tests). */
  flushIntervalMs?: number;
}

export class AuditLog implements AuditSink {
  private fd: number | null;
  private size: number;
  private readonly path: string;
  private readonly prefix: string;
  private readonly maxBytes: number;
  private readonly now: (() => Date) | null;
  private secondMs = -1;
  private secondIso = '';
  private readonly flushIntervalMs: number;
  private queue: string[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly onExit = () => this.flush();

  constructor(path: string, context: AuditContext, options: AuditLogOptions = {}) {
    this.path = path;
    this.maxBytes = options.maxBytes ?? DEFAULT_AUDIT_MAX_BYTES;
    this.now = options.now ?? null;
    this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
    // The fields every record starts with after its time, serialised once.
    const fixed = asciiJson({
      session: context.session,
      server: context.server,
      ...(context.version ? { version: context.version } : {}),
      ...(context.manifest ? { manifest: context.manifest } : {}),
    });
    this.prefix = fixed.slice(1, -1);
    mkdirSync(dirname(path), { recursive: true });
    this.size = existsSync(path) ? statSync(path).size : 0;
    this.fd = openSync(path, 'a', 0o600);
    process.on('exit', this.onExit);
  }

  /** Called once if the log cannot be written (disk full, file removed): the caller decides to stop. */
  onError: ((error: Error) => void) | null = null;
  private broken = false;

  write(event: AuditEvent): void {
    if (this.fd === null || this.broken) return;
    const { event: name, decision, ...rest } = event;
    const tail = asciiJson({ event: name, decision, ...rest });
    const line = `{"time":"${this.time()}",${this.prefix},${tail.slice(1)}\n`;
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (this.queuedBytes >= BATCH_BYTES) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
      // The exit hook and close() write what is left; a pending batch must not keep the process alive.
      this.timer.unref();
    }
  }

  /** The time as ISO 8601 with milliseconds; the part up to the second is formatted once a second. */
  private time(): string {
    if (this.now) return this.now().toISOString();
    const ms = Date.now();
    const second = ms - (ms % 1000);
    if (second !== this.secondMs) {
      this.secondMs = second;
      this.secondIso = new Date(second).toISOString().slice(0, 20);
    }
    return `${this.secondIso}${String(ms - second).padStart(3, '0')}Z`;
  }

  /** Write every queued record now (synchronously). */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.fd === null || this.broken || this.queue.length === 0) return;
    const lines = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    try {
      let batch = '';
      for (const line of lines) {
        // Rotation happens between records, never inside one.
        if (this.size + batch.length + line.length > this.maxBytes && this.size + batch.length > 0) {
          this.writeAll(batch);
          batch = '';
          this.rotate();
        }
        batch += line;
      }
      this.writeAll(batch);
    } catch (error) {
      this.broken = true;
      this.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private writeAll(batch: string): void {
    if (this.fd === null || batch.length === 0) return;
    // Records are ASCII, so characters are bytes; a short write continues where it stopped.
    let buffer = Buffer.from(batch, 'latin1');
    while (buffer.length > 0) {
      const n = writeSync(this.fd, buffer);
      buffer = buffer.subarray(n);
    }
    this.size += batch.length;
  }

  private rotate(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    process.removeListener('exit', this.onExit);
    try {
      closeSync(this.fd);
    } catch {
      // Already gone (the descriptor was closed under us); what could be written was.
    }
    this.fd = null;
  }
}
