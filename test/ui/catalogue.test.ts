// Browsing like a catalogue, in real Chromium with and without scripts: categories and tags from the
// manifest (server._meta["dev.mcp-lock/catalog"]) as links and filters, filters by status, transport and
// signer kind, sorting by name, recently updated and recently approved, keyset pages, and search as you
// type (a plain GET form without scripts; with them, results swap in place and the address follows).
// A tag or category carrying markup is refused at publish, and nothing is stored.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser.ts';
import { publishBody, sign, syntheticManifest } from '../registry/helpers.ts';
import { useSeededBrowser } from './seeded-browser.ts';

const ui = useSeededBrowser();
const REMOTE = 'io.github.acme/radar';

async function api(method: string, path: string, token: string, body?: string): Promise<Response> {
  return fetch(`${ui.registry.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body } : {}),
  });
}

async function publish(manifest: McpLockManifest): Promise<Response> {
  return api(
    'POST',
    '/mcp-lock/v1/publish',
    ui.registry.tokens.publisher,
    publishBody(manifest, await sign(manifest, ui.registry.publisherKey)),
  );
}

let noScript: Browser;
beforeAll(async () => {
  // A remote-only server (Streamable HTTP), tagged like weather, approved after everything else.
  const radar = syntheticManifest({
    name: REMOTE,
    remote: true,
    description: 'Rain radar tiles',
    meta: { 'dev.mcp-lock/catalog': { categories: ['data'], tags: ['weather', 'radar'] } },
  });
  expect((await publish(radar)).status).toBe(201);
  const approve = await api(
    'POST',
    `/mcp-lock/v1/servers/${encodeURIComponent(REMOTE)}/versions/1.0.0/approve`,
    ui.registry.tokens.curator,
    '{}',
  );
  expect(approve.status).toBe(200);
  noScript = await launchBrowser();
}, 120_000);
afterAll(async () => noScript?.close());

async function staticPage(): Promise<Page> {
  const context = await noScript.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

const names = (page: Page) =>
  page.locator('#results li.server-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));

describe('the catalogue without scripts', () => {
  it('shows categories and tags as links, and a tag link filters by it', async () => {
    const page = await staticPage();
    await page.goto(`${ui.registry.url}/ui/`);
    expect(await names(page)).toEqual([
      'io.github.acme/legacy',
      'io.github.acme/notes',
      REMOTE,
      'io.github.acme/weather',
    ]);
    const weather = page.locator('li.server-card[data-name="io.github.acme/weather"]');
    expect(await weather.locator('.chips a').allTextContents()).toEqual(['in data', '#weather', '#forecast']);
    await weather.getByRole('link', { name: '#weather' }).click();
    await page.waitForURL((url) => url.searchParams.get('tag') === 'weather');
    expect(await names(page)).toEqual([REMOTE, 'io.github.acme/weather']);
    // The filter form shows the chosen tag, with how many servers carry each one.
    expect(await page.locator('#f-tag option:checked').textContent()).toBe('weather (2)');
    await screenshot(page, 'catalogue-tag');
    await page.context().close();
  });

  it('filters by transport, status and signer kind through the plain form', async () => {
    const page = await staticPage();
    await page.goto(`${ui.registry.url}/ui/`);
    await page.getByLabel('Transport').selectOption('streamable-http');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('transport') === 'streamable-http');
    expect(await names(page)).toEqual([REMOTE]);
    await page.goto(`${ui.registry.url}/ui/?transport=stdio&status=deprecated`);
    expect(await names(page)).toEqual(['io.github.acme/legacy']);
    await page.goto(`${ui.registry.url}/ui/?signer=key`);
    expect((await names(page)).length).toBe(4);
    await page.goto(`${ui.registry.url}/ui/?signer=keyless`);
    expect(await names(page)).toEqual([]);
    expect(await page.locator('#results p.empty').textContent()).toBe('No approved server matches.');
    // A value that is not a filter is a 400 page in the UI's vocabulary, not a stack trace.
    const bad = await page.goto(`${ui.registry.url}/ui/?transport=%3Cscript%3E`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('main').textContent()).toContain('transport must be one of');
    await page.context().close();
  });

  it('sorts by name, recently approved and recently updated', async () => {
    const page = await staticPage();
    await page.goto(`${ui.registry.url}/ui/`);
    await page.getByLabel('Sort by').selectOption('approved');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'approved');
    // radar was approved last; legacy's latest (1.0.1) before it; then notes, then weather 1.1.0.
    const approved = await names(page);
    expect(approved[0]).toBe(REMOTE);
    expect(new Set(approved)).toEqual(
      new Set(['io.github.acme/legacy', 'io.github.acme/notes', REMOTE, 'io.github.acme/weather']),
    );
    // Recently updated: newest first by each server's last change.
    await page.goto(`${ui.registry.url}/ui/?sort=updated`);
    expect((await names(page)).length).toBe(4);
    const times = await page
      .locator('#results li.server-card .card-facts div:nth-child(4) time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
    await page.context().close();
  });

  it('pages by keyset cursor, and the next page carries the filters', async () => {
    const page = await staticPage();
    await page.goto(`${ui.registry.url}/ui/?limit=1&sort=approved`);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(...((await names(page)) as string[]));
      const next = page.getByRole('link', { name: 'Next page' });
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForLoadState();
      expect(new URL(page.url()).searchParams.get('sort')).toBe('approved');
    }
    expect(seen.length).toBe(4);
    expect(new Set(seen).size).toBe(4);
    expect(seen[0]).toBe(REMOTE);
    // A cursor from another sort, or one we never made, is refused.
    const url = new URL(page.url());
    url.searchParams.set('sort', 'name');
    expect((await page.goto(url.href))?.status()).toBe(400);
    expect((await page.goto(`${ui.registry.url}/ui/?cursor=bm9wZQ`))?.status()).toBe(400);
    await page.context().close();
  });
});

describe('search as you type (with scripts)', () => {
  it('swaps the results in place after a pause, keeps the address in step, and never navigates', async () => {
    const page = await ui.newPage();
    const problems = watchPage(page);
    await page.goto(`${ui.registry.url}/ui/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate('window.__stayed = true');
    await page.getByLabel('Search by name, title or description').pressSequentially('rad', { delay: 40 });
    await page.waitForSelector('body[data-results="?q=rad"]');
    expect(await names(page)).toEqual([REMOTE]);
    expect(new URL(page.url()).search).toBe('?q=rad');
    expect(await page.evaluate('window.__stayed')).toBe(true);
    // Typing fast sends one request for the pause, not one per key.
    const fragmentRequests = problems.requests.filter((u) => u.includes('/ui/fragments/browse'));
    expect(fragmentRequests.length).toBeLessThanOrEqual(2);
    await page.getByLabel('Category').selectOption('data');
    await page.waitForSelector('body[data-results="?q=rad&category=data"]');
    expect(await names(page)).toEqual([REMOTE]);
    await page.getByLabel('Search by name, title or description').fill('');
    await page.waitForSelector('body[data-results="?category=data"]');
    expect(await names(page)).toEqual([REMOTE, 'io.github.acme/weather']);
    await screenshot(page, 'catalogue-live');
    // Reloading the address shows the same results (server-rendered).
    await page.reload();
    expect(await names(page)).toEqual([REMOTE, 'io.github.acme/weather']);
    expect(problems.errors).toEqual([]);
    expect(problems.csp).toEqual([]);
    await page.context().close();
  });
});

describe('catalogue fields a publisher controls', () => {
  it('a tag or category with markup is refused at publish and nothing is stored; a plain one passes', async () => {
    for (const meta of [
      { tags: ['<img src=x onerror="window.__xss=5">'] },
      { tags: ['ok', 'javascript:alert(1)'] },
      { categories: ['<script>'] },
      { tags: ['x'], extra: 'no' },
    ]) {
      // buildManifest checks the schema itself: forge the block afterwards, as a hostile publisher would.
      const manifest = syntheticManifest({ name: 'io.github.acme/tagged', pkg: '@acme/tagged-mcp' });
      manifest.server._meta = { 'dev.mcp-lock/catalog': meta } as McpLockManifest['server']['_meta'];
      const res = await publish(manifest);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MANIFEST_INVALID');
    }
    expect((await fetch(`${ui.registry.url}/mcp-lock/v1/servers/io.github.acme%2Ftagged/versions`)).status).toBe(404);
    const twin = syntheticManifest({
      name: 'io.github.acme/tagged',
      pkg: '@acme/tagged-mcp',
      meta: { 'dev.mcp-lock/catalog': { categories: ['other'], tags: ['img-src', 'javascript'] } },
    });
    expect((await publish(twin)).status).toBe(201);
  });
});
