// Where this installation of mcp-lock lives: the directory that holds its package.json and bin/. A clone
// runs the TypeScript source from <root>/adapters/, the installed package runs the JavaScript compiled into
// <root>/dist/adapters/ (scripts/build.ts), so files outside the compiled tree are found through here.

import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const PACKAGE_ROOT = basename(dirname(here)) === 'dist' ? dirname(dirname(here)) : dirname(here);

/** A path inside this installation, e.g. `packagePath('bin', 'mcp-lock.js')`. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
