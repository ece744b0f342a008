#!/usr/bin/env node
// Launcher: runs the TypeScript CLI directly (Node >= 22.18 strips the types). On an older Node it
// re-runs itself with the Node 24 the repository pins (node_modules/.bin/node), or explains what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = (major === 22 && minor >= 22) || (major === 24 && minor >= 15) || major >= 26;
if (!supported) {
  const pinned = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  if (existsSync(pinned) && !process.env.MCP_LOCK_REEXEC) {
    const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, MCP_LOCK_REEXEC: '1' },
    });
    if (child.error) throw child.error;
    process.exit(child.status ?? 1);
  }
  process.stderr.write(
    `error USAGE: mcp-lock needs Node.js 22.22+ or 24.15+, but this is ${process.version}.\n` +
      'hint: run `npm ci` in the mcp-lock repository (it pins Node 24), or install Node 24 LTS.\n',
  );
  process.exit(2);
}
const { main } = await import('../cli/main.ts');
await main(process.argv);
