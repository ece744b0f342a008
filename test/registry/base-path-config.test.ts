// The base path setting (`--base-path`, MCP_LOCK_REGISTRY_BASE_PATH, "basePath" in the config file; later
// wins): normalised to "/…/", and refused (CONFIG_INVALID naming its source) when it could break out of
// the prefix or need encoding in a link. The app then answers only under it (through inject).

import { describe, expect, test } from 'vitest';
import { buildRegistryApp } from '../../registry/app.ts';
import { parseBasePath, resolveRegistryConfig } from '../../registry/config.ts';
import { expectCode } from '../helpers/expect-code.ts';
import { makeRegistry } from './helpers.ts';

const cwd = '/srv/registry';

describe('the base path', () => {
  test('defaults to the root; file, then environment, then flag', () => {
    expect(resolveRegistryConfig({ flags: {}, env: {}, cwd }).basePath).toBe('/');
    const file = { path: '/etc/r.json', content: JSON.stringify({ basePath: '/file' }) };
    expect(resolveRegistryConfig({ flags: {}, env: {}, file, cwd }).basePath).toBe('/file/');
    const env = { MCP_LOCK_REGISTRY_BASE_PATH: '/env/x/' };
    expect(resolveRegistryConfig({ flags: {}, env, file, cwd }).basePath).toBe('/env/x/');
    expect(resolveRegistryConfig({ flags: { basePath: '/mcp' }, env, file, cwd }).basePath).toBe('/mcp/');
  });

  test('normalises a trailing slash and the root', () => {
    expect(parseBasePath('/', 'x')).toBe('/');
    expect(parseBasePath('/mcp', 'x')).toBe('/mcp/');
    expect(parseBasePath('/a.b/c_d-e~f/', 'x')).toBe('/a.b/c_d-e~f/');
  });

  test('refuses what is not a plain path, naming the source', () => {
    for (const bad of [
      'mcp/',
      '//evil.example/',
      '/a//b/',
      '/../x/',
      '/./',
      '/a b/',
      '/%2e%2e/',
      '/a?b',
      '/a#b',
      '/"x',
      `/${'a'.repeat(200)}`,
      7,
    ]) {
      const error = expectCode(
        () =>
          resolveRegistryConfig({
            flags: {},
            env: {},
            cwd,
            file: { path: '/c.json', content: JSON.stringify({ basePath: bad }) },
          }),
        'CONFIG_INVALID',
      );
      expect(error.message).toMatch(/basePath from the config file \/c\.json/);
    }
    const error = expectCode(
      () => resolveRegistryConfig({ flags: { basePath: '/../' }, env: {}, cwd }),
      'CONFIG_INVALID',
    );
    expect(error.message).toMatch(/--base-path/);
  });

  test('the app answers under the prefix only, and the UI links carry it', async () => {
    const registry = await makeRegistry();
    const app = await buildRegistryApp({ service: registry.service, basePath: '/mcp/' });
    try {
      expect((await app.inject({ url: '/mcp/v0.1/servers' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/v0.1/servers' })).statusCode).toBe(404);
      const root = await app.inject({ url: '/mcp/' });
      expect(root.headers.location).toBe('/mcp/ui/');
      const page = await app.inject({ url: '/mcp/ui/' });
      expect(page.statusCode).toBe(200);
      const urls = [...page.body.matchAll(/\s(?:href|src|action)="([^"#]+)"/g)].map((m) => m[1]!);
      expect(urls.length).toBeGreaterThan(5);
      for (const url of urls) expect(url).toMatch(/^\/mcp\//);
      // A 404 page inside the prefix is the UI's, with its links prefixed too.
      const missing = await app.inject({ url: '/mcp/ui/nowhere' });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain('href="/mcp/ui/assets/ui.css"');
    } finally {
      await app.close();
      await registry.close();
    }
  });
});
