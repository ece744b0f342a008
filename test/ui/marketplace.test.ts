// The marketplace web UI in a real headless Chromium against a real registry on port 0, seeded through the
// real publish API: browse, search, a server page with a hidden character made visible, comparing two
// versions, logging in as a curator, approving and rejecting from the queue, consumers seeing the approval,
// the admin audit log, and untrusted HTML shown as text. Screenshots land in test-artifacts/ui/.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entryFromManifest } from '../../core/lockfile/lockfile.ts';
import { manifestDigest } from '../../core/manifest/manifest.ts';
import { launchBrowser, type PageProblems, screenshot, watchPage } from '../helpers/browser.ts';
import {
  DEPRECATE_REASON,
  type SeededRegistry,
  SMUGGLED,
  seedRegistry,
  tags,
  XSS_DESCRIPTION,
  XSS_REASON,
  XSS_SERVER_DESCRIPTION,
  YANK_REASON,
} from './seed.ts';

const WEATHER = 'io.github.acme/weather';

let browser: Browser;
let registry: SeededRegistry;
const contexts: BrowserContext[] = [];
const problems: PageProblems[] = [];

async function newPage(options: { clipboard?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (options.clipboard)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: registry.url });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  problems.push(watchPage(page));
  return page;
}

/** Navigate and wait until ui.js has finished (session check and token-dependent fragments). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${registry.url}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
}

async function loginAs(page: Page, token: string): Promise<void> {
  await open(page, '/ui/login');
  await page.getByLabel('Registry token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('#login-status').getByText('Logged in as').waitFor();
}

/** What the page would run if any injected markup had executed. */
// (Page code is passed as strings: the test project's TypeScript has no DOM library.)
const xssMarker = (page: Page) => page.evaluate<unknown>('window.__xss');

// Why the browser or the registry did not start. Every test then fails with it: a failing beforeAll would
// only mark the tests skipped, and a missing Chromium must never look like a skip.
let setupError: unknown;

