// Applying a wrap plan to a client config file, and undoing it: the rewrite is checked before anything is
// written (it must parse in the client's format, every wrapped entry must be exactly the planned entry and
// every other entry exactly what it was), the original bytes are backed up first (backup.ts), and the
// config is replaced atomically. Undo puts the original bytes back only if the config is still the one
// wrap wrote, unless forced (then the edited file is kept beside the backup).

import { existsSync, statSync } from 'node:fs';
import { canonicalJson } from '../../core/canonical/digest.ts';
import { renderWrap, type WrapItem, type WrapPlanOptions } from '../../core/clients/wrap-plan.ts';
import { McpLockError } from '../../core/errors.ts';
import { readInputFile } from '../fs/read-input.ts';
import {
  type BackupPaths,
  keepReplaced,
  readBackup,
  readOriginal,
  removeBackup,
  retireBackup,
  saveBackup,
  sha256,
  type WrapRecord,
  writeRecord,
} from './backup.ts';
import { type ClientConfig, CONFIG_LIMITS, parseClientConfig, writeClientConfig } from './config-file.ts';

/** The rewritten config bytes, checked against the plan. Throws INTERNAL (nothing written) on a mismatch. */
export function rewriteConfig(
  config: ClientConfig,
  items: readonly WrapItem[],
  options: Pick<WrapPlanOptions, 'format' | 'launcher'>,
): Buffer {
  const bytes = Buffer.from(renderWrap(config.text, config.entries, items, options), 'utf8');
  if (bytes.length > CONFIG_LIMITS.maxBytes) {
    throw new McpLockError('LIMIT_EXCEEDED', 'the rewritten config would be too large');
  }
  const check = parseClientConfig(config.path, bytes, config.format, config.serversPath, config.mode);
  const same = check.entries.length === config.entries.length;
  items.forEach((item, i) => {
    const now = check.entries[i];
    const expected = item.action === 'wrap' ? item.newValue : config.entries[i]!.value;
    if (!same || now?.key !== item.key || canonicalJson(now.value) !== canonicalJson(expected)) {
      throw new McpLockError('INTERNAL', `rewriting ${item.key} went wrong; nothing was written`);
    }
  });
  return bytes;
}

export interface WrapWritten {
  backup: BackupPaths;
  /** Where an earlier backup was moved aside (with --force), if one was. */
  retired: string | null;
}

/**
 * Back up the original and write the wrapped config. An existing backup is kept when the config is the one
 * wrap wrote (a wrap extended to newly pinned servers) or still the original; any other existing backup
 * is a CONFLICT unless `force`, which moves it aside (never deletes it).
 */
export function writeWrapped(
  root: string,
  config: ClientConfig,
  bytes: Buffer,
  items: readonly WrapItem[],
  options: { force: boolean; now: Date; undoHint: string },
): WrapWritten {
  const path = config.path;
  const currentSha = sha256(config.bytes);
  const wrappedSha = sha256(bytes);
  const servers = Object.fromEntries(items.filter((i) => i.action === 'wrap').map((i) => [i.key, i.name!]));
  const existing = readBackup(root, path);
  let backup: BackupPaths;
  let retired: string | null = null;
  let rollback: () => void;
  if (existing && (currentSha === existing.record.wrappedSha256 || currentSha === existing.record.originalSha256)) {
    const previous = existing.record;
    const record: WrapRecord = {
      ...previous,
      wrappedSha256: wrappedSha,
      wrappedAt: options.now.toISOString(),
      servers: currentSha === previous.wrappedSha256 ? { ...previous.servers, ...servers } : servers,
    };
    writeRecord(existing.paths, record);
    backup = existing.paths;
    rollback = () => writeRecord(existing.paths, previous);
  } else {
    if (existing) {
      if (!options.force) {
        throw new McpLockError(
          'CONFLICT',
          `${path} was wrapped on ${existing.record.wrappedAt} and has changed since; its original is still backed up`,
          {
            hint: `Run \`${options.undoHint}\` first, or pass --force to keep that backup aside (nothing is deleted) and start a new one.`,
            data: { backup: existing.paths.original },
          },
        );
      }
      retired = retireBackup(existing, options.now);
    }
    const made = saveBackup(root, config.bytes, {
      version: 1,
      client: config.format.id,
      config: path,
      originalSha256: currentSha,
      wrappedSha256: wrappedSha,
      wrappedAt: options.now.toISOString(),
      servers,
    });
    backup = made;
    rollback = () => removeBackup({ paths: made, record: {} as WrapRecord });
  }
  try {
    // The client may have rewritten its config meanwhile; never overwrite a change we have not seen.
    const now = existsSync(path) ? readInputFile(path, 'client config', CONFIG_LIMITS.maxBytes) : null;
    if (!now || sha256(now) !== currentSha) {
      throw new McpLockError('CONFLICT', `${path} changed while it was being wrapped; nothing was written`, {
        hint: 'Run the command again.',
      });
    }
    writeClientConfig(path, bytes, config.mode);
  } catch (error) {
    rollback();
    throw error;
  }
  return { backup, retired };
}

export interface UndoResult {
  restored: boolean;
  sha256: string;
  /** Where the edited config that --force replaced was kept. */
  keptCurrent: string | null;
}

/** Restore the original bytes of a wrapped config. NOT_FOUND when this project holds no backup of it. */
export function undoWrap(
  root: string,
  path: string,
  options: { force: boolean; now: Date; notFoundHint: () => string },
): UndoResult {
  const backup = readBackup(root, path);
  if (!backup) {
    throw new McpLockError('NOT_FOUND', `no backup of ${path} in ${root}`, { hint: options.notFoundHint() });
  }
  const original = readOriginal(backup);
  const current = existsSync(path) ? readInputFile(path, 'client config', CONFIG_LIMITS.maxBytes) : null;
  const currentSha = current ? sha256(current) : null;
  const result = { sha256: backup.record.originalSha256 };
  if (currentSha === backup.record.originalSha256) {
    removeBackup(backup);
    return { ...result, restored: false, keptCurrent: null };
  }
  let keptCurrent: string | null = null;
  if (currentSha !== backup.record.wrappedSha256) {
    if (!options.force) {
      throw new McpLockError(
        'CONFLICT',
        current
          ? `${path} changed after it was wrapped on ${backup.record.wrappedAt}; restoring the original would lose those changes`
          : `${path} was deleted after it was wrapped on ${backup.record.wrappedAt}`,
        {
          hint: `Pass --force to restore the original anyway (the current file is kept beside the backup), or edit ${path} by hand. The original is in ${backup.paths.original}.`,
        },
      );
    }
    if (current) keptCurrent = keepReplaced(backup, current, options.now);
  }
  writeClientConfig(path, original, current ? statSync(path).mode & 0o777 : 0o600);
  removeBackup(backup);
  return { ...result, restored: true, keptCurrent };
}
