// The long description a manifest carries: the npm package's README from its unpacked tarball, the
// first 64 KiB of it (by code point, as the schema counts), read with a bounded buffer so a huge file costs
// nothing more. A symlink or directory named README is ignored (a tarball's files are plain files).

import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Readme } from '../../core/generated/manifest.ts';

export const README_MAX_CHARS = 65_536;
/** UTF-8 needs at most 4 bytes a code point: this many bytes always hold README_MAX_CHARS of them. */
const READ_MAX_BYTES = README_MAX_CHARS * 4;
const README_FILE = /^readme(\.(md|markdown|mdown|txt))?$/i;

/** The package's README as a manifest field, or undefined when it has none (or an empty one). */
export function readPackageReadme(packageDir: string): Readme | undefined {
  const names = readdirSync(packageDir, { withFileTypes: true })
    .filter((e) => e.isFile() && README_FILE.test(e.name))
    .map((e) => e.name)
    // README.md before README before README.txt: the Markdown one is what npm shows.
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const file = names[0];
  if (!file) return undefined;
  const fd = openSync(join(packageDir, file), 'r');
  let text: string;
  let longer: boolean;
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, READ_MAX_BYTES));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    text = buffer.subarray(0, read).toString('utf8');
    longer = size > read;
  } finally {
    closeSync(fd);
  }
  const points = [...text];
  const truncated = longer || points.length > README_MAX_CHARS;
  // A cut through a multi-byte character decodes to U+FFFD at the end: drop it with the rest.
  const markdown = (truncated ? points.slice(0, README_MAX_CHARS - 1).join('') : text).replace(/\uFFFD$/, '');
  if (markdown.trim() === '') return undefined;
  return { source: 'npm-package', file, markdown, ...(truncated ? { truncated: true } : {}) };
}

function rank(name: string): number {
  const lower = name.toLowerCase();
  return lower.endsWith('.md') || lower.endsWith('.markdown') || lower.endsWith('.mdown')
    ? 0
    : lower === 'readme'
      ? 1
      : 2;
}