beforeAll(async () => {
  // Both at once; keep whichever started so afterAll stops it even when the other failed.
  const [b, r] = await Promise.allSettled([launchBrowser(), seedRegistry()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (r.status === 'fulfilled') registry = r.value;
  if (b.status === 'rejected') setupError = b.reason;
  else if (r.status === 'rejected') setupError = r.reason;
}, 120_000);

beforeEach(() => {
  if (setupError !== undefined) throw setupError;
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await registry?.stop();
});

/** Open an item's full definition on the server page (fetched when opened) and return its article. */
async function openDetail(page: Page, key: string) {
  const line = page.locator(`li.item-line[data-key="${key}"]`);
  await line.locator('summary').click();
  const article = line.locator('details[data-loaded="true"] article.item');
  await article.waitFor();
  return article;
}

describe('the marketplace UI for anyone', () => {
  let page: Page;

  it('browses approved servers with latest version, publisher, approval and tool count', async () => {
    page = await newPage();
    await open(page, '/');
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await screenshot(page, 'browse');
    const cards = page.locator('li.server-card');
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort())).toEqual([
      'io.github.acme/legacy',
      'io.github.acme/notes',
      WEATHER,
    ]);
    const weather = page.locator(`li.server-card[data-name="${WEATHER}"]`);
    // 1.2.0 is pending: consumers see 1.1.0 as the latest approved version.
    await expect.poll(() => weather.locator('.version').textContent()).toBe('1.1.0');
    expect(await weather.locator('.status').textContent()).toBe('approved');
    expect(await weather.locator('.tool-count').getAttribute('data-tools')).toBe('2');
    expect(await weather.locator('.tool-count').textContent()).toContain('2 tools');
    expect(await weather.textContent()).toContain('acme release key');
    expect(await weather.locator('code.digest').getAttribute('title')).toBe(registry.publisherKey.keyId);
    expect(await weather.textContent()).toContain('by alice');
    // A deprecated latest version is listed, flagged, with the curator's reason.
    const legacy = page.locator('li.server-card[data-name="io.github.acme/legacy"]');
    expect(await legacy.locator('.status').textContent()).toBe('deprecated');
    expect(await legacy.locator('.reason').textContent()).toBe(DEPRECATE_REASON);
    // A server with only a pending version is not listed.
    expect(await page.locator('li.server-card[data-name="io.github.acme/sketchy"]').count()).toBe(0);
  });

  it('searches by description', async () => {
    await page.getByLabel('Search by name, title or description').fill('forecasts');
    await page.getByLabel('Search by name, title or description').press('Enter');
    await page.waitForURL(/\?q=forecasts/);
    await expect
      .poll(() => page.locator('li.server-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-name'))))
      .toEqual([WEATHER]);
    expect(await page.locator('h1').textContent()).toContain('forecasts');
    await screenshot(page, 'search');
    await page.getByLabel('Search by name, title or description').fill('no such thing');
    await page.getByLabel('Search by name, title or description').press('Enter');
    await page.locator('p.empty').waitFor();
  });

  it('opens a server: versions, signer fingerprint, approval, tree with integrity, add command and lock entry', async () => {
    await open(page, '/ui/');
    await page.getByRole('link', { name: WEATHER }).click();
    await page.waitForURL(/\/ui\/server\?name=/);
    await screenshot(page, 'server');
    const rows = page.locator('table.versions tbody tr');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-version')))).toEqual(['1.1.0', '1.0.0']);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain(registry.publisherKey.keyId);
    expect(text).toContain('acme release key');
    expect(await page.locator('.curator').first().textContent()).toBe('alice');
    expect(await page.locator('section.lint .severity').first().textContent()).toBe('critical');
    expect(text).toContain(registry.approvalKeyId);
    const m = registry.manifests[`${WEATHER}@1.1.0`]!;
    expect(text).toContain(manifestDigest(m));
    // The tree is a count on the page, and in full one click away (loaded on demand).
    expect(await page.locator('table.tree').count()).toBe(0);
    const tree = page.locator('#sec-deps ~ details.lazy');
    await tree.locator('summary').click();
    await tree.locator('table.tree').waitFor();
    const treeRows = tree.locator('table.tree tbody tr');
    expect(await treeRows.count()).toBe(m.package!.tree.length);
    const treeText = (await tree.textContent()) ?? '';
    for (const node of m.package!.tree) expect(treeText).toContain(node.integrity!);

    const command = await page.locator('pre[id^="add-cmd"]').textContent();
    expect(command).toBe(`mcp-lock add ${WEATHER}@1.1.0 --registry ${registry.url}`);
    const entry = JSON.parse((await page.locator('pre[id^="lock-entry"]').textContent()) ?? '');
    const expected = entryFromManifest(m, {
      source: { type: 'registry', registry: registry.url },
      signer: { type: 'key', keyId: registry.publisherKey.keyId, publicKey: registry.publisherKey.publicKeyPem },
      approval: { registry: registry.url, keyId: registry.approvalKeyId },
      files: entry.servers[WEATHER].package.files,
    });
    expect(entry).toEqual({ servers: { [WEATHER]: JSON.parse(JSON.stringify(expected)) } });
    expect(entry.servers[WEATHER].package.files).toMatch(/computed by mcp-lock add/);
  });

  it('copies the add command', async () => {
    const clip = await newPage({ clipboard: true });
    await open(clip, `/ui/server?name=${encodeURIComponent(WEATHER)}`);
    await clip.getByRole('button', { name: 'Copy' }).first().click();
    await expect
      .poll(() => clip.evaluate<string>('navigator.clipboard.readText()'))
      .toBe(`mcp-lock add ${WEATHER}@1.1.0 --registry ${registry.url}`);
  });

  it('makes hidden characters visible: tag characters as chips with the text they spell, zero-width too', async () => {
    // The compact line warns already; the full definition (opened on demand) shows every chip.
    expect(await page.locator('li.item-line[data-key="get_forecast"] > .hidden-warning').count()).toBe(1);
    expect(await page.locator('li.item-line[data-key="get_alerts"] > .hidden-warning').count()).toBe(0);
    const forecast = await openDetail(page, 'get_forecast');
    const chips = forecast.locator('.description mark.hc');
    expect(await chips.first().textContent()).toBe('\\u{E0041}');
    expect(await chips.evaluateAll((els) => els.map((e) => e.textContent))).toContain('\\u{200B}');
    expect(await forecast.locator('.description .hc-decoded').textContent()).toContain(SMUGGLED);
    expect(await forecast.locator('.hidden-warning').textContent()).toMatch(/25 hidden characters/);
    // The raw characters never reach the page: nothing is rendered silently.
    const body = await page.evaluate<string>('document.body.innerHTML');
    expect(body.includes(tags('A'))).toBe(false);
    expect(body.includes('\u200b')).toBe(false);
    // Benign twin: get_alerts has none, and gets neither chips nor a warning.
    const alerts = await openDetail(page, 'get_alerts');
    expect(await alerts.locator('mark.hc').count()).toBe(0);
    expect(await alerts.locator('.hidden-warning').count()).toBe(0);
  });

  it('compares two versions field by field with the hidden characters highlighted', async () => {
    await page.getByLabel('From').selectOption('1.0.0');
    await page.getByLabel('to', { exact: true }).selectOption('1.1.0');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/\/ui\/diff\?/);
    await screenshot(page, 'diff');
    const changed = page.locator('article.change-changed[data-key="get_forecast"]');
    expect(await changed.locator('tbody th code').first().textContent()).toBe('$.description');
    expect(await changed.locator('td.after mark.hc').first().textContent()).toBe('\\u{E0041}');
    expect(await changed.locator('td.before mark.hc').count()).toBe(0);
    expect(await changed.locator('tr.new-hidden .hidden-warning').count()).toBe(1);
    // Only what changed: get_alerts is the same in both.
    expect(await page.locator('[data-key="get_alerts"]').count()).toBe(0);
  });

  it('shows a tool description with <script> and HTML as text; nothing runs', async () => {
    await open(page, `/ui/server?name=${encodeURIComponent('io.github.acme/notes')}`);
    const description = (await openDetail(page, 'add_note')).locator('.description');
    expect(await description.textContent()).toBe(XSS_DESCRIPTION);
    expect(await page.locator('p.description.lead').textContent()).toBe(XSS_SERVER_DESCRIPTION);
    expect(await page.getByText('<script>window.__xss = 1</script>', { exact: false }).count()).toBeGreaterThan(0);
    // Escaped, not merely blocked by the CSP: the markup never became elements.
    expect(await page.locator('main script, main img, main b, main i').count()).toBe(0);
    expect(await xssMarker(page)).toBeUndefined();
    await screenshot(page, 'xss-as-text');
    // Benign twin of the lint: HTML in a description is not a hidden-character finding.
    expect(await page.locator('section.lint .findings-clean').count()).toBe(1);
    // Every kind of definition is listed, and in full one click away.
    for (const [kind, key] of [
      ['prompts', 'summarize'],
      ['resources', 'notes://index'],
      ['resourceTemplates', 'notes://{id}'],
    ]) {
      const item = await openDetail(page, key!);
      expect(await item.getAttribute('data-kind')).toBe(kind);
      expect(await item.locator('pre.json').textContent(), key).toContain(`"${key}"`);
    }
    // The yank reason (public) is text too.
    await open(page, `/ui/server?name=${encodeURIComponent('io.github.acme/legacy')}&version=1.0.0`);
    expect(await page.locator('table.versions tr[data-version="1.0.0"] td.reason').textContent()).toBe(YANK_REASON);
    expect(await page.locator('.status-reason .reason').textContent()).toBe(YANK_REASON);
    expect(await page.locator('#add-h + p').textContent()).toContain('yanked');
    expect(await page.locator('table.versions tr[data-version="1.0.1"] .status').textContent()).toBe('deprecated');
    expect(await page.locator('table.versions tr[data-version="1.0.1"] td.reason').textContent()).toBe(
      DEPRECATE_REASON,
    );
    expect(await page.locator('main i').count()).toBe(0);
  });

  it('keeps pending versions from anonymous readers', async () => {
    await open(page, `/ui/server?name=${encodeURIComponent('io.github.acme/sketchy')}`);
    expect(await page.locator('p.empty').textContent()).toContain('No approved version');
    await open(page, `/ui/server?name=${encodeURIComponent(WEATHER)}&version=1.2.0`);
    expect(await page.locator('table.versions').count()).toBe(0);
  });
});

