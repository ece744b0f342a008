// A registry for the scale benchmark in its own process: the real app on one store (a data directory or
// a database URL) on 127.0.0.1, without the TUF repository (its start-up signing is not what is measured,
// and @tufjs/models serializes targets in quadratic time). Prints {"url": …} once listening; stops on
// SIGTERM. Usage: node bench/registry-child.ts <data-dir | postgres://…> <keys-dir>

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RegistryStore } from '../core/registry/ports.ts';
import { FileRegistryStore } from '../registry/store/file-store.ts';
import { PgRegistryStore } from '../registry/store/pg/pg-store.ts';
import { serveStore } from './registry-seed.ts';

export interface ChildRegistry {
  url: string;
  stop(): Promise<void>;
}

/** Start this file as a child process on `location`; resolves once it listens. */
export function startChildRegistry(location: string, keysDir: string): Promise<ChildRegistry> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), location, keysDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const { url } = JSON.parse(out) as { url: string };
      resolve({
        url,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`bench registry exited with ${code}`)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [location, keysDir] = process.argv.slice(2) as [string, string];
  const store: RegistryStore = location.startsWith('postgres://')
    ? await PgRegistryStore.open(location)
    : await FileRegistryStore.open(location);
  const { app, url } = await serveStore(store, keysDir);
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.once('SIGTERM', async () => {
    await app.close();
    await store.close();
    process.exit(0);
  });
}
