// Which store a registry configuration names: PostgreSQL when a database URL is set (the driver is loaded
// only then), else the embedded file store in the data directory, the zero-setup default.

import type { RegistryStore } from '../../core/registry/ports.ts';
import type { RegistryConfig } from '../config.ts';
import { describeDatabase } from './pg/pg-errors.ts';

export async function openRegistryStore(
  config: Pick<RegistryConfig, 'dataDir' | 'databaseUrl'>,
): Promise<RegistryStore> {
  if (config.databaseUrl !== null) {
    const { PgRegistryStore } = await import('./pg/pg-store.ts');
    return PgRegistryStore.open(config.databaseUrl);
  }
  const { FileRegistryStore } = await import('./file-store.ts');
  return FileRegistryStore.open(config.dataDir);
}

/** Where the registry keeps its data, for people: the database without its password, or the directory. */
export function describeStore(config: Pick<RegistryConfig, 'dataDir' | 'databaseUrl'>): string {
  return config.databaseUrl === null ? config.dataDir : describeDatabase(config.databaseUrl);
}
