// Headless Chromium for the UI tests: Debian's /usr/bin/chromium driven by playwright-core (a browser
// download is impossible here). Missing Chromium is a clear failure, never a silent skip: `npm test` installs
// it first (scripts/system-deps.ts, the pretest script). Also: a page watcher that records script errors and CSP violations, and
// screenshots saved as artifacts under test-artifacts/ui/ (ignored by git).

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.MCP_LOCK_CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch Chromium with a fresh, empty profile (playwright makes a temporary user-data-dir per launch). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The web UI tests need Chromium at ${CHROMIUM_PATH}, and it is missing. ` +
        'Run `npm test`, which installs it (scripts/system-deps.ts; Debian: apt-get install -y chromium), ' +
        'or point MCP_LOCK_CHROMIUM at a Chromium binary. A browser download does not work here.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 30_000 });
}

export const ARTIFACTS = new URL('../../test-artifacts/ui/', import.meta.url).pathname;

/** Save a full-page screenshot as test-artifacts/ui/<name>.png and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface PageProblems {
  /** Uncaught exceptions in page scripts. */
  errors: string[];
  /** Console messages about Content Security Policy violations. */
  csp: string[];
  /** Every console error (network failures included). */
  consoleErrors: string[];
  /** Every URL the page requested (to prove it loads nothing from elsewhere). */
  requests: string[];
}

/** Record what went wrong in a page while a test drives it. */
export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], csp: [], consoleErrors: [], requests: [] };
  page.on('request', (request) => problems.requests.push(request.url()));
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    const text = message.text();
    if (/content security policy/i.test(text)) problems.csp.push(text);
    if (message.type() === 'error') problems.consoleErrors.push(text);
  });
  return problems;
}
