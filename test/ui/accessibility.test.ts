// Automated accessibility checks: axe-core, run in real Chromium against every page of the marketplace
// (anonymous, curator and admin views), must report no serious or critical violation. axe is evaluated
// through the DevTools protocol (page.evaluate), so the pages keep their strict CSP: nothing inline is
// added to them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useSeededBrowser } from './seeded-browser.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const ui = useSeededBrowser();

async function pageAs(token?: string): Promise<Page> {
  const page = await ui.newPage();
  if (token) {
    await page.goto(`${ui.registry.url}/ui/login`);
    await page.getByLabel('Registry token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#login-status').getByText('Logged in as').waitFor();
  }
  return page;
}

/** Serious and critical violations on the page at `path`, after ui.js has finished. */
async function violations(page: Page, path: string): Promise<string[]> {
  await page.goto(`${ui.registry.url}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(
    '(async () => (await axe.run(document, { resultTypes: ["violations"] })).violations)()',
  )) as AxeViolation[];
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const PUBLIC_PAGES = [
  '/ui/',
  '/ui/?q=weather',
  '/ui/?tag=weather&sort=approved&limit=1',
  '/ui/?transport=sse&signer=keyless',
  '/ui/server?name=io.github.acme%2Fweather',
  '/ui/server?name=io.github.acme%2Fweather&version=1.1.0',
  '/ui/server?name=io.github.acme%2Fnotes',
  '/ui/server?name=io.github.acme%2Flegacy',
  '/ui/diff?name=io.github.acme%2Fweather&from=1.0.0&to=1.1.0',
  '/ui/detail?name=io.github.acme%2Fweather&version=1.1.0&part=tree',
  '/ui/detail?name=io.github.acme%2Fnotes&version=1.0.0&part=tools&key=add_note',
  '/ui/login',
  '/ui/server?name=io.github.acme%2Fno-such-server',
];

describe('axe-core on every page', () => {
  it('anonymous pages have no serious or critical violations', async () => {
    const page = await pageAs();
    const all: string[] = [];
    for (const path of PUBLIC_PAGES) all.push(...(await violations(page, path)));
    expect(all).toEqual([]);
    await page.context().close();
  });

  it('the curator’s review queue and the admin’s audit log have none either', async () => {
    const curator = await pageAs(ui.registry.tokens.curator);
    const all = [
      ...(await violations(curator, '/ui/queue')),
      ...(await violations(curator, '/ui/server?name=io.github.acme%2Fweather&version=1.2.0')),
    ];
    await curator.context().close();
    const admin = await pageAs(ui.registry.tokens.admin);
    all.push(...(await violations(admin, '/ui/audit')));
    await admin.context().close();
    expect(all).toEqual([]);
  });

  it('the check can fail: a page made inaccessible on purpose is reported', async () => {
    const page = await pageAs();
    await page.goto(`${ui.registry.url}/ui/login`);
    await page.waitForSelector('body[data-ready="true"]');
    // Remove the token field's label: an unlabeled form control is a critical violation.
    await page.evaluate('document.querySelectorAll("label").forEach((l) => l.remove())');
    await page.evaluate(AXE_SOURCE);
    const found = (await page.evaluate(
      '(async () => (await axe.run(document, { resultTypes: ["violations"] })).violations)()',
    )) as AxeViolation[];
    expect(found.map((v) => v.id)).toContain('label');
    await page.context().close();
  });
});
