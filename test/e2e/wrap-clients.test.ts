// `mcp-lock wrap` through the real CLI on each client's config format, at the client's default location:
// Claude Desktop (CRLF, default path under $HOME), Cursor (4-space indent), VS Code (JSONC with comments and
// trailing commas, inputs), Claude Code (.mcp.json with ${VAR}, a remote with headers). Unpinned entries fail
// closed; --skip-unpinned wraps only the pinned ones and keeps everything else byte for byte; a second wrap
// is a no-op; --undo restores the original bytes, and refuses after a user edit unless --force.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../adapters/clients/config-file.ts';
import { CLIENT_FORMATS, type ClientId } from '../../core/clients/client-formats.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { DOCS, placeFixture, WEATHER, type WrapProject, wrapProject } from '../clients/wrap-project.ts';
import { type CliResult, jsonError, runCli } from '../helpers/cli.ts';

/** How each client's wrapped entry names the project (user-level configs are per machine). */
const PROJECT_REF: Record<ClientId, (root: string) => string> = {
  'claude-desktop': (root) => root,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the variable Cursor substitutes
  cursor: () => '${workspaceFolder}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the variable VS Code substitutes
  vscode: () => '${workspaceFolder}',
  'claude-code': () => '.',
};

interface Case {
  client: ClientId;
  fixture: string;
  /** Where the client reads it: relative to the project, or to $HOME with ~/. */
  at: string;
  wrapped: Record<string, string>;
  blocked: string[];
  /** Text that must survive the rewrite verbatim (comments, untouched entries). */
  kept: string[];
  versionNote?: string;
}

const CASES: Case[] = [
  {
    client: 'claude-desktop',
    fixture: 'claude-desktop/claude_desktop_config.json',
    at: '~/.config/Claude/claude_desktop_config.json',
    wrapped: { weather: WEATHER },
    blocked: ['remote-docs', 'fetch'],
    kept: ['"globalShortcut": "Ctrl+Space"', '"args": ["mcp-server-fetch"]\r\n'],
  },
  {
    client: 'cursor',
    fixture: 'cursor/mcp.json',
    at: '.cursor/mcp.json',
    wrapped: { weather: WEATHER, docs: DOCS },
    blocked: ['notes'],
    kept: [
      '        "notes": {\n            "command": "npx",\n            "args": ["-y", "@someone/notes-mcp@2.0.0"]\n',
    ],
  },
  {
    client: 'vscode',
    fixture: 'vscode/mcp.json',
    at: '.vscode/mcp.json',
    wrapped: { weather: WEATHER, docs: DOCS },
    blocked: ['fetch'],
    kept: [
      "// Inputs are asked for once and kept in VS Code's secret storage.",
      '/* The weather server the team reviewed. */',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code input variable, not a template
      '"WEATHER_API_KEY": "${input:weather-key}", // from inputs, never written here\n      },\n    },',
      '// A Python server: nothing mcp-lock can pin.',
      '"id": "weather-key",',
      '"args": ["mcp-server-fetch"]\n    },\n  },\n}',
    ],
  },
  {
    client: 'claude-code',
    fixture: 'claude-code/.mcp.json',
    at: '.mcp.json',
    wrapped: { weather: WEATHER, docs: DOCS },
    blocked: ['github', 'memory'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Claude Code variable, not a template
    kept: ['"Authorization": "Bearer ${GITHUB_PAT}"'],
    versionNote: 'the config runs @acme/weather-mcp@0.9.0, the lock pins 1.0.0',
  },
];

let home: string;
const projects: WrapProject[] = [];

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'mcp-lock-wrap-home-'));
});

afterAll(() => {
  for (const p of projects) p.cleanup();
  rmSync(home, { recursive: true, force: true });
});

