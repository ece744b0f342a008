// The audit log of `mcp-lock run`: one JSON object per line, appended as each decision is made (written
// synchronously, so a crash loses nothing that was decided). Every record carries the time, the session,
// the server and the manifest digest it was pinned to. Non-ASCII is written as \u escapes, so the file is
// valid JSON and safe to `cat` or `tail` in a terminal even when a server sends bidi or control characters.
// Past a size cap the file is rotated once (<file>.1), so a noisy server cannot fill the disk.

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
  close(): void;
  onError: ((error: Error) => void) | null;
}

export const DEFAULT_AUDIT_MAX_BYTES = 32 * 1024 * 1024;

/** `.mcp-lock/audit/<encoded name>.jsonl` in the project (git-ignored). */
export function defaultAuditPath(root: string, name: string): string {
  return join(projectPaths(root).state, 'audit', `${encodeURIComponent(name)}.jsonl`);
}

/** JSON with every character outside printable ASCII escaped. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export class AuditLog implements AuditSink {
  private fd: number | null;
  private size: number;
  private readonly path: string;
  private readonly context: AuditContext;
  private readonly maxBytes: number;
  private readonly now: () => Date;

  constructor(path: string, context: AuditContext, options: { maxBytes?: number; now?: () => Date } = {}) {
    this.path = path;
    this.context = context;
    this.maxBytes = options.maxBytes ?? DEFAULT_AUDIT_MAX_BYTES;
    this.now = options.now ?? (() => new Date());
    mkdirSync(dirname(path), { recursive: true });
    this.size = existsSync(path) ? statSync(path).size : 0;
    this.fd = openSync(path, 'a', 0o600);
  }

  /** Called once if the log cannot be written (disk full, file removed): the caller decides to stop. */
  onError: ((error: Error) => void) | null = null;
  private broken = false;

  write(event: AuditEvent): void {
    if (this.fd === null || this.broken) return;
    try {
      this.append(event);
    } catch (error) {
      this.broken = true;
      this.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private append(event: AuditEvent): void {
    if (this.fd === null) return;
    const { event: name, decision, ...rest } = event;
    const line = `${asciiJson({
      time: this.now().toISOString(),
      session: this.context.session,
      server: this.context.server,
      ...(this.context.version ? { version: this.context.version } : {}),
      ...(this.context.manifest ? { manifest: this.context.manifest } : {}),
      event: name,
      decision,
      ...rest,
    })}\n`;
    if (this.size + line.length > this.maxBytes && this.size > 0) this.rotate();
    writeSync(this.fd, line);
    this.size += line.length;
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
    closeSync(this.fd);
    this.fd = null;
  }
}
