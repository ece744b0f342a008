// npm's download cache, located the way npm does: $npm_config_cache is the cache root (npm itself sets it
// under `npm run`) and the content-addressed store is its _cacache directory. Undefined: Arborist's default.
import { join } from 'node:path';

export function npmCacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const root = env.npm_config_cache;
  return root ? join(root, '_cacache') : undefined;
}
