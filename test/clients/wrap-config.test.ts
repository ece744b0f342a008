// Backups and undo on a real filesystem: permissions kept, backups private and ignored by git, an existing
// backup never replaced silently, a damaged backup refused, a change made meanwhile never overwritten,
// a symlinked config kept a link.

import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupPaths } from '../../adapters/clients/backup.ts';
import { readClientConfig, resolveConfigLocation } from '../../adapters/clients/config-file.ts';
import { rewriteConfig, undoWrap, writeWrapped } from '../../adapters/clients/wrap-config.ts';
import { CLIENT_FORMATS } from '../../core/clients/client-formats.ts';
import type { Launcher } from '../../core/clients/config-edit.ts';
import type { LockedTarget } from '../../core/clients/match.ts';
import { planWrap } from '../../core/clients/wrap-plan.ts';
import { expectCode } from '../helpers/expect-code.ts';

const format = CLIENT_FORMATS['claude-code'];
const launcher: Launcher = { command: '/node', args: (name) => ['/mcp-lock.js', 'run', name, '--project', '/p'] };
const target = (pkg: string, name: string): LockedTarget => ({
  name,
  version: '1.0.0',
  source: 'tofu',
  packageIdentifier: pkg,
  pinnedArgs: [],
  envNames: [],
});
const ORIGINAL = `${JSON.stringify(
  {
    mcpServers: {
      a: { command: 'npx', args: ['-y', 'a-mcp'], env: { TOKEN: 'secret' } },
      b: { command: 'npx', args: ['-y', 'b-mcp'] },
    },
  },
  null,
  2,
)}\n`;

let root: string;
let path: string;
const now = new Date('2026-03-01T10:00:00Z');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mcp-lock-wrapcfg-'));
  path = join(root, '.mcp.json');
  writeFileSync(path, ORIGINAL, { mode: 0o600 });
  chmodSync(path, 0o600);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function wrapWith(targets: LockedTarget[], force = false) {
  const config = readClientConfig(path, format, ['mcpServers']);
  const items = planWrap(config.entries, targets, { format, launcher, project: '/p', map: {} });
  const bytes = rewriteConfig(config, items, { format, launcher });
  return writeWrapped(root, config, bytes, items, { force, now, undoHint: 'mcp-lock wrap --undo' });
}
const undo = (force = false) => undoWrap(root, path, { force, now, notFoundHint: () => 'no backup here' });

describe('writeWrapped and undoWrap', () => {
  it('keep the config’s permissions, keep backups private and out of git, and restore exactly', () => {
    const written = wrapWith([target('a-mcp', 'io.x/a')]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(written.backup.original).mode & 0o777).toBe(0o600);
    expect(statSync(written.backup.record).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, '.mcp-lock', 'wrap', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(readFileSync(written.backup.original, 'utf8')).toBe(ORIGINAL);
    expect(undo()).toMatchObject({ restored: true, keptCurrent: null });
    expect(readFileSync(path, 'utf8')).toBe(ORIGINAL);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(written.backup.original)).toBe(false);
  });

  it('extending a wrap to a newly pinned server keeps the first backup, so undo still restores the original', () => {
    const first = wrapWith([target('a-mcp', 'io.x/a')]);
    wrapWith([target('a-mcp', 'io.x/a'), target('b-mcp', 'io.x/b')]);
    const record = JSON.parse(readFileSync(first.backup.record, 'utf8'));
    expect(record.servers).toEqual({ a: 'io.x/a', b: 'io.x/b' });
    undo();
    expect(readFileSync(path, 'utf8')).toBe(ORIGINAL);
  });

  it('never replaces a backup silently: CONFLICT, and --force moves the old one aside', () => {
    const first = wrapWith([target('a-mcp', 'io.x/a')]);
    const edited = readFileSync(path, 'utf8').replace('"b-mcp"', '"b-mcp@2.0.0"');
    writeFileSync(path, edited);
    expectCode(() => wrapWith([target('a-mcp', 'io.x/a')]), 'CONFLICT');
    const again = wrapWith([target('a-mcp', 'io.x/a')], true);
    expect(again.retired).not.toBeNull();
    expect(readFileSync(again.retired!, 'utf8')).toBe(ORIGINAL);
    expect(readFileSync(first.backup.original, 'utf8')).toBe(edited);
  });

  it('undo refuses when the config was deleted or the backup damaged; reports when there is no backup', () => {
    expectCode(() => undo(), 'NOT_FOUND');
    const written = wrapWith([target('a-mcp', 'io.x/a')]);
    writeFileSync(written.backup.original, ORIGINAL.replace('secret', 'tampered'));
    expectCode(() => undo(true), 'DIGEST_MISMATCH');
    writeFileSync(written.backup.original, ORIGINAL);
    rmSync(path);
    expectCode(() => undo(), 'CONFLICT');
    expect(undo(true)).toMatchObject({ restored: true, keptCurrent: null });
    expect(readFileSync(path, 'utf8')).toBe(ORIGINAL);
  });

  it('undo on a config that is already the original just drops the backup', () => {
    wrapWith([target('a-mcp', 'io.x/a')]);
    writeFileSync(path, ORIGINAL);
    expect(undo()).toMatchObject({ restored: false });
    expect(existsSync(backupPaths(root, path).record)).toBe(false);
  });

  it('a config the client changed meanwhile is not overwritten, and no backup is left behind', () => {
    const config = readClientConfig(path, format, ['mcpServers']);
    const items = planWrap(config.entries, [target('a-mcp', 'io.x/a')], { format, launcher, project: '/p', map: {} });
    const bytes = rewriteConfig(config, items, { format, launcher });
    const changed = ORIGINAL.replace('b-mcp', 'c-mcp');
    writeFileSync(path, changed);
    expectCode(() => writeWrapped(root, config, bytes, items, { force: false, now, undoHint: 'x' }), 'CONFLICT');
    expect(readFileSync(path, 'utf8')).toBe(changed);
    expect(readdirSync(join(root, '.mcp-lock', 'wrap')).filter((f) => f !== '.gitignore')).toEqual([]);
  });

  it('a symlinked config stays a link: the file it points to is wrapped and restored', () => {
    const real = join(root, 'dotfiles-mcp.json');
    writeFileSync(real, ORIGINAL);
    rmSync(path);
    symlinkSync(real, path);
    const location = resolveConfigLocation(format, 'project', { cwd: root, projectDir: root, env: {} });
    expect(location.path).toBe(realpathSync(real));
    const config = readClientConfig(location.path, format, ['mcpServers']);
    const items = planWrap(config.entries, [target('a-mcp', 'io.x/a')], { format, launcher, project: '/p', map: {} });
    writeWrapped(root, config, rewriteConfig(config, items, { format, launcher }), items, {
      force: false,
      now,
      undoHint: 'x',
    });
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('io.x/a');
    undoWrap(root, location.path, { force: false, now, notFoundHint: () => 'x' });
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(ORIGINAL);
  });
});
