// `mcp-lock run --online`: while the guard runs, ask the registry's signed state (the same check as
// `verify --online`) every interval whether the running version is still good. A yank, a rejection (the
// approval withdrawn), another manifest under the same version or a version the signed targets no longer
// list stops the guard at that check; the stop message points to `mcp-lock rollback`. "Could not check"
// (network, an expired state) is audited and said on stderr, and the session goes on. Checks never overlap.

import { type ErrorCode, errorCategory, isErrorCode } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { onlineCheck } from '../consumer/live-check.ts';

export const DEFAULT_ONLINE_INTERVAL_S = 300;

export interface OnlineVerdict {
  /** Stop the guard with this code and reason. */
  stop?: { code: ErrorCode; reason: string; detail: JsonObject };
  /** Said and audited, the session goes on. */
  note?: { decision: 'failed' | 'reported'; reason: string; code: string };
}

export interface OnlineWatchOptions {
  root: string;
  lock: McpLockFile;
  name: string;
  intervalMs: number;
  onVerdict(verdict: OnlineVerdict): void;
  /** The check itself (a test may count calls); the real one by default. */
  check?: typeof onlineCheck;
}

/** What the registry's answer means for a running session. */
export async function checkRunningVersion(
  options: Pick<OnlineWatchOptions, 'root' | 'lock' | 'name' | 'check'>,
): Promise<OnlineVerdict> {
  const { root, lock, name } = options;
  const version = lock.servers[name]?.version ?? '?';
  const findings = await (options.check ?? onlineCheck)(root, lock, name, new Map());
  const first = findings.find((f) => f.severity === 'error') ?? findings[0];
  if (!first) return {};
  const code: ErrorCode = isErrorCode(first.code) ? first.code : 'INTERNAL';
  if (first.severity !== 'error') return { note: { decision: 'reported', reason: first.message, code } };
  if (errorCategory(code) !== 'verification') return { note: { decision: 'failed', reason: first.message, code } };
  return {
    stop: {
      code,
      reason:
        `the registry's signed state says ${first.message.replace(`${name}: `, '')}; ` +
        `roll back with \`mcp-lock rollback ${name}\` and restart the session`,
      detail: { version, finding: first.code },
    },
  };
}

export class OnlineWatch {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly options: OnlineWatchOptions;

  constructor(options: OnlineWatchOptions) {
    this.options = options;
  }

  /** The first check runs at once, the next one an interval after the previous one ended. */
  start(): void {
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    let verdict: OnlineVerdict;
    try {
      verdict = await checkRunningVersion(this.options);
    } catch (error) {
      verdict = { note: { decision: 'failed', reason: (error as Error).message, code: 'INTERNAL' } };
    }
    if (this.closed) return;
    this.options.onVerdict(verdict);
    if (verdict.stop) return;
    this.timer = setTimeout(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
