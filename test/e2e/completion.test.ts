// `mcp-lock completion bash|zsh|fish`, printed by the real CLI and loaded into the real shells: bash drives
// its completion function with COMP_WORDS, fish answers `complete -C`, zsh loads the script under compinit
// and runs the program it embeds. What is expected comes from the commander program itself: every command
// and subcommand completes, options are the command's own plus the global ones, option values are skipped
// while walking, directories and files are completed where the placeholder says so, fixed choices are
// offered. The twins: another command's options and a value that spells a subcommand must not leak in.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/main.ts';
import { runCli } from '../helpers/cli.ts';

let work: string;
let program: Command;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-completion-'));
  mkdirSync(join(work, 'cwd', 'somedir'), { recursive: true });
  writeFileSync(join(work, 'cwd', 'somefile.json'), '{}\n');
  program = await buildProgram();
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell], { cwd: work });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    scripts[shell] = join(work, `mcp-lock.${shell}`);
    writeFileSync(scripts[shell], result.stdout);
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function run(shell: string, args: string[], input?: string): string {
  const result = spawnSync(shell, args, { cwd: join(work, 'cwd'), encoding: 'utf8', input, timeout: 30_000 });
  if (result.error) throw new Error(`${shell} did not run (${result.error.message}); npm test installs it first`);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

/** Complete in bash: each case is the words up to the cursor, the last being the word being typed. */
function bash(cases: string[][]): string[][] {
  const lines = cases.map(
    (words) =>
      `COMP_WORDS=(mcp-lock ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _mcp_lock; ` +
      `printf '%s\\n' "\${COMPREPLY[*]}"`,
  );
  const out = run('bash', ['--norc', '--noprofile', '-c', `source '${scripts.bash}'\n${lines.join('\n')}`]);
  return out
    .split('\n')
    .slice(0, cases.length)
    .map((l) => (l === '' ? [] : l.split(' ')));
}

/** Every command path with its subcommands, from the program itself. */
function groups(command: Command, path: string[] = []): { path: string[]; subs: string[] }[] {
  const subs = command.commands.map((c) => c.name()).filter((n) => n !== 'help');
  const here = subs.length > 0 ? [{ path, subs }] : [];
  return [...here, ...command.commands.flatMap((c) => groups(c, [...path, c.name()]))];
}

const longFlags = (command: Command) => command.options.map((o) => o.long).filter((f): f is string => Boolean(f));
const commandAt = (path: string[]) => path.reduce((c, name) => c.commands.find((s) => s.name() === name)!, program);

describe('bash', () => {
  it('completes every command and subcommand the program declares, by prefix too', () => {
    const all = groups(program);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all[0]?.subs).toContain('completion');
    const got = bash(all.map((g) => [...g.path, '']));
    all.forEach((g, i) => {
      expect(got[i], g.path.join(' ')).toEqual(g.subs);
    });
    expect(bash([['reg'], ['registry', 'to'], ['verify-m']])).toEqual([['registry'], ['token'], ['verify-manifest']]);
  });

  it("offers a command's own options and the global ones, and no other command's", () => {
    const [list, run] = bash([
      ['list', '--'],
      ['run', '--'],
    ]);
    const global = longFlags(program);
    expect(new Set(list)).toEqual(new Set([...longFlags(commandAt(['list'])), '--help', ...global]));
    expect(run).toEqual(expect.arrayContaining([...longFlags(commandAt(['run'])), '--json']));
    expect(list).not.toContain('--on-drift');
  });

  it('skips option values while walking: a value that spells a subcommand is not one', () => {
    const [afterValue, valueNamedLikeCommand, globalFirst] = bash([
      ['run', '-p', 'x', '--on-d'],
      ['run', '--project', 'registry', ''],
      ['--json', 'registry', 't'],
    ]);
    expect(afterValue).toEqual(['--on-drift']);
    expect(valueNamedLikeCommand).toEqual([]);
    expect(globalFirst).toEqual(['token']);
  });

  it('completes directories for <dir>, files for <file> and positional paths, and fixed choices', () => {
    const [dirs, files, manifest, shells, prefixed] = bash([
      ['list', '-C', ''],
      ['run', '--audit-log', 'some'],
      ['sign', ''],
      ['completion', ''],
      ['completion', 'f'],
    ]);
    expect(dirs).toEqual(['somedir']);
    expect(files).toEqual(expect.arrayContaining(['somedir', 'somefile.json']));
    expect(manifest).toEqual(expect.arrayContaining(['somedir', 'somefile.json']));
    expect(shells).toEqual(['bash', 'zsh', 'fish']);
    expect(prefixed).toEqual(['fish']);
  });
});

describe('fish', () => {
  const complete = (line: string) =>
    run('fish', ['--no-config', '-c', `source '${scripts.fish}'; complete -C '${line}'`])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]);

  it('completes commands with descriptions, subcommands and choices through complete -C', () => {
    const described = run('fish', ['--no-config', '-c', `source '${scripts.fish}'; complete -C 'mcp-lock reg'`]);
    expect(described).toMatch(/^registry\t\S/);
    expect(complete('mcp-lock registry token ').sort()).toEqual(['create', 'list', 'revoke']);
    expect(complete('mcp-lock completion ').sort()).toEqual(['bash', 'fish', 'zsh']);
    expect(complete('mcp-lock list --pro')).toEqual(['--project']);
    expect(complete('mcp-lock list -C some')).toEqual(['somedir/']);
  });
});

describe('zsh', () => {
  it('loads under compinit, registers _mcp_lock, and its embedded program answers', () => {
    const test = join(work, 'test.zsh');
    writeFileSync(
      test,
      [
        'autoload -Uz compinit && compinit -u -D',
        `source '${scripts.zsh}'`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh parameter expansion, not a template
        'print -r -- "registered=${_comps[mcp-lock]}"',
        'print -r -- "$(sh -c "$__mcp_lock_sh" sh "" registry token)"',
        'print -r -- ---',
        'print -r -- "$(sh -c "$__mcp_lock_sh" sh reg)"',
        '',
      ].join('\n'),
    );
    const [registered, ...rest] = run('zsh', ['-f', test]).trimEnd().split('\n');
    expect(registered).toBe('registered=_mcp_lock');
    const separator = rest.indexOf('---');
    const names = (lines: string[]) => lines.map((l) => l.split('\t')[0]);
    expect(names(rest.slice(0, separator))).toEqual(['create', 'list', 'revoke']);
    const top = rest.slice(separator + 1);
    expect(names(top)).toEqual(groups(program)[0]?.subs);
    expect(top.find((l) => l.startsWith('registry\t'))).toMatch(/^registry\t\S/);
  });
});

describe('the command', () => {
  it('refuses an unknown shell with a usage error and prints JSON with --json', async () => {
    const bad = await runCli(['completion', 'powershell'], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bash, zsh, fish/);
    const json = await runCli(['completion', 'bash', '--json'], { cwd: work });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { shell: string; script: string };
    expect(doc.shell).toBe('bash');
    expect(doc.script).toContain('complete -F _mcp_lock mcp-lock');
  });
});
