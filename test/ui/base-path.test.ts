// The registry behind a reverse proxy at a path prefix (`registry serve --base-path /mcp/`), in real
// Chromium: a loopback proxy forwards only /mcp/* (anything else is its own 404, recorded), and every page,
// asset, link, form, redirect, script fetch and the login return stay under the prefix. The API answers
// there too, and its OpenAPI document names the prefix as its server.

import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, watchPage } from '../helpers/browser.ts';
import { useSeededBrowser } from './seeded-browser.ts';

const ui = useSeededBrowser({ serveArgs: ['--base-path', '/mcp/'] });

interface Proxy {
  url: string;
  /** Paths the proxy refused (outside /mcp/): must stay empty. */
  outside: string[];
  close(): Promise<void>;
}

/** A reverse proxy on 127.0.0.1 that forwards /mcp/* unchanged to the registry and nothing else. */
async function startProxy(upstream: URL): Promise<Proxy> {
  const outside: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith('/mcp/') && path !== '/mcp') {
      outside.push(path);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not proxied');
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    outside,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

let proxy: Proxy;
beforeAll(async () => {
  proxy = await startProxy(new URL(ui.registry.url));
}, 120_000);
afterAll(async () => proxy?.close());

async function ready(page: Page, path: string): Promise<void> {
  await page.goto(`${proxy.url}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Every same-origin URL attribute in the document (links, assets, form actions), resolved. */
async function urlsIn(page: Page): Promise<{ raw: string; path: string }[]> {
  const all = (await page.evaluate(`[...document.querySelectorAll('[href], [src], form[action]')].map((el) => {
    const raw = el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? '';
    const url = new URL(raw, location.href);
    return { raw, path: url.pathname, local: url.origin === location.origin };
  })`)) as { raw: string; path: string; local: boolean }[];
  expect(all.length).toBeGreaterThan(5);
  return all.filter((u) => u.local && !u.raw.startsWith('#'));
}

describe('the registry under --base-path /mcp/ behind a reverse proxy', () => {
  it('serves the API under the prefix and only there', async () => {
    expect(ui.registry.url).toMatch(/\/mcp$/);
    const list = await fetch(`${proxy.url}/mcp/v0.1/servers`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { servers: unknown[] }).servers.length).toBeGreaterThan(0);
    const origin = new URL(ui.registry.url).origin;
    expect((await fetch(`${origin}/v0.1/servers`)).status).toBe(404);
    expect((await fetch(`${origin}/ui/`)).status).toBe(404);
    const openapi = (await (await fetch(`${proxy.url}/mcp/openapi.json`)).json()) as {
      servers: { url: string }[];
      paths: Record<string, unknown>;
    };
    expect(openapi.servers).toEqual([expect.objectContaining({ url: '/mcp' })]);
    expect(Object.keys(openapi.paths)).toContain('/v0.1/servers');
    expect(Object.keys(openapi.paths).some((p) => p.startsWith('/mcp/'))).toBe(false);
    const redirect = await fetch(`${proxy.url}/mcp/`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/mcp/ui/');
  });

  it('browses, opens a server and compares versions with every link, asset and form under /mcp/', async () => {
    const page = await ui.newPage();
    const problems = watchPage(page);
    await ready(page, '/mcp/');
    expect(new URL(page.url()).pathname).toBe('/mcp/ui/');
    // The stylesheet loaded (the header is laid out by it) and the script ran (data-ready).
    expect(await page.evaluate('document.styleSheets[0]?.cssRules.length ?? 0')).toBeGreaterThan(10);
    for (const { raw, path } of await urlsIn(page)) expect(path, raw).toMatch(/^\/mcp\//);
    await page.getByRole('link', { name: 'io.github.acme/weather' }).click();
    await page.waitForURL((url) => url.pathname === '/mcp/ui/server');
    for (const { raw, path } of await urlsIn(page)) expect(path, raw).toMatch(/^\/mcp\//);
    // The manifest link reaches the API through the proxy.
    const manifest = await page.getByRole('link', { name: 'manifest', exact: true }).getAttribute('href');
    expect((await fetch(`${proxy.url}${manifest}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL((url) => url.pathname === '/mcp/ui/diff');
    await page.getByRole('heading', { level: 1 }).waitFor();
    // The skip link still targets this page's main landmark.
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).pathname).toBe('/mcp/ui/diff');
    await screenshot(page, 'base-path-diff');
    expect(problems.errors).toEqual([]);
    expect(problems.csp).toEqual([]);
    expect(problems.requests.every((u) => new URL(u).pathname.startsWith('/mcp/'))).toBe(true);
    expect(proxy.outside).toEqual([]);
    await page.context().close();
  });

  it('search works without scripts under the prefix', async () => {
    const context = await (await ui.newPage()).context();
    const page = await context
      .browser()!
      .newContext({ javaScriptEnabled: false })
      .then((c) => c.newPage());
    await page.goto(`${proxy.url}/mcp/ui/`);
    await page.getByLabel(/Search/).fill('notes');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.pathname === '/mcp/ui/' && url.searchParams.get('q') === 'notes');
    expect(await page.locator('li.server-card').count()).toBe(1);
    await page.context().close();
    await context.close();
    expect(proxy.outside).toEqual([]);
  });

  it('logging in returns to the page under the prefix, and a curator action goes through the proxied API', async () => {
    const page = await ui.newPage();
    const problems = watchPage(page);
    await ready(page, '/mcp/ui/server?name=io.github.acme%2Fweather&version=1.1.0');
    await page.locator('#login-link').click();
    await page.waitForURL((url) => url.pathname === '/mcp/ui/login' && url.searchParams.has('next'));
    expect(new URL(page.url()).searchParams.get('next')).toBe(
      '/mcp/ui/server?name=io.github.acme%2Fweather&version=1.1.0',
    );
    await page.getByLabel('Registry token').fill(ui.registry.tokens.curator);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/mcp/ui/server' && url.searchParams.get('version') === '1.1.0');
    await page.waitForSelector('body[data-ready="true"]');
    const form = page.locator('form.curate');
    await expect.poll(() => form.count()).toBe(1);
    await form.getByLabel(/Reason/).fill('moved behind the proxy');
    await form.getByRole('button', { name: 'Deprecate 1.1.0' }).click();
    await expect
      .poll(async () => {
        const res = await fetch(`${proxy.url}/mcp/mcp-lock/v1/servers/io.github.acme%2Fweather/versions/1.1.0`);
        return ((await res.json()) as { status: string }).status;
      })
      .toBe('deprecated');
    await page.locator('#logout').click();
    await page.waitForURL((url) => url.pathname === '/mcp/ui/');
    expect(problems.errors).toEqual([]);
    expect(proxy.outside).toEqual([]);
    await page.context().close();
  });
});
