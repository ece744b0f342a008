// Compiles what the published package runs into dist/ (git-ignored): the TypeScript of core/, adapters/,
// cli/ and registry/ as JavaScript (tsc, tsconfig.build.json; `.ts` import specifiers become `.js`), and
// beside it every other file those folders hold at run time (the UI's assets, the Sigstore trust root, the
// generated validators). `npm pack` and `npm publish` run it (prepack); a clone never needs it, because
// bin/mcp-lock.js runs the source there.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const SOURCES = ['core', 'adapters', 'cli', 'registry'];

/** Files tsc does not emit and the code reads at run time: everything that is not TypeScript. */
function assetsOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  console.error(`build: tsc failed (exit ${tsc.status ?? tsc.signal})`);
  process.exit(1);
}
const assets = SOURCES.flatMap((dir) => assetsOf(join(root, dir)));
for (const file of assets) cpSync(join(root, file), join(dist, file));
// The compiled code finds package.json through adapters/package-root.ts; a copy in dist/ would be a
// second, stale package description (tsc emits one if anything imports package.json again).
if (existsSync(join(dist, 'package.json'))) {
  console.error('build: dist/package.json was emitted: read package.json through adapters/package-root.ts');
  process.exit(1);
}
console.error(`build: dist/ compiled, ${assets.length} assets copied`);
