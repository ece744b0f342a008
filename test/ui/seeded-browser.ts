// One set-up for browser tests of the marketplace: Chromium and a seeded registry started together before
// the file's tests and stopped after them. A setup failure fails every test (never a skip), with its reason.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { type SeededRegistry, type SeedOptions, seedRegistry } from './seed.ts';

export interface SeededBrowser {
  readonly registry: SeededRegistry;
  /** A fresh browser context and page (1280×900, 15 s default timeout); throws the setup error if any. */
  newPage(): Promise<Page>;
}

export function useSeededBrowser(options: SeedOptions = {}): SeededBrowser {
  let browser: Browser | undefined;
  let registry: SeededRegistry | undefined;
  let setupError: unknown;
  beforeAll(async () => {
    const [b, r] = await Promise.allSettled([launchBrowser(), seedRegistry(options)]);
    if (b.status === 'fulfilled') browser = b.value;
    if (r.status === 'fulfilled') registry = r.value;
    setupError = b.status === 'rejected' ? b.reason : r.status === 'rejected' ? r.reason : undefined;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await registry?.stop();
  });
  return {
    get registry() {
      if (setupError !== undefined || !registry) throw setupError ?? new Error('the registry did not start');
      return registry;
    },
    async newPage() {
      if (setupError !== undefined || !browser) throw setupError ?? new Error('Chromium did not start');
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
  };
}
