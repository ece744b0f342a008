// Curators' work on a server page in real Chromium: deprecate and yank buttons with a required reason,
// going through the same curation API as the CLI; anonymous readers get no buttons; and logging in brings
// the reader back to the page they came from, but never to another site.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { useSeededBrowser } from './seeded-browser.ts';

const ui = useSeededBrowser();
const newPage = () => ui.newPage();

async function ready(page: Page, path: string): Promise<void> {
  await page.goto(`${ui.registry.url}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
}

async function logIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Registry token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
}

const WEATHER = '/ui/server?name=io.github.acme%2Fweather&version=1.1.0';

async function statusOf(version: string): Promise<string> {
  const res = await fetch(`${ui.registry.url}/mcp-lock/v1/servers/io.github.acme%2Fweather/versions/${version}`);
  return ((await res.json()) as { status: string }).status;
}

describe('curating from the server page', () => {
  it('logging in from a server page comes back to that page, and shows the curator its actions', async () => {
    const page = await newPage();
    await ready(page, WEATHER);
    expect(await page.locator('form.curate').count()).toBe(0);
    await page.locator('#login-link').click();
    await page.waitForURL(/\/ui\/login\?next=/);
    await logIn(page, ui.registry.tokens.curator);
    await page.waitForURL((url) => url.pathname === '/ui/server' && url.searchParams.get('version') === '1.1.0');
    await page.waitForSelector('body[data-ready="true"]');
    const form = page.locator('form.curate');
    await expect.poll(() => form.count()).toBe(1);
    // 1.1.0 is approved: it can be deprecated or yanked, not approved again.
    expect(await form.getByRole('button').allTextContents()).toEqual(['Deprecate 1.1.0', 'Yank 1.1.0']);
    await page.context().close();
  });

  it('deprecate needs a reason; with one it goes through the API and the page shows it', async () => {
    const page = await newPage();
    await ready(page, '/ui/login');
    await logIn(page, ui.registry.tokens.curator);
    await page.locator('#login-status').getByText('Logged in as').waitFor();
    await ready(page, WEATHER);
    const form = page.locator('form.curate');
    await form.getByRole('button', { name: 'Deprecate 1.1.0' }).click();
    await expect.poll(() => form.locator('.form-status').textContent()).toMatch(/reason is required/);
    expect(await statusOf('1.1.0')).toBe('approved');
    await form.getByLabel(/Reason/).fill('Superseded by <b>1.2.0</b>');
    await form.getByRole('button', { name: 'Deprecate 1.1.0' }).click();
    await expect.poll(() => statusOf('1.1.0')).toBe('deprecated');
    await expect.poll(() => page.locator('.status-reason .reason').textContent()).toBe('Superseded by <b>1.2.0</b>');
    await screenshot(page, 'curate-deprecated');
    // Deprecated now: only yank is left.
    expect(await page.locator('form.curate').getByRole('button').allTextContents()).toEqual(['Yank 1.1.0']);
    await page
      .locator('form.curate')
      .getByLabel(/Reason/)
      .fill('leaked a token');
    await page.locator('form.curate').getByRole('button', { name: 'Yank 1.1.0' }).click();
    await expect.poll(() => statusOf('1.1.0')).toBe('yanked');
    await page.context().close();
  });

  it('a publisher token sees no curate form, and an anonymous page none either', async () => {
    const page = await newPage();
    await ready(page, '/ui/login');
    await logIn(page, ui.registry.tokens.publisher);
    await page.locator('#login-status').getByText('Logged in as').waitFor();
    await ready(page, '/ui/server?name=io.github.acme%2Fweather&version=1.0.0');
    expect(await page.locator('form.curate').count()).toBe(0);
    await page.context().close();
  });

  it('never returns to another origin after login (an open redirect would phish tokens)', async () => {
    for (const next of [
      'https://evil.example/ui/',
      '//evil.example/ui/',
      '/\\evil.example/',
      '/ui/../../x',
      'javascript:alert(1)',
    ]) {
      const page = await newPage();
      await ready(page, `/ui/login?next=${encodeURIComponent(next)}`);
      await logIn(page, ui.registry.tokens.curator);
      await page.locator('#login-status').getByText('Logged in as').waitFor();
      expect(new URL(page.url()).origin).toBe(ui.registry.url);
      expect(new URL(page.url()).pathname).toMatch(/^\/ui\//);
      await page.context().close();
    }
  });
});