describe('curators and admins', () => {
  let curator: Page;

  it('logs in with a curator token and sees the queue with diffs against the last approved version', async () => {
    curator = await newPage();
    await loginAs(curator, registry.tokens.curator);
    expect(await curator.locator('#session-who').textContent()).toBe('alice (curator)');
    // A wrong token is refused and not kept.
    const other = await newPage();
    await open(other, '/ui/login');
    await other.getByLabel('Registry token').fill(`mcpl_${'A'.repeat(43)}`);
    await other.getByRole('button', { name: 'Log in' }).click();
    await other.locator('#login-status').getByText('does not know this token').waitFor();
    expect(await other.evaluate(() => sessionStorage.length)).toBe(0);

    await open(curator, '/ui/queue');
    const items = curator.locator('article.queue-item');
    await items.first().waitFor();
    expect(await items.evaluateAll((els) => els.map((e) => `${e.dataset.name}@${e.dataset.version}`))).toEqual([
      'io.github.acme/sketchy@0.1.0',
      `${WEATHER}@1.2.0`,
    ]);
    const weather = curator.locator(`article.queue-item[data-name="${WEATHER}"]`);
    expect(await weather.locator('.review h3').first().textContent()).toContain('Changes since 1.1.0 (last approved)');
    expect(await weather.locator('.review article.change-changed[data-key="get_alerts"]').count()).toBe(1);
    expect(await weather.locator('.review [data-key="get_radar"]').count()).toBe(1);
    expect(await weather.locator('.review .tree-changes').textContent()).toContain('1.1.0 → 1.2.0');
    // The registry linted the publish: the smuggled tag characters are a finding on the tool.
    const finding = weather.locator('table.findings tbody tr').first();
    expect(await finding.locator('code').first().textContent()).toBe('MCPL001-hidden-chars');
    expect(await finding.locator('.severity').textContent()).toBe('critical');
    expect(await finding.textContent()).toContain('tools/get_forecast');
    const sketchy = curator.locator('article.queue-item[data-name="io.github.acme/sketchy"]');
    expect(await sketchy.locator('.review h3').first().textContent()).toContain('First version');
    expect(await sketchy.locator('.instructions mark.hc').first().textContent()).toBe('\\u{202E}');
    expect(await sketchy.locator('table.findings').textContent()).toContain('instructions');
    await screenshot(curator, 'queue');
  });

  it('rejects with a reason (required), shown as text', async () => {
    const sketchy = curator.locator('article.queue-item[data-name="io.github.acme/sketchy"]');
    await sketchy.getByRole('button', { name: 'Reject' }).click();
    await sketchy.locator('.form-status').getByText('reason is required').waitFor();
    await sketchy.getByLabel(/Reason/).fill(XSS_REASON);
    await sketchy.getByRole('button', { name: 'Reject' }).click();
    await curator.locator('#curate-result').getByText('io.github.acme/sketchy@0.1.0 is now rejected.').waitFor();
    expect(await curator.locator('article.queue-item[data-name="io.github.acme/sketchy"]').count()).toBe(0);
    // The curator (logged in) sees the rejected version and its reason on the server page; nothing runs.
    await open(curator, `/ui/server?name=${encodeURIComponent('io.github.acme/sketchy')}`);
    await curator.locator('table.versions tr[data-version="0.1.0"]').waitFor();
    expect(await curator.locator('tr[data-version="0.1.0"] .status').textContent()).toBe('rejected');
    expect(await curator.locator('tr[data-version="0.1.0"] td.reason').textContent()).toBe(XSS_REASON);
    expect(await curator.locator('main img').count()).toBe(0);
    expect(await xssMarker(curator)).toBeUndefined();
  });

  it('approves a pending version through the curation API, and consumers see it', async () => {
    await open(curator, '/ui/queue');
    const weather = curator.locator(`article.queue-item[data-name="${WEATHER}"]`);
    await weather.getByRole('button', { name: /Approve/ }).click();
    await curator.locator('#curate-result').getByText(`${WEATHER}@1.2.0 is now approved.`).waitFor();
    expect(await curator.locator('article.queue-item').count()).toBe(0);
    expect(await curator.locator('#content').textContent()).toContain('Nothing is waiting for review');

    // A consumer (a fresh browser context, no token) now sees 1.2.0 as the latest approved version.
    const consumer = await newPage();
    await open(consumer, '/ui/?q=weather');
    const card = consumer.locator(`li.server-card[data-name="${WEATHER}"]`);
    expect(await card.locator('.version').textContent()).toBe('1.2.0');
    expect(await card.locator('.tool-count').getAttribute('data-tools')).toBe('3');
    await open(consumer, `/ui/server?name=${encodeURIComponent(WEATHER)}`);
    expect(await consumer.locator('pre[id^="add-cmd"]').textContent()).toBe(
      `mcp-lock add ${WEATHER}@1.2.0 --registry ${registry.url}`,
    );
    await screenshot(consumer, 'server-approved');
    // And so does the official registry API every MCP client reads.
    const res = await fetch(`${registry.url}/v0.1/servers/${encodeURIComponent(WEATHER)}/versions/latest`);
    const body = (await res.json()) as { server: { version: string }; _meta: Record<string, { status: string }> };
    expect(body.server.version).toBe('1.2.0');
    expect(body._meta['io.modelcontextprotocol.registry/official']?.status).toBe('active');
  });

  it('keeps the audit log for admins only', async () => {
    await open(curator, '/ui/audit');
    await curator.locator('.error[data-code="FORBIDDEN"]').waitFor();

    const admin = await newPage();
    await loginAs(admin, registry.tokens.admin);
    await open(admin, '/ui/audit');
    await admin.locator('table.audit').waitFor();
    const actions = await admin.locator('table.audit tbody tr').evaluateAll((els) => els.map((e) => e.dataset.action));
    expect(actions).toEqual(
      expect.arrayContaining(['key.create', 'token.create', 'signer.add', 'publish', 'yank', 'deprecate']),
    );
    expect(actions.filter((a) => a === 'approve').length).toBe(6);
    await screenshot(admin, 'audit');
    await admin.getByLabel('Action').selectOption('reject');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(() => admin.locator('table.audit tbody tr').evaluateAll((els) => els.map((e) => e.dataset.action)))
      .toEqual(['reject']);
    const row = admin.locator('table.audit tbody tr');
    expect(await row.locator('.reason').textContent()).toBe(XSS_REASON);
    expect(await row.textContent()).toContain('alice');
    expect(await admin.locator('main img').count()).toBe(0);
    // Log out forgets the token.
    await admin.getByRole('button', { name: 'Log out' }).click();
    await admin.waitForURL(/\/ui\/$/);
    expect(await admin.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await admin.locator('#session-who').textContent()).toBe('Not logged in');
  });
});

describe('accessibility and hygiene', () => {
  it('labels every control, starts with a skip link, and reaches content by keyboard', async () => {
    const page = await newPage();
    for (const path of ['/ui/', `/ui/server?name=${encodeURIComponent(WEATHER)}`, '/ui/login']) {
      await open(page, path);
      const unlabelled = await page.evaluate<string[]>(
        `[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label'))
          .map((el) => el.outerHTML)`,
      );
      expect(unlabelled, path).toEqual([]);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('main').count()).toBe(1);
      expect(await page.locator('h1').count()).toBe(1);
    }
    await open(page, '/ui/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
  });

  it('ran no page script errors, broke no CSP rule, and loaded nothing from another origin (works offline)', () => {
    expect(problems.length).toBeGreaterThan(5);
    for (const p of problems) {
      expect(p.errors).toEqual([]);
      expect(p.csp).toEqual([]);
      expect(p.requests.filter((url) => !url.startsWith(`${registry.url}/`))).toEqual([]);
    }
  });
});
