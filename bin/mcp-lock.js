#!/usr/bin/env node
// Launcher. A clone runs the TypeScript source (Node >= 22.18 strips the types); the installed package,
// which ships no source, runs the JavaScript compiled into dist/ (Node does not strip types under
// node_modules). On an older Node it re-runs itself with the Node 24 a clone pins (node_modules/.bin/node),
// passing on SIGINT, SIGTERM and SIGHUP and handing back the exit code or signal; or it explains what to do.
// `mcp-lock --version` alone is answered here from package.json, before any TypeScript or commander is
// loaded: loading the type stripper alone costs Node about twice its own start-up, and version checks run
// in scripts and CI often. It prints what commander's --version prints (the program's version and a newline).
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Run this launcher again on `node` and become it: same arguments, stdio, signals and outcome. */
async function relaunch(node) {
  // Imported here, not at the top: only this rare path needs it, and every start would pay for it.
  const { spawn } = await import('node:child_process');
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MCP_LOCK_REEXEC: '1' },
  });
  // Ctrl-C in a terminal interrupts the whole foreground process group, the child included: passing that
  // SIGINT on too would be a second one, which cuts the child's graceful shutdown short.
  const forward = (signal) => {
    if (!(signal === 'SIGINT' && process.stdin.isTTY)) child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  child.once('error', (error) => {
    process.stderr.write(`error SERVER_START: could not start ${node}: ${error.message}\n`);
    process.exit(3);
  });
  child.once('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, forward);
    // Die of the same signal, so whoever started us sees what the child saw.
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

/**
 * Node's compile cache, under $XDG_CACHE_HOME/mcp-lock (or ~/.cache/mcp-lock). What is cached there is
 * code this process runs, so it is used only from a directory this user owns and nobody else can write;
 * anything else (a shared or foreign directory, no home) runs uncached. NODE_COMPILE_CACHE, if set,
 * is Node's own choice and wins; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
function compileCache() {
  if (process.env.NODE_COMPILE_CACHE || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    const xdg = process.env.XDG_CACHE_HOME;
    const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
    const dir = join(base, 'mcp-lock', 'node-compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    const uid = process.getuid?.();
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return;
    // Looked up, not imported by name: Node 20 has no enableCompileCache, and this launcher must still
    // start there to say which Node it needs (or re-run itself on the pinned Node 24).
    nodeModule.enableCompileCache?.(dir);
  } catch {
    // No cache is only slower.
  }
}

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = (major === 22 && minor >= 22) || (major === 24 && minor >= 15) || major >= 26;
const args = process.argv.slice(2);
if (supported && args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (supported) {
  const source = new URL('../cli/main.ts', import.meta.url);
  const entry = existsSync(source) ? source : new URL('../dist/cli/main.js', import.meta.url);
  compileCache();
  const { main } = await import(entry.href);
  await main(process.argv);
} else {
  const pinned = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  if (existsSync(pinned) && !process.env.MCP_LOCK_REEXEC) await relaunch(pinned);
  else {
    process.stderr.write(
      `error USAGE: mcp-lock needs Node.js 22.22+ or 24.15+, but this is ${process.version}.\n` +
        'hint: install Node 24 LTS (or 22.22+); in a clone of the mcp-lock repository, `npm ci` pins Node 24.\n',
    );
    process.exit(2);
  }
}
