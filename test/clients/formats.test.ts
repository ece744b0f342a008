// Where each client keeps its config on each OS, and how config files are read: strict where the client
// is strict, JSONC for VS Code, duplicate keys and __proto__ refused, sizes and entry counts bounded.

import { describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../adapters/clients/config-file.ts';
import {
  CLIENT_FORMATS,
  clientFormat,
  defaultConfigLocation,
  type LocationEnvironment,
  parseScope,
} from '../../core/clients/client-formats.ts';
import { expectCode } from '../helpers/expect-code.ts';

const mac: LocationEnvironment = { platform: 'darwin', home: '/Users/ann', projectDir: '/work/app' };
const linux: LocationEnvironment = { platform: 'linux', home: '/home/ann', projectDir: '/work/app' };
const windows: LocationEnvironment = {
  platform: 'win32',
  home: 'C:\\Users\\ann',
  appData: 'C:\\Users\\ann\\AppData\\Roaming',
  projectDir: 'C:\\work\\app',
};
const where = (client: keyof typeof CLIENT_FORMATS, scope: 'user' | 'project' | 'local', env: LocationEnvironment) =>
  defaultConfigLocation(CLIENT_FORMATS[client], scope, env);

describe('default config locations', () => {
  it('Claude Desktop: per OS', () => {
    expect(where('claude-desktop', 'user', mac).path).toBe(
      '/Users/ann/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(where('claude-desktop', 'user', windows).path).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
    expect(where('claude-desktop', 'user', linux).path).toBe('/home/ann/.config/Claude/claude_desktop_config.json');
    expect(where('claude-desktop', 'user', { ...linux, xdgConfigHome: '/xdg' }).path).toBe(
      '/xdg/Claude/claude_desktop_config.json',
    );
  });

  it('Cursor, VS Code and Claude Code: project and user scopes', () => {
    expect(where('cursor', 'project', linux).path).toBe('/work/app/.cursor/mcp.json');
    expect(where('cursor', 'user', linux).path).toBe('/home/ann/.cursor/mcp.json');
    expect(where('vscode', 'project', linux)).toEqual({ path: '/work/app/.vscode/mcp.json', serversPath: ['servers'] });
    expect(where('vscode', 'user', mac).path).toBe('/Users/ann/Library/Application Support/Code/User/mcp.json');
    expect(where('vscode', 'user', windows).path).toBe('C:\\Users\\ann\\AppData\\Roaming\\Code\\User\\mcp.json');
    expect(where('claude-code', 'project', linux)).toEqual({
      path: '/work/app/.mcp.json',
      serversPath: ['mcpServers'],
    });
    expect(where('claude-code', 'user', linux)).toEqual({
      path: '/home/ann/.claude.json',
      serversPath: ['mcpServers'],
    });
    expect(where('claude-code', 'local', linux)).toEqual({
      path: '/home/ann/.claude.json',
      serversPath: ['projects', '/work/app', 'mcpServers'],
    });
  });

  it('refuses an unknown client or a scope the client does not have', () => {
    expectCode(() => clientFormat('windsurf'), 'USAGE');
    expectCode(() => parseScope(CLIENT_FORMATS['claude-desktop'], 'project'), 'USAGE');
    expect(parseScope(CLIENT_FORMATS.vscode, undefined)).toBe('project');
  });
});

const parse = (client: keyof typeof CLIENT_FORMATS, text: string, serversPath?: string[]) =>
  parseClientConfig(
    '/cfg.json',
    Buffer.from(text, 'utf8'),
    CLIENT_FORMATS[client],
    serversPath ?? [CLIENT_FORMATS[client].serversKey],
  );

describe('reading a client config', () => {
  it('reads VS Code JSONC, and refuses comments in a strict client config', () => {
    const text = '{ // servers\n "servers": { "a": { "command": "npx", "args": ["-y", "x"], }, }, }';
    expect(parse('vscode', text).entries.map((e) => e.key)).toEqual(['a']);
    expectCode(() => parse('cursor', text.replace('"servers"', '"mcpServers"')), 'CONFIG_INVALID');
  });

  it('finds Claude Code local-scope servers under their project, and nothing when there is no list', () => {
    const text = JSON.stringify({
      numStartups: 3,
      projects: { '/work/app': { mcpServers: { a: { url: 'https://x' } } } },
    });
    expect(parse('claude-code', text, ['projects', '/work/app', 'mcpServers']).entries.map((e) => e.key)).toEqual([
      'a',
    ]);
    const none = parse('claude-code', text);
    expect(none.hasServers).toBe(false);
    expect(none.entries).toEqual([]);
  });

  it('refuses duplicate server names and __proto__ (which would make two readers disagree)', () => {
    expectCode(
      () => parse('cursor', '{"mcpServers": {"a": {"url": "https://x"}, "a": {"url": "https://y"}}}'),
      'JSON_DUPLICATE_KEY',
    );
    expectCode(() => parse('cursor', '{"mcpServers": {"__proto__": {"url": "https://x"}}}'), 'JSON_FORBIDDEN_KEY');
    expectCode(() => parse('cursor', '{"mcpServers": []}'), 'CONFIG_INVALID');
    expectCode(
      () => parseClientConfig('/c', Buffer.from([0x7b, 0xff, 0x7d]), CLIENT_FORMATS.cursor, ['mcpServers']),
      'JSON_INVALID_UTF8',
    );
  });

  it('bounds the number of servers', () => {
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`s${i}`, { url: 'https://x' }]));
    expectCode(() => parse('cursor', JSON.stringify({ mcpServers: many })), 'LIMIT_EXCEEDED');
    const enough = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`s${i}`, { url: 'https://x' }]));
    expect(parse('cursor', JSON.stringify({ mcpServers: enough })).entries).toHaveLength(1000);
  });
});
