// The marketplace screenshots the README links: the browser tests write every screenshot to
// test-artifacts/ui/ (ignored by git, so a test run never dirties the tree); this copies the curated few
// into docs/screenshots/, which is committed. Run it by hand after `npm test` when the UI changed:
// `npm run screenshots`. It fails, naming them, when a screenshot is missing.

import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CURATED = ['browse', 'catalogue-tag', 'server', 'readme-xss-inert', 'diff'] as const;

const root = new URL('..', import.meta.url).pathname;
const from = join(root, 'test-artifacts', 'ui');
const to = join(root, 'docs', 'screenshots');

const missing = CURATED.filter((name) => !existsSync(join(from, `${name}.png`)));
if (missing.length > 0) {
  process.stderr.write(`missing in test-artifacts/ui/: ${missing.join(', ')} (run the UI tests first: npm test)\n`);
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const name of CURATED) copyFileSync(join(from, `${name}.png`), join(to, `${name}.png`));
process.stdout.write(`copied ${CURATED.length} screenshots to docs/screenshots/\n`);