describe.each(CASES)('wrap --client $client', (c) => {
  let project: WrapProject;
  let config: string;
  let original: Buffer;
  const cli = (args: string[]) =>
    runCli(['wrap', '--client', c.client, ...args, '--json'], {
      cwd: project.root,
      env: { HOME: home, XDG_CONFIG_HOME: undefined, APPDATA: undefined },
    });
  const ok = (r: CliResult) => {
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  const servers = (bytes: Buffer) => {
    const parsed = parseClientConfig(config, bytes, CLIENT_FORMATS[c.client], [CLIENT_FORMATS[c.client].serversKey]);
    return Object.fromEntries(parsed.entries.map((e) => [e.key, e.value as JsonObject]));
  };
  const backups = () => {
    const dir = join(project.root, '.mcp-lock', 'wrap');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f !== '.gitignore') : [];
  };

  beforeAll(() => {
    project = wrapProject();
    projects.push(project);
    config = c.at.startsWith('~/')
      ? placeFixture(home, c.fixture, c.at.slice(2))
      : placeFixture(project.root, c.fixture, c.at);
    original = readFileSync(config);
  });

  it('fails closed on servers that are not pinned, naming them, and writes nothing', async () => {
    const r = await cli([]);
    expect(r.code).toBe(1);
    const error = jsonError(r);
    expect(error.code).toBe('NOT_PINNED');
    for (const key of c.blocked) expect(error.message).toContain(key);
    expect(error.hint).toMatch(/mcp-lock import --client/);
    expect(readFileSync(config).equals(original)).toBe(true);
    expect(backups()).toEqual([]);
  });

  it('with --skip-unpinned rewrites each pinned entry to mcp-lock run and keeps everything else', async () => {
    const result = ok(await cli(['--skip-unpinned']));
    expect(result.changed).toBe(true);
    // The remote needs no install; the npm server is pinned but (in this fixture project) not installed.
    expect(result.notInstalled).toEqual([WEATHER]);
    const after = readFileSync(config);
    const before = servers(original);
    const now = servers(after);
    expect(Object.keys(now)).toEqual(Object.keys(before));
    for (const [key, name] of Object.entries(c.wrapped)) {
      // A config the team can commit: mcp-lock from PATH, the project as the client itself resolves it.
      expect(now[key]!.command).toBe('mcp-lock');
      expect(now[key]!.args).toEqual(['run', name, '--project', PROJECT_REF[c.client](project.root)]);
      expect(JSON.stringify(now[key])).not.toContain(process.execPath);
      expect(now[key]!.env).toEqual(before[key]!.env);
      expect(now[key]!.url).toBeUndefined();
      if (c.client === 'vscode' || before[key]!.type !== undefined) expect(now[key]!.type).toBe('stdio');
    }
    for (const key of c.blocked) expect(now[key]).toEqual(before[key]);
    const text = after.toString('utf8');
    for (const kept of c.kept) expect(text).toContain(kept);
    // Only the wrapped entries changed: the text before the first server and after the last is identical.
    expect(text.startsWith(original.toString('utf8').slice(0, original.indexOf('"weather"')))).toBe(true);
    const actions = Object.fromEntries(result.servers.map((s: { key: string; action: string }) => [s.key, s.action]));
    for (const key of Object.keys(c.wrapped)) expect(actions[key]).toBe('wrap');
    for (const key of c.blocked) expect(['unpinned', 'unsupported']).toContain(actions[key]);
    if (c.versionNote) {
      const weather = result.servers.find((s: { key: string }) => s.key === 'weather');
      expect(weather.notes.map((n: { message: string }) => n.message)).toContain(c.versionNote);
    }
    expect(backups()).toHaveLength(2);
    expect(readFileSync(result.backup).equals(original)).toBe(true);
  });

  it('a second wrap changes nothing', async () => {
    const before = readFileSync(config);
    const result = ok(await cli(['--skip-unpinned']));
    expect(result.changed).toBe(false);
    expect(readFileSync(config).equals(before)).toBe(true);
  });

  it('wrap --undo restores the original byte for byte and drops the backup', async () => {
    const result = ok(await cli(['--undo']));
    expect(result.restored).toBe(true);
    expect(readFileSync(config).equals(original)).toBe(true);
    expect(backups()).toEqual([]);
  });

  it('--undo after the user edited the wrapped config refuses; --force restores and keeps the edit', async () => {
    ok(await cli(['--skip-unpinned']));
    const edited = Buffer.concat([readFileSync(config), Buffer.from(c.client === 'claude-desktop' ? '\r\n' : '\n')]);
    writeFileSync(config, edited);
    const refused = await cli(['--undo']);
    expect(refused.code).toBe(2);
    expect(jsonError(refused).code).toBe('CONFLICT');
    expect(readFileSync(config).equals(edited)).toBe(true);
    const forced = ok(await cli(['--undo', '--force']));
    expect(readFileSync(config).equals(original)).toBe(true);
    expect(readFileSync(forced.keptCurrent).equals(edited)).toBe(true);
  });
});
