// Where the registry keeps its data: the file store by default; PostgreSQL when a database URL comes from
// the config file, MCP_LOCK_REGISTRY_DATABASE_URL or --database-url (later wins). A bad URL is refused
// naming its source, and never repeated back (it may hold a password).

import { describe, expect, test } from 'vitest';
import { resolveRegistryConfig } from '../../registry/config.ts';
import { describeStore } from '../../registry/store/open-store.ts';
import { expectCode } from '../helpers/expect-code.ts';

const cwd = '/srv/registry';

describe('the database URL', () => {
  test('absent by default: the zero-setup file store in the data directory', () => {
    const config = resolveRegistryConfig({ flags: {}, env: {}, cwd });
    expect(config.databaseUrl).toBeNull();
    expect(describeStore(config)).toBe('/srv/registry/.mcp-lock-registry');
  });

  test('file, then environment, then flag', () => {
    const file = { path: '/etc/r.json', content: JSON.stringify({ databaseUrl: 'postgres://file@db/reg' }) };
    expect(resolveRegistryConfig({ flags: {}, env: {}, file, cwd }).databaseUrl).toBe('postgres://file@db/reg');
    const env = { MCP_LOCK_REGISTRY_DATABASE_URL: 'postgresql://env:secret@db:5432/reg' };
    const fromEnv = resolveRegistryConfig({ flags: {}, env, file, cwd });
    expect(fromEnv.databaseUrl).toBe('postgresql://env:secret@db:5432/reg');
    expect(describeStore(fromEnv)).toBe('postgresql://env@db:5432/reg');
    const flags = { databaseUrl: 'postgres://flag@db/reg' };
    expect(resolveRegistryConfig({ flags, env, file, cwd }).databaseUrl).toBe('postgres://flag@db/reg');
  });

  test('a URL that is not postgres:// is CONFIG_INVALID naming the source, without echoing the URL', () => {
    const cases: [Parameters<typeof resolveRegistryConfig>[0], RegExp][] = [
      [{ flags: { databaseUrl: 'mysql://u:hunter2@db/x' }, env: {}, cwd }, /--database-url/],
      [{ flags: {}, env: { MCP_LOCK_REGISTRY_DATABASE_URL: 'hunter2' }, cwd }, /MCP_LOCK_REGISTRY_DATABASE_URL/],
      [{ flags: {}, env: {}, file: { path: '/c.json', content: '{"databaseUrl": 5}' }, cwd }, /c\.json/],
    ];
    for (const [sources, source] of cases) {
      const error = expectCode(() => resolveRegistryConfig(sources), 'CONFIG_INVALID');
      expect(error.message).toMatch(source);
      expect(error.message).not.toContain('hunter2');
    }
  });
});
