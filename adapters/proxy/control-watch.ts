// The pause file on disk (.mcp-lock/control/pause.json, git-ignored): written atomically by
// `mcp-lock pause` / `resume`, and watched by every `mcp-lock run` of the project with fs.watch on its
// directory plus a short poll (fs.watch misses events on some filesystems), so a pause is seen well
// within a second. A pause file that exists but cannot be read pauses every server: the red button
// must not fail open because of a typo or a torn write.

import { existsSync, type FSWatcher, mkdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpLockError } from '../../core/errors.ts';
import {
  emptyPauseState,
  formatPauseState,
  PAUSE_FILE_MAX_BYTES,
  type PauseInfo,
  type PauseState,
  parsePauseState,
  pauseOf,
  samePause,
  unreadablePauseInfo,
} from '../../core/guard/pause-state.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { projectPaths } from '../project/project.ts';

/** How often a running guard re-reads the pause file, whatever fs.watch reports. */
export const PAUSE_POLL_MS = 250;

export function controlDir(root: string): string {
  return join(projectPaths(root).state, 'control');
}

export function pauseFilePath(root: string): string {
  return join(controlDir(root), 'pause.json');
}

/** A runtime directory under .mcp-lock/ that git must never see (its own .gitignore, like the store's). */
export function ensureIgnoredDir(dir: string, what: string): void {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, `# ${what} (local to this machine, never committed)\n*\n`);
}

/** The pause state of a project; an absent file is "nothing paused". Throws when the file is unreadable. */
export function readPauseState(root: string): PauseState {
  const path = pauseFilePath(root);
  let bytes: Buffer;
  try {
    if (statSync(path).size > PAUSE_FILE_MAX_BYTES) {
      throw new McpLockError('LIMIT_EXCEEDED', `${path} is larger than ${PAUSE_FILE_MAX_BYTES} bytes`);
    }
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyPauseState();
    if (error instanceof McpLockError) throw error;
    throw new McpLockError('FILE_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`);
  }
  return parsePauseState(bytes);
}

export function writePauseState(root: string, state: PauseState): void {
  ensureIgnoredDir(controlDir(root), 'the pause state of `mcp-lock pause`');
  writeFileAtomic(pauseFilePath(root), formatPauseState(state));
}

/** Whether one server is paused now; an unreadable pause file pauses it (fail closed). */
export function currentPause(root: string, name: string): PauseInfo | null {
  try {
    return pauseOf(readPauseState(root), name);
  } catch (error) {
    let since = new Date(0).toISOString();
    try {
      since = statSync(pauseFilePath(root)).mtime.toISOString();
    } catch {
      // gone meanwhile; the next read sees that
    }
    return unreadablePauseInfo(error instanceof Error ? error.message : String(error), since);
  }
}

/** Watches the pause file for one server and reports every change of its pause state. */
export class PauseWatch {
  private last: PauseInfo | null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  private readonly root: string;
  private readonly name: string;
  private readonly onChange: (info: PauseInfo | null) => void;
  private readonly pollMs: number;

  constructor(root: string, name: string, onChange: (info: PauseInfo | null) => void, pollMs = PAUSE_POLL_MS) {
    this.root = root;
    this.name = name;
    this.onChange = onChange;
    this.pollMs = pollMs;
    this.last = currentPause(root, name);
  }

  /** The state when the watch started (or last reported). */
  get current(): PauseInfo | null {
    return this.last;
  }

  start(): void {
    const dir = controlDir(this.root);
    try {
      ensureIgnoredDir(dir, 'the pause state of `mcp-lock pause`');
      this.watcher = watch(dir, { persistent: false }, () => this.check());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // No watch (read-only project, exotic filesystem): the poll alone still sees a pause.
      this.watcher = null;
    }
    this.timer = setInterval(() => this.check(), this.pollMs);
    this.timer.unref();
    this.check();
  }

  check(): void {
    const now = currentPause(this.root, this.name);
    if (samePause(now, this.last)) return;
    this.last = now;
    this.onChange(now);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
