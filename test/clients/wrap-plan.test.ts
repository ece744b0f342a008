// The wrap rewrite on awkward but real config shapes: one-line entries, remotes with (empty) headers, a
// VS Code entry without "type", args before command, CRLF and tab indentation. Every rewrite goes through
// rewriteConfig, which re-parses the result and checks each entry against the plan.

import { describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../adapters/clients/config-file.ts';
import { rewriteConfig } from '../../adapters/clients/wrap-config.ts';
import { CLIENT_FORMATS, type ClientId } from '../../core/clients/client-formats.ts';
import type { Launcher } from '../../core/clients/config-edit.ts';
import type { LockedTarget } from '../../core/clients/match.ts';
import { planWrap } from '../../core/clients/wrap-plan.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';

const launcher: Launcher = {
  command: '/opt/node/bin/node',
  args: (name) => ['/opt/mcp-lock/bin/mcp-lock.js', 'run', name, '--project', '/p'],
};
const TARGETS: LockedTarget[] = [
  {
    name: 'io.github.acme/weather',
    version: '1.0.0',
    source: 'tofu',
    packageIdentifier: '@acme/weather-mcp',
    pinnedArgs: [],
    envNames: [],
  },
  {
    name: 'com.example/docs',
    version: '2.0.0',
    source: 'tofu',
    remoteUrl: 'https://d/mcp',
    pinnedArgs: null,
    envNames: null,
  },
];

function wrap(client: ClientId, text: string) {
  const format = CLIENT_FORMATS[client];
  const config = parseClientConfig('/c.json', Buffer.from(text), format, [format.serversKey]);
  const items = planWrap(config.entries, TARGETS, { format, launcher, project: '/p', map: {} });
  const out = rewriteConfig(config, items, { format, launcher }).toString('utf8');
  const after = parseClientConfig('/c.json', Buffer.from(out), format, [format.serversKey]);
  return { items, out, servers: Object.fromEntries(after.entries.map((e) => [e.key, e.value as JsonObject])) };
}

const RUN_ARGS = (name: string) => launcher.args(name);
// biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code's ${VAR} reference, kept as written
const TOKEN_REF = '${GH_TOKEN}';

describe('wrap rewrites', () => {
  it('one-line entries stay on one line; empty headers go; the next entry is untouched', () => {
    const text =
      '{"mcpServers": {\n' +
      '  "docs": { "headers": {}, "url": "https://d/mcp" },\n' +
      '  "w": {"command":"npx","args":["-y","@acme/weather-mcp"],"env":{"K":"v"}},\n' +
      '  "other": {"command": "uvx", "args": ["x"]}\n}}\n';
    const { out, servers, items } = wrap('cursor', text);
    expect(items.map((i) => i.action)).toEqual(['wrap', 'wrap', 'unsupported']);
    expect(servers.docs).toEqual({ command: launcher.command, args: RUN_ARGS('com.example/docs') });
    expect(servers.w).toEqual({ command: launcher.command, args: RUN_ARGS('io.github.acme/weather'), env: { K: 'v' } });
    expect(out.split('\n')).toHaveLength(text.split('\n').length);
    expect(out).toContain('  "other": {"command": "uvx", "args": ["x"]}\n}}\n');
  });

  it('headers as the last member are removed with the comma before them', () => {
    const { servers } = wrap(
      'claude-code',
      '{"mcpServers": {"docs": {"type": "http", "url": "https://d/mcp", "headers": {}}}}',
    );
    expect(servers.docs).toEqual({ type: 'stdio', command: launcher.command, args: RUN_ARGS('com.example/docs') });
  });

  it('VS Code: "type": "stdio" is added where it is missing, in the entry’s indentation, with CRLF kept', () => {
    const text = [
      '{',
      '\t"servers": {',
      '\t\t"w": {',
      '\t\t\t"args": [',
      '\t\t\t\t"-y",',
      '\t\t\t\t"@acme/weather-mcp@1.0.0"',
      '\t\t\t],',
      '\t\t\t"command": "npx"',
      '\t\t}',
      '\t}',
      '}',
      '',
    ].join('\r\n');
    const { out, servers } = wrap('vscode', text);
    expect(servers.w).toEqual({ type: 'stdio', args: RUN_ARGS('io.github.acme/weather'), command: launcher.command });
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toContain('\r\n\t\t\t"type": "stdio",\r\n\t\t\t"args": [\r\n\t\t\t\t"/opt/mcp-lock/bin/mcp-lock.js",');
  });

  it('leaves an entry wrapped for another project alone and says so; refuses header variables beside an env', () => {
    const text = JSON.stringify({
      mcpServers: {
        mine: {
          command: 'node',
          args: ['/x/bin/mcp-lock.js', 'run', 'io.github.acme/weather', '--project', '/elsewhere'],
        },
        gh: { type: 'http', url: 'https://d/mcp', headers: { Authorization: `Bearer ${TOKEN_REF}` }, env: {} },
      },
    });
    const { items } = wrap('claude-code', text);
    expect(items.map((i) => [i.action, i.reason])).toEqual([
      ['already', 'already wrapped for the project /elsewhere'],
      ['unsupported', 'its headers use variables and it also has an env; move them into env by hand, then wrap again'],
    ]);
  });

  it('a remote with header variables becomes an entry whose env hands the same references to run', () => {
    for (const style of ['one line', 'multiline']) {
      const entry = { type: 'http', url: 'https://d/mcp', headers: { Authorization: `Bearer ${TOKEN_REF}` } };
      const text = JSON.stringify({ mcpServers: { docs: entry } }, null, style === 'one line' ? undefined : 2);
      const { servers, items } = wrap('claude-code', text);
      expect(items[0]!.action, style).toBe('wrap');
      expect(servers.docs, style).toEqual({
        type: 'stdio',
        command: launcher.command,
        args: RUN_ARGS('com.example/docs'),
        env: { GH_TOKEN: TOKEN_REF },
      });
    }
  });
});
