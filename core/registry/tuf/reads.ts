// Serving the registry's TUF repository: metadata files by the names TUF clients ask for
// (`<N>.root.json`, `timestamp.json`, `<N>.snapshot.json`, `<N>.targets.json`), and target files by
// their consistent-snapshot name (`servers/<ns>/<server>/<sha256>.<file>`), only when the current
// targets list exactly that hash (blobs of unpublished versions are never reachable this way).

import { McpLockError } from '../../errors.ts';
import type { StoreReader } from '../ports.ts';
import { parseTargets, TUF_ROLES, type TufRole } from './metadata.ts';

const METADATA_FILE = /^(?:([1-9]\d{0,14})\.)?(root|targets|snapshot|timestamp)\.json$/;
const TARGET_FILE = /^([0-9a-f]{64})\.(.{1,300})$/;

const notFound = (what: string) =>
  new McpLockError('NOT_FOUND', `${what} is not in this registry's TUF repository`, {
    hint: 'TUF clients start from the pinned root and ask for <N+1>.root.json, timestamp.json, then what it names.',
  });

export function parseMetadataFileName(file: string): { role: TufRole; version?: number } | null {
  const m = METADATA_FILE.exec(file);
  if (!m || !(TUF_ROLES as readonly string[]).includes(m[2]!)) return null;
  return { role: m[2] as TufRole, ...(m[1] ? { version: Number(m[1]) } : {}) };
}

export async function readTufMetadataFile(store: StoreReader, file: string): Promise<Uint8Array> {
  const parsed = parseMetadataFileName(file);
  if (!parsed) throw notFound(file);
  const bytes = await store.getTufMetadata(parsed.role, parsed.version);
  if (!bytes) throw notFound(file);
  return bytes;
}

/** A target file: `dir` is `servers/<ns>/<server>`, `file` is `<sha256>.<name>`. */
export async function readTufTargetFile(store: StoreReader, dir: string, file: string): Promise<Uint8Array> {
  const m = TARGET_FILE.exec(file);
  const path = m ? `${dir}/${m[2]}` : '';
  const targetsBytes = m ? await store.getTufMetadata('targets') : undefined;
  const target = targetsBytes ? parseTargets(targetsBytes).signed.targets[path] : undefined;
  if (!m || !target || target.hashes.sha256 !== m[1]) throw notFound(`${dir}/${file}`);
  const bytes = await store.getBlob(m[1]!);
  if (!bytes) throw notFound(`${dir}/${file}`);
  return bytes;
}
