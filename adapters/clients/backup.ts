// Backups of client configs that `mcp-lock wrap` rewrote, kept in the project that the wrapped entries
// point to: .mcp-lock/wrap/<id>.original holds the exact original bytes (mode 0600: configs hold secrets)
// and <id>.json records which config it belongs to, the SHA-256 of the original and of the wrapped file
// (so --undo can tell whether someone edited it since), and which entry runs which lock name. The
// directory ignores itself in git. A backup is never replaced silently: an existing one is kept until
// --undo restores it, or moved aside (with its date) when the user forces a new wrap.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpLockError } from '../../core/errors.ts';
import { type JsonObject, parseStrictJson } from '../../core/json/strict-json.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { readInputFile } from '../fs/read-input.ts';
import { projectPaths } from '../project/project.ts';
import { CONFIG_LIMITS } from './config-file.ts';

export interface WrapRecord {
  version: 1;
  client: string;
  config: string;
  originalSha256: string;
  wrappedSha256: string;
  wrappedAt: string;
  /** Config entry → lock name, for every entry the wrap rewrote. */
  servers: Record<string, string>;
}

export interface BackupPaths {
  dir: string;
  original: string;
  record: string;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function backupPaths(root: string, configPath: string): BackupPaths {
  const dir = join(projectPaths(root).state, 'wrap');
  const id = sha256(Buffer.from(configPath, 'utf8')).slice(0, 16);
  return { dir, original: join(dir, `${id}.original`), record: join(dir, `${id}.json`) };
}

function parseRecord(bytes: Buffer, path: string): WrapRecord {
  const value = parseStrictJson(bytes, `wrap record ${path}`, { maxBytes: 1024 * 1024 }) as JsonObject;
  const hex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  const servers = value.servers;
  if (
    value.version !== 1 ||
    typeof value.client !== 'string' ||
    typeof value.config !== 'string' ||
    !hex(value.originalSha256) ||
    !hex(value.wrappedSha256) ||
    typeof value.wrappedAt !== 'string' ||
    typeof servers !== 'object' ||
    servers === null ||
    Array.isArray(servers) ||
    Object.values(servers).some((s) => typeof s !== 'string')
  ) {
    throw new McpLockError('CONFIG_INVALID', `the wrap record ${path} is damaged`, {
      hint: 'Restore the client config from its .original file beside it by hand.',
    });
  }
  return value as unknown as WrapRecord;
}

export interface Backup {
  paths: BackupPaths;
  record: WrapRecord;
}

/** The backup of a config in this project, or null. */
export function readBackup(root: string, configPath: string): Backup | null {
  const paths = backupPaths(root, configPath);
  if (!existsSync(paths.record)) return null;
  const record = parseRecord(readInputFile(paths.record, 'wrap record', 1024 * 1024), paths.record);
  if (record.config !== configPath) {
    throw new McpLockError('CONFIG_INVALID', `the wrap record ${paths.record} belongs to ${record.config}`);
  }
  return { paths, record };
}

/** The original bytes of a backup, checked against the digest recorded when it was made. */
export function readOriginal(backup: Backup): Buffer {
  const bytes = readInputFile(backup.paths.original, 'config backup', CONFIG_LIMITS.maxBytes);
  if (sha256(bytes) !== backup.record.originalSha256) {
    throw new McpLockError('DIGEST_MISMATCH', `the backup ${backup.paths.original} is not the original it recorded`, {
      hint: 'The backup was changed; restore the config from version control or by hand.',
      data: { expected: backup.record.originalSha256, found: sha256(bytes) },
    });
  }
  return bytes;
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# backups of MCP client configs (they can hold secrets)\n*\n');
}

/** Save the original bytes and the record; refuses to replace an existing backup. */
export function saveBackup(root: string, original: Uint8Array, record: WrapRecord): BackupPaths {
  const paths = backupPaths(root, record.config);
  ensureDir(paths.dir);
  writeFileAtomic(paths.original, original, { mode: 0o600, exclusive: true });
  try {
    writeRecord(paths, record, true);
  } catch (error) {
    rmSync(paths.original, { force: true });
    throw error;
  }
  return paths;
}

export function writeRecord(paths: BackupPaths, record: WrapRecord, exclusive = false): void {
  writeFileAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, exclusive });
}

/** Move a backup aside (kept, with a date in its name) so a new one can be made. Returns where it went. */
export function retireBackup(backup: Backup, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const to = `${backup.paths.original}.${stamp}`;
  renameSync(backup.paths.original, to);
  renameSync(backup.paths.record, `${backup.paths.record}.${stamp}`);
  return to;
}

/** Keep bytes that --force is about to overwrite, beside the backup. Returns the path. */
export function keepReplaced(backup: Backup, bytes: Uint8Array, now: Date): string {
  const path = `${backup.paths.original}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
  writeFileAtomic(path, bytes, { mode: 0o600, exclusive: true });
  return path;
}

/** Forget a backup once its original is back in place. */
export function removeBackup(backup: Backup): void {
  rmSync(backup.paths.record, { force: true });
  rmSync(backup.paths.original, { force: true });
}
