// Every server version a registry lists (the official /v0.1/servers API, approved and deprecated
// versions), read page by page within a bound, as the facts import needs to find who publishes a package.

import type { ListedVersion } from '../../core/clients/registry-match.ts';
import { McpLockError } from '../../core/errors.ts';
import { OFFICIAL_META_KEY } from '../../core/registry/api-schema.ts';
import { RegistryClient } from '../registry-client/client.ts';

export const LISTING_LIMITS = { pageSize: 100, maxPages: 100 };

export async function listRegistryVersions(registry: string): Promise<ListedVersion[]> {
  const client = new RegistryClient({ url: registry });
  const out: ListedVersion[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < LISTING_LIMITS.maxPages; page++) {
    const list = await client.listServers({ limit: LISTING_LIMITS.pageSize, ...(cursor ? { cursor } : {}) });
    for (const entry of list.servers) {
      const official = entry._meta[OFFICIAL_META_KEY];
      out.push({
        name: entry.server.name,
        version: entry.server.version,
        isLatest: official.isLatest,
        publishedAt: official.publishedAt,
        packages: (entry.server.packages ?? []).map((p) => ({
          registryType: p.registryType,
          identifier: p.identifier,
          version: p.version,
        })),
        remotes: (entry.server.remotes ?? []).map((r) => ({ url: r.url })),
      });
    }
    cursor = list.metadata.nextCursor;
    if (!cursor) return out;
  }
  throw new McpLockError(
    'LIMIT_EXCEEDED',
    `${registry} lists more than ${LISTING_LIMITS.pageSize * LISTING_LIMITS.maxPages} server versions`,
    { hint: 'Pin the servers of this config one by one with `mcp-lock add <name>@<version>`.' },
  );
}
