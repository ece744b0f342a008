// Path allow-lists: an argument the policy marks as a path must resolve inside an allowed directory,
// whichever way the server reads it. So every reading is checked, and all must pass:
// - as written, and percent-decoded (some servers decode, most do not), and with `\` as a separator;
// - a `file:` URL as the decoded path it names;
// - a leading `~` as the home directory (server-filesystem and others expand it);
// - relative paths against the server's working directory (where the server itself resolves them);
// - symlinks and `..` resolved the way the kernel does (through the PathResolver port), both on the path as
//   written and on its lexically normalised form (servers that normalise first, then open).
// An allow-list entry is resolved the same way (relative to the project root), symlinks included. Pure:
// the filesystem is behind the port. The result is a reason (never the value) or null.

import { posix } from 'node:path';
import type { PathResolver } from '../ports.ts';

/** Longest path argument accepted (Linux PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;
const MAX_DECODE_ROUNDS = 3;

type Reading = { text: string; how: string };

function decodeOnce(text: string): string | null {
  try {
    const decoded = decodeURIComponent(text);
    return decoded === text ? null : decoded;
  } catch {
    return null;
  }
}

/** The ways a server could read the value, or a reason to refuse it outright. */
function readings(raw: string): Reading[] | string {
  const out: Reading[] = [];
  // A file: URL is read as the path it names (as a plain name it would be a "file:" directory in the
  // server's working directory, which no server means).
  if (!/^file:/i.test(raw)) out.push({ text: raw, how: '' });
  else {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'is not a valid file: URL';
    }
    if (url.host !== '' && url.host !== 'localhost') return 'is a file: URL naming another host';
    if (/%2f|%5c/i.test(url.pathname)) return 'is a file: URL with an encoded slash';
    const path = decodeOnce(url.pathname) ?? url.pathname;
    out.push({ text: path, how: 'as a file: URL' });
  }
  for (const r of [...out]) {
    let text = r.text;
    for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
      const next = decodeOnce(text);
      if (next === null) break;
      text = next;
      out.push({ text, how: `${r.how ? `${r.how}, ` : ''}percent-decoded` });
    }
  }
  for (const r of [...out]) {
    if (r.text.includes('\\'))
      out.push({ text: r.text.replace(/\\/g, '/'), how: `${r.how ? `${r.how}, ` : ''}with \\ as /` });
  }
  for (const r of out) if (r.text.includes('\0')) return 'contains a NUL character';
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(r.text) && seen.add(r.text));
}

function absolute(text: string, base: string | null, home: string | null): string | null {
  if (text === '~' || text.startsWith('~/')) return home === null ? null : posix.join(home, text.slice(1));
  if (text.startsWith('/')) return text;
  return base === null ? null : `${base}/${text}`;
}

function inside(path: string, dir: string): boolean {
  return path === dir || dir === '/' || path.startsWith(`${dir}/`);
}

/** The real directories of an allow-list (relative entries against the project root). */
export function allowedDirectories(allow: readonly string[], fs: PathResolver): string[] {
  const dirs: string[] = [];
  for (const entry of allow) {
    const abs = absolute(entry, fs.root, fs.home);
    if (abs === null) continue;
    dirs.push(posix.normalize(fs.realpath(posix.normalize(abs))).replace(/(.)\/$/, '$1'));
  }
  return dirs;
}

/**
 * Why a path argument is not inside the allow-list, or null when every reading of it is. `dirs` are the
 * allowed directories from allowedDirectories().
 */
export function pathProblem(raw: string, dirs: readonly string[], fs: PathResolver): string | null {
  if (raw.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  const all = readings(raw);
  if (typeof all === 'string') return all;
  for (const r of all) {
    const abs = absolute(r.text, fs.cwd, fs.home);
    const how = r.how ? ` (${r.how})` : '';
    if (abs === null) {
      return r.text.startsWith('~')
        ? `starts with ~ and there is no home directory to resolve it${how}`
        : `is relative and the server's working directory is not known${how}`;
    }
    const lexical = posix.normalize(abs);
    const realLexical = fs.realpath(lexical);
    if (!dirs.some((d) => inside(lexical, d) || inside(realLexical, d))) {
      const dots = /(^|\/)\.\.(\/|$)/.test(r.text) ? ' once .. is resolved' : '';
      return `is outside the allowed directories${dots}${how}`;
    }
    for (const real of [realLexical, abs === lexical ? realLexical : fs.realpath(abs)]) {
      if (!dirs.some((d) => inside(real, d)))
        return `resolves outside the allowed directories through a symbolic link${how}`;
    }
  }
  return null;
}
