// Per-client install snippets and links: every one starts `mcp-lock run` with the pinned server (never the
// server itself), names the project the way the client resolves it, and decodes back to the same entry.

import { describe, expect, test } from 'vitest';
import { clientEntryKey, clientSnippets } from '../../core/clients/install-snippets.ts';
import { WORKSPACE_FOLDER } from '../../core/clients/launcher.ts';
import { clientSnippetsView } from '../../registry/ui/views/client-snippets.ts';

const NAME = 'io.github.acme/weather';
const byClient = Object.fromEntries(clientSnippets(NAME).map((s) => [s.client, s]));

describe('clientSnippets', () => {
  test('one snippet per client, each running mcp-lock run with the pinned server', () => {
    expect(Object.keys(byClient).sort()).toEqual(['claude-code', 'claude-desktop', 'cursor', 'vscode']);
    const entries = [
      (byClient.vscode!.config.servers as Record<string, unknown>).weather,
      (byClient.cursor!.config.mcpServers as Record<string, unknown>).weather,
      (byClient['claude-code']!.config.mcpServers as Record<string, unknown>).weather,
      (byClient['claude-desktop']!.config.mcpServers as Record<string, unknown>).weather,
    ] as { command: string; args: string[] }[];
    for (const e of entries) {
      expect(e.command).toBe('mcp-lock');
      expect(e.args.slice(0, 3)).toEqual(['run', NAME, '--project']);
    }
    expect(entries.map((e) => e.args[3])).toEqual([WORKSPACE_FOLDER, WORKSPACE_FOLDER, '.', '/path/to/your/project']);
  });

  test('the VS Code link decodes to the same entry, with its name', () => {
    const link = byClient.vscode!.installLink!;
    expect(link.startsWith('vscode:mcp/install?')).toBe(true);
    const decoded = JSON.parse(decodeURIComponent(link.slice('vscode:mcp/install?'.length)));
    expect(decoded).toEqual({
      name: 'weather',
      ...(byClient.vscode!.config.servers as Record<string, object>).weather,
    });
  });

  test('the Cursor link carries the name and the base64 config of the same entry', () => {
    const url = new URL(byClient.cursor!.installLink!);
    expect(url.protocol).toBe('cursor:');
    expect(url.searchParams.get('name')).toBe('weather');
    const config = JSON.parse(Buffer.from(url.searchParams.get('config')!, 'base64').toString('utf8'));
    expect(config).toEqual((byClient.cursor!.config.mcpServers as Record<string, object>).weather);
  });

  test('the Claude Code command is quoted for the shell, even for a hostile name', () => {
    expect(byClient['claude-code']!.command).toBe(
      'claude mcp add --scope project weather -- mcp-lock run io.github.acme/weather --project .',
    );
    const hostile = clientSnippets("io.github.acme/x'; rm -rf ~; '").find((s) => s.client === 'claude-code')!;
    expect(hostile.command).toContain(`'io.github.acme/x'\\''; rm -rf ~; '\\'''`);
    expect(clientEntryKey("io.github.acme/x'; rm -rf ~; '")).toBe('x---rm--rf-----');
  });

  test('the HTML view escapes everything and links only to the client schemes', () => {
    const view = clientSnippetsView('io.github.acme/<img src=x onerror=alert(1)>').value;
    expect(view).not.toContain('<img');
    const hrefs = [...view.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs).toHaveLength(2);
    expect(
      hrefs.every((h) => h.startsWith('vscode:mcp/install?') || h.startsWith('cursor://anysphere.cursor-deeplink/')),
    ).toBe(true);
  });
});
