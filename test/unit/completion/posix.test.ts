// The POSIX program behind every completion script, run by the real `sh`: descriptions are data, never
// code, however they are quoted; words that would need quoting are refused; text is folded to one line.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CompletionCommand, oneLine, posixCompletionProgram } from '../../../core/completion/posix.ts';

const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-completion-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leaf = (name: string, description: string): CompletionCommand => ({
  name,
  description,
  options: [],
  arguments: [],
  commands: [],
});
const root = (commands: CompletionCommand[]): CompletionCommand => ({
  name: 'mcp-lock',
  description: 'the program',
  options: [{ flags: ['--json'], description: 'print JSON' }],
  arguments: [],
  commands,
});

function candidates(program: string, ...words: string[]): string[] {
  const call = `${program}\n__mcp_lock_candidates "$@"\n`;
  const result = spawnSync('sh', ['-c', call, 'sh', ...words], { cwd: dir, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('posixCompletionProgram', () => {
  it('prints a hostile description as text and runs nothing from it; a plain one as it is', () => {
    const marker = join(dir, 'pwned');
    const hostile = `it's '; touch ${marker}; echo ' $(touch ${marker}) \`touch ${marker}\` \\ done`;
    const program = posixCompletionProgram(root([leaf('evil', hostile), leaf('plain', 'a plain command')]));
    expect(candidates(program, '')).toEqual([`evil\t${oneLine(hostile)}`, 'plain\ta plain command']);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses command names and flags that are not plain words', () => {
    expect(() => posixCompletionProgram(root([leaf('x$(id)', 'bad')]))).toThrow(/not a plain word/);
    expect(() => posixCompletionProgram(root([leaf('two words', 'bad')]))).toThrow(/not a plain word/);
    expect(() => posixCompletionProgram(root([leaf('verify-manifest', 'fine')]))).not.toThrow();
  });
});

describe('oneLine', () => {
  it('folds newlines, tabs and control characters, keeps the first sentence, and cuts long text', () => {
    expect(oneLine('first line\nsecond\tpart\u0007. Second sentence.')).toBe('first line second part.');
    expect(oneLine('x'.repeat(200))).toHaveLength(70);
    expect(oneLine('x'.repeat(200)).endsWith('…')).toBe(true);
    expect(oneLine('short (default: "a")')).toBe('short (default: "a")');
  });
});
