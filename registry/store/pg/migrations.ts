// The PostgreSQL store's schema, as numbered migrations. On start every replica applies the missing ones
// under one advisory lock (so replicas starting together do not race), checks that the applied ones are
// exactly the ones it knows (same number, same checksum), and refuses a database a newer mcp-lock migrated.
// The rules that matter live in constraints, not in code: one row per (name, version), published content
// immutable, blobs whose id is the SHA-256 of their bytes, and audit sequence numbers without gaps.

import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { McpLockError } from '../../../core/errors.ts';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'versions, blobs, tokens, signers and the audit log',
    sql: `
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE registry_meta (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  audit_seq bigint NOT NULL DEFAULT 0 CHECK (audit_seq >= 0)
);
INSERT INTO registry_meta DEFAULT VALUES;

CREATE TABLE blobs (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  bytes bytea NOT NULL,
  CHECK (id = encode(sha256(bytes), 'hex'))
);

CREATE TABLE versions (
  name text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  namespace text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'deprecated', 'yanked')),
  is_latest boolean NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  manifest_digest text NOT NULL CHECK (manifest_digest ~ '^sha256:[0-9a-f]{64}$'),
  manifest_blob text NOT NULL REFERENCES blobs (id),
  publisher_bundle_blob text NOT NULL REFERENCES blobs (id),
  approval_bundle_blob text REFERENCES blobs (id),
  search_text text NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE INDEX versions_status_key ON versions (status, name, version);
CREATE INDEX versions_latest_key ON versions (name, version) WHERE is_latest;
CREATE INDEX versions_updated ON versions (updated_at);
CREATE INDEX versions_search ON versions USING gin (search_text gin_trgm_ops);

-- What was published never changes, and is never deleted; an approval, once signed, stays.
CREATE FUNCTION versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'published versions are never deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  IF NEW.namespace IS DISTINCT FROM OLD.namespace
     OR NEW.manifest_digest IS DISTINCT FROM OLD.manifest_digest
     OR NEW.manifest_blob IS DISTINCT FROM OLD.manifest_blob
     OR NEW.publisher_bundle_blob IS DISTINCT FROM OLD.publisher_bundle_blob
     OR (OLD.approval_bundle_blob IS NOT NULL AND NEW.approval_bundle_blob IS DISTINCT FROM OLD.approval_bundle_blob) THEN
    RAISE EXCEPTION 'published versions are immutable: %@%', OLD.name, OLD.version
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER versions_guard BEFORE UPDATE OR DELETE ON versions
  FOR EACH ROW EXECUTE FUNCTION versions_guard();

CREATE TABLE tokens (
  id text PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  created_at text COLLATE "C" NOT NULL,
  record json NOT NULL
);

CREATE TABLE signers (
  namespace text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (namespace, id)
);

CREATE TABLE audit (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  action text NOT NULL,
  name text,
  event json NOT NULL
);
CREATE INDEX audit_name ON audit (name, seq);
CREATE INDEX audit_action ON audit (action, seq);
`,
  },
  {
    version: 2,
    description: 'the signed TUF metadata of each role, by version',
    sql: `
CREATE TABLE tuf_metadata (
  role text NOT NULL CHECK (role IN ('root', 'targets', 'snapshot', 'timestamp')),
  version integer NOT NULL CHECK (version > 0),
  blob text NOT NULL REFERENCES blobs (id),
  PRIMARY KEY (role, version)
);
`,
  },
];

const checksum = (m: Migration) => createHash('sha256').update(m.sql).digest('hex');

/** Apply missing migrations and check the applied ones; throws STORAGE_ERROR on a foreign or newer schema. */
export async function migrate(pool: Pool): Promise<number> {
  const client = await pool.connect();
  const ignore = () => undefined; // a dropped connection fails the query below; it must not crash the process
  client.on('error', ignore);
  try {
    await client.query('BEGIN');
    // One replica migrates at a time; the others wait here, then find nothing left to do.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('mcp-lock registry migrations'))");
    await client.query(`CREATE TABLE IF NOT EXISTS mcp_lock_migrations (
      version integer PRIMARY KEY, description text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = (
      await client.query<{ version: number; checksum: string }>(
        'SELECT version, checksum FROM mcp_lock_migrations ORDER BY version',
      )
    ).rows;
    const known = new Map(MIGRATIONS.map((m) => [m.version, m]));
    for (const row of applied) {
      const m = known.get(row.version);
      if (!m) {
        throw new McpLockError(
          'STORAGE_ERROR',
          `the database schema is at version ${row.version}, newer than this mcp-lock knows`,
          {
            hint: 'Upgrade mcp-lock on this replica; every replica must run the same or a newer version.',
          },
        );
      }
      if (checksum(m) !== row.checksum) {
        throw new McpLockError('STORAGE_ERROR', `database migration ${row.version} differs from this mcp-lock's`, {
          hint: 'The schema was changed by hand or by another build; restore the database from a backup.',
        });
      }
    }
    const done = new Set(applied.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO mcp_lock_migrations (version, description, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.description,
        checksum(m),
      ]);
    }
    await client.query('COMMIT');
    return MIGRATIONS.at(-1)!.version;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', ignore);
    client.release();
  }
}
