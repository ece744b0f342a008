// Another Node.js than the one running the tests, from the npm registry's `node` package (which fetches the
// platform's official binary, node-<os>-<arch>), installed into a temporary prefix. Used to run mcp-lock on
// every Node it supports (22, 24) and on one it does not (20), whatever Node the machine has.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** npm's environment as a lifecycle script sees it, minus what would point npm at this repository. */
export function cleanNpmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    const repoBound =
      (lower.startsWith('npm_') && !lower.startsWith('npm_config_')) ||
      ['npm_config_prefix', 'npm_config_global_prefix', 'npm_config_local_prefix', 'init_cwd'].includes(lower);
    if (!repoBound) env[key] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** Install node@<version> under <dir> and return the directory holding its `node` binary. */
export function installNode(version: string, dir: string): string {
  const result = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', `node@${version}`], {
    encoding: 'utf8',
    env: cleanNpmEnv(),
    timeout: 300_000,
  });
  const bin = join(dir, 'node_modules', 'node', 'bin');
  if (result.status !== 0 || !existsSync(join(bin, 'node')))
    throw new Error(`npm install node@${version} failed (${result.status}): ${result.stderr}`);
  const reported = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (reported !== `v${version}`) throw new Error(`node@${version} installed, but it reports ${reported}`);
  return bin;
}
