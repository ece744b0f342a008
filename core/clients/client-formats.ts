// The MCP clients mcp-lock can wrap and import from: where each keeps its server list, in which file
// format, and where that file lives by default. Pure: the caller passes the platform, home directory and
// environment.
//
// Sources (looked up in 2026; the official pages as quoted by the secondary pages named):
// - Claude Desktop: claude_desktop_config.json with "mcpServers"; macOS ~/Library/Application Support/Claude/,
//   Windows %APPDATA%\Claude\, Linux ~/.config/Claude/
//   (https://automatelab.tech/blog/ai-coding/claude-code-mcp-config-file-location-format/,
//   https://claudecodeguides.com/claude-desktop-config-json-guide/).
// - Cursor: "mcpServers" in ~/.cursor/mcp.json (global) or <project>/.cursor/mcp.json (project); stdio entries
//   have command/args/env, remote ones url/headers, the transport is inferred from the fields
//   (https://cursor.com/docs/mcp, via https://checkmcp.dev/learn/how-to-add-mcp-server-to-cursor).
// - VS Code: "servers" (and "inputs") in <workspace>/.vscode/mcp.json or the user profile's mcp.json; stdio
//   entries have "type": "stdio", remote ones "type": "http" | "sse" with url/headers; ${input:…} and
//   ${workspaceFolder} are substituted by VS Code; the file is JSONC
//   (https://code.visualstudio.com/docs/copilot/reference/mcp-configuration).
// - Claude Code: "mcpServers" in <project>/.mcp.json (project scope), top-level "mcpServers" of ~/.claude.json
//   (user scope), or "projects"[<dir>]."mcpServers" of ~/.claude.json (local scope); "type" stdio | http | sse;
//   ${VAR} and ${VAR:-default} are expanded in command, args, env, url and headers
//   (https://code.claude.com/docs/en/mcp, via https://www.cnblogs.com/LexLuc/p/19164475 and
//   https://dev.to/rulestack/six-var-forms-five-mcpjson-fields-two-tiny-servers-what-claude-code-mcp-expansion-actually-5a1f).

import { posix, win32 } from 'node:path';
import { McpLockError } from '../errors.ts';

export const CLIENT_IDS = ['claude-desktop', 'cursor', 'vscode', 'claude-code'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];
export type ConfigScope = 'user' | 'project' | 'local';

export interface ClientFormat {
  id: ClientId;
  label: string;
  /** The object that maps server names to entries. */
  serversKey: 'mcpServers' | 'servers';
  /** Comments and trailing commas are part of the format (VS Code reads JSONC). */
  jsonc: boolean;
  scopes: readonly ConfigScope[];
  defaultScope: ConfigScope;
  /** Whether a stdio entry carries "type": "stdio" (required by VS Code, optional in Claude Code). */
  stdioType: 'required' | 'optional' | 'none';
}

export const CLIENT_FORMATS: Record<ClientId, ClientFormat> = {
  'claude-desktop': {
    id: 'claude-desktop',
    label: 'Claude Desktop',
    serversKey: 'mcpServers',
    jsonc: false,
    scopes: ['user'],
    defaultScope: 'user',
    stdioType: 'none',
  },
  cursor: {
    id: 'cursor',
    label: 'Cursor',
    serversKey: 'mcpServers',
    jsonc: false,
    scopes: ['project', 'user'],
    defaultScope: 'project',
    stdioType: 'optional',
  },
  vscode: {
    id: 'vscode',
    label: 'VS Code',
    serversKey: 'servers',
    jsonc: true,
    scopes: ['project', 'user'],
    defaultScope: 'project',
    stdioType: 'required',
  },
  'claude-code': {
    id: 'claude-code',
    label: 'Claude Code',
    serversKey: 'mcpServers',
    jsonc: false,
    scopes: ['project', 'user', 'local'],
    defaultScope: 'project',
    stdioType: 'optional',
  },
};

export function clientFormat(id: string): ClientFormat {
  if (!(CLIENT_IDS as readonly string[]).includes(id)) {
    throw new McpLockError('USAGE', `unknown client "${id}"`, { hint: `Use one of: ${CLIENT_IDS.join(', ')}.` });
  }
  return CLIENT_FORMATS[id as ClientId];
}

export function parseScope(format: ClientFormat, scope: string | undefined): ConfigScope {
  const chosen = (scope ?? format.defaultScope) as ConfigScope;
  if (!format.scopes.includes(chosen)) {
    throw new McpLockError('USAGE', `${format.label} has no "${scope}" scope`, {
      hint: `Use --scope ${format.scopes.join(' | ')}, or --config <path>.`,
    });
  }
  return chosen;
}

export interface LocationEnvironment {
  platform: string;
  home: string;
  /** %APPDATA% on Windows. */
  appData?: string | undefined;
  /** $XDG_CONFIG_HOME on Linux. */
  xdgConfigHome?: string | undefined;
  /** Absolute project directory (project and local scopes). */
  projectDir: string;
}

export interface ConfigLocation {
  path: string;
  /** Keys from the document root to the servers object. */
  serversPath: string[];
}

/** Where a client keeps its user-level application data (the directory that holds "Claude" or "Code"). */
function appDataDir(env: LocationEnvironment): string {
  const path = env.platform === 'win32' ? win32 : posix;
  if (env.platform === 'darwin') return path.join(env.home, 'Library', 'Application Support');
  if (env.platform === 'win32') return env.appData ?? path.join(env.home, 'AppData', 'Roaming');
  return env.xdgConfigHome || path.join(env.home, '.config');
}

/** The servers path inside a config file for a scope (only Claude Code's local scope nests it). */
export function serversPathFor(format: ClientFormat, scope: ConfigScope, projectDir: string): string[] {
  if (format.id === 'claude-code' && scope === 'local') return ['projects', projectDir, 'mcpServers'];
  return [format.serversKey];
}

export function defaultConfigLocation(
  format: ClientFormat,
  scope: ConfigScope,
  env: LocationEnvironment,
): ConfigLocation {
  const path = env.platform === 'win32' ? win32 : posix;
  const serversPath = serversPathFor(format, scope, env.projectDir);
  switch (format.id) {
    case 'claude-desktop':
      return { path: path.join(appDataDir(env), 'Claude', 'claude_desktop_config.json'), serversPath };
    case 'cursor':
      return {
        path:
          scope === 'user'
            ? path.join(env.home, '.cursor', 'mcp.json')
            : path.join(env.projectDir, '.cursor', 'mcp.json'),
        serversPath,
      };
    case 'vscode':
      return {
        path:
          scope === 'user'
            ? path.join(appDataDir(env), 'Code', 'User', 'mcp.json')
            : path.join(env.projectDir, '.vscode', 'mcp.json'),
        serversPath,
      };
    case 'claude-code':
      return {
        path: scope === 'project' ? path.join(env.projectDir, '.mcp.json') : path.join(env.home, '.claude.json'),
        serversPath,
      };
  }
}
