// Every new field a publisher controls renders inert in real Chromium: the readme's Markdown (raw HTML,
// javascript:/data:/vbscript: links, entity-encoded schemes, images from other origins, inline SVG and
// iframes), and catalogue tags and categories (refused at publish when they carry markup; see
// catalogue.test.ts). Inert means: no script ran (window flags stay unset), no element carries an event
// handler, no image or frame was requested, and the only links are http(s)/mailto with rel=noopener. A
// benign readme is the twin that must still render formatted.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, watchPage } from '../helpers/browser.ts';
import { useSeededBrowser } from './seeded-browser.ts';

const ui = useSeededBrowser();

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${ui.registry.url}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Every attribute named on* anywhere in the document (live handlers a parser would have created). */
const handlerAttributes = (page: Page) =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => el.tagName + ' ' + a.name))`,
  );

describe('the readme (Markdown from the manifest)', () => {
  it('renders a hostile readme inert: no script, no handler, no image, only safe links', async () => {
    const page = await ui.newPage();
    const problems = watchPage(page);
    await open(page, '/ui/server?name=io.github.acme%2Fnotes');
    const readme = page.locator('section.readme .markdown');
    await readme.waitFor();
    // The tricks are visible as text …
    const shown = (await readme.textContent()) ?? '';
    for (const literal of [
      '<script>window.__xss = 10</script>',
      'onerror="window.__xss = 11"',
      'javascript:window.__xss=13',
      'data:text/html',
    ]) {
      expect(shown).toContain(literal);
    }
    // … and none became an element, a handler or a request.
    expect(await readme.locator('script, img, svg, iframe, object, embed, style, form, input').count()).toBe(0);
    expect(await handlerAttributes(page)).toEqual([]);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    const hrefs = await readme
      .locator('a')
      .evaluateAll((els) => els.map((a) => ({ href: a.getAttribute('href') ?? '', rel: a.getAttribute('rel') ?? '' })));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const { href, rel } of hrefs) {
      expect(href).toMatch(/^(https?:\/\/|mailto:)/);
      expect(rel.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer']));
    }
    expect(hrefs.map((h) => h.href)).toEqual(
      expect.arrayContaining(['https://example.com/notes', 'https://example.com/auto']),
    );
    // The image from another origin is a link to it, never fetched; the data: image stays text.
    expect(await readme.locator('a.md-image').getAttribute('href')).toBe('http://127.0.0.1:9/tracker.png');
    expect(await readme.locator('a.md-image').textContent()).toBe('[image: tracker]');
    expect(shown).toContain('![inline](data:image/svg+xml;base64,');
    expect(problems.requests.some((u) => u.includes('tracker.png') || u.includes('evil.example'))).toBe(false);
    expect(problems.errors).toEqual([]);
    // The readme's "# Notes server" sits below the page's own headings.
    expect(await readme.locator('h1, h2, h3').count()).toBe(0);
    expect(await readme.locator('h4').textContent()).toBe('Notes server');
    await screenshot(page, 'readme-xss-inert');
    await page.context().close();
  });

  it('renders a benign readme formatted (the twin)', async () => {
    const page = await ui.newPage();
    await open(page, '/ui/server?name=io.github.acme%2Fweather&version=1.1.0');
    const readme = page.locator('section.readme .markdown');
    expect(await readme.locator('h4').textContent()).toBe('Weather MCP');
    expect(await readme.locator('h5').textContent()).toBe('Tools');
    expect(await readme.locator('strong').textContent()).toBe('alerts');
    expect(await readme.locator('li code').allTextContents()).toEqual(['get_forecast', 'get_alerts']);
    expect(await readme.locator('pre.md-code').textContent()).toContain('npx mcp-lock add io.github.acme/weather');
    expect(await readme.getByRole('link', { name: 'National Weather Service' }).getAttribute('href')).toBe(
      'https://www.weather.gov/',
    );
    expect(await readme.locator('a[href="mailto:weather@example.com"]').count()).toBe(1);
    expect(await page.locator('section.readme').textContent()).toContain('README.md');
    await screenshot(page, 'readme');
    // A version without a readme has no section (and no empty heading).
    await open(page, '/ui/server?name=io.github.acme%2Fweather&version=1.0.0');
    expect(await page.locator('section.readme').count()).toBe(0);
    await page.context().close();
  });
});

describe('tags and categories', () => {
  it('render as text links to filters, whatever the browser does with them', async () => {
    const page = await ui.newPage();
    await open(page, '/ui/');
    const chips = page.locator('li.server-card[data-name="io.github.acme/notes"] .chips a');
    expect(await chips.allTextContents()).toEqual(['in productivity', '#notes']);
    for (const href of await chips.evaluateAll((els) => els.map((a) => a.getAttribute('href') ?? ''))) {
      expect(href).toMatch(/^\/ui\/\?(category|tag)=[a-z0-9-]+$/);
    }
    expect(await handlerAttributes(page)).toEqual([]);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    await page.context().close();
  });
});
