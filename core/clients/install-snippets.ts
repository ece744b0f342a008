// What a catalogue page offers for "use it in your client": for each client, the config entry that starts
// the pinned server through `mcp-lock run` (never the server itself), in that client's own format, and the
// one-click install link the client supports. Pure: the caller gives the server name; the entry refers to
// the project the way each client resolves it (${workspaceFolder} for VS Code and Cursor, the project
// directory for Claude Code's .mcp.json, a path to fill in for Claude Desktop, which has no project).
//
// Link formats (looked up in 2026):
// - VS Code: `vscode:mcp/install?<url-encoded JSON {name, type?, command, args}>`
//   (https://code.visualstudio.com/docs/copilot/customization/mcp-servers, "Add an MCP server" → URL handler).
// - Cursor: `cursor://anysphere.cursor-deeplink/mcp/install?name=<name>&config=<base64 of JSON {command, args}>`
//   (https://cursor.com/docs/context/mcp/install-links).
// Claude Desktop and Claude Code have no install link; Claude Code has a command (`claude mcp add`).

import type { ClientId } from './client-formats.ts';
import { WORKSPACE_FOLDER } from './launcher.ts';

export interface ClientSnippet {
  client: ClientId;
  label: string;
  /** Where the entry goes. */
  file: string;
  /** The JSON document to merge into that file. */
  config: Record<string, unknown>;
  /** A shell command that adds the same entry, where the client has one. */
  command?: string;
  /** A one-click install link, where the client supports one. */
  installLink?: string;
}

/** The config key for a server: its name after the namespace (io.github.acme/weather → weather). */
export function clientEntryKey(serverName: string): string {
  const short = serverName.slice(serverName.indexOf('/') + 1);
  return short.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'server';
}

const PROJECT_PLACEHOLDER = '/path/to/your/project';

function runArgs(serverName: string, project: string): string[] {
  return ['run', serverName, '--project', project];
}

const shellQuote = (s: string) => (/^[A-Za-z0-9._:/@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function clientSnippets(serverName: string): ClientSnippet[] {
  const key = clientEntryKey(serverName);
  const workspace = runArgs(serverName, WORKSPACE_FOLDER);
  const vscodeEntry = { type: 'stdio', command: 'mcp-lock', args: workspace };
  const cursorEntry = { command: 'mcp-lock', args: workspace };
  return [
    {
      client: 'vscode',
      label: 'VS Code',
      file: '.vscode/mcp.json',
      config: { servers: { [key]: vscodeEntry } },
      installLink: `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name: key, ...vscodeEntry }))}`,
    },
    {
      client: 'cursor',
      label: 'Cursor',
      file: '.cursor/mcp.json',
      config: { mcpServers: { [key]: cursorEntry } },
      installLink: `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(key)}&config=${encodeURIComponent(base64(JSON.stringify(cursorEntry)))}`,
    },
    {
      client: 'claude-code',
      label: 'Claude Code',
      file: '.mcp.json',
      config: { mcpServers: { [key]: { type: 'stdio', command: 'mcp-lock', args: runArgs(serverName, '.') } } },
      command: `claude mcp add --scope project ${shellQuote(key)} -- mcp-lock ${runArgs(serverName, '.').map(shellQuote).join(' ')}`,
    },
    {
      client: 'claude-desktop',
      label: 'Claude Desktop',
      file: 'claude_desktop_config.json',
      config: { mcpServers: { [key]: { command: 'mcp-lock', args: runArgs(serverName, PROJECT_PLACEHOLDER) } } },
    },
  ];
}
