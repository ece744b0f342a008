// How a wrapped config entry starts `mcp-lock run`, written so the config can be committed: the command is
// `mcp-lock` found on PATH (or `npx -y <this package>@<version>`), never this machine's node binary or
// script, and the project is named the way the client itself resolves paths: ${workspaceFolder} in
// VS Code's and Cursor's workspace configs (both substitute it in args), a path relative to the
// project-scope .mcp.json for Claude Code (which starts project servers in the project directory).
// User-level configs live on one machine and are not shared, so they keep the absolute project path.
// `absolute` keeps the machine-bound form for GUI clients started with a minimal PATH.

import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import type { ClientFormat, ConfigScope } from './client-formats.ts';
import type { Launcher } from './config-edit.ts';

export const LAUNCHER_KINDS = ['path', 'npx', 'absolute'] as const;
export type LauncherKind = (typeof LAUNCHER_KINDS)[number];

export interface LauncherSetup {
  kind: LauncherKind;
  /** `name@version` of this mcp-lock package (npx). */
  packageSpec: string;
  /** The Node.js binary and bin/mcp-lock.js of this installation (absolute). */
  node: string;
  script: string;
  /** The --project value, as projectReference() makes it. */
  project: string;
}

export function makeLauncher(setup: LauncherSetup): Launcher {
  const run = (name: string) => ['run', name, '--project', setup.project];
  switch (setup.kind) {
    case 'path':
      return { command: 'mcp-lock', args: run };
    case 'npx':
      return { command: 'npx', args: (name) => ['-y', setup.packageSpec, ...run(name)] };
    case 'absolute':
      return { command: setup.node, args: (name) => [setup.script, ...run(name)] };
  }
}

const toPosix = (path: string) => path.split(sep).join('/');

/** The variable VS Code and Cursor substitute with the workspace folder. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the client's variable, written as it is
export const WORKSPACE_FOLDER = '${workspaceFolder}';

/** Where a workspace-folder config sits: <workspace>/.vscode/mcp.json, <workspace>/.cursor/mcp.json. */
const WORKSPACE_DIR: Partial<Record<ClientFormat['id'], string>> = { vscode: '.vscode', cursor: '.cursor' };

/**
 * The --project value a wrapped entry carries: portable for project-scope configs, absolute otherwise.
 * `configPath` and `project` are absolute paths of this machine.
 */
export function projectReference(
  format: ClientFormat,
  scope: ConfigScope,
  configPath: string,
  project: string,
): string {
  if (scope !== 'project') return project;
  const configDir = dirname(configPath);
  const workspaceDir = WORKSPACE_DIR[format.id];
  if (workspaceDir !== undefined && basename(configDir) === workspaceDir) {
    const rel = relative(dirname(configDir), project);
    if (isAbsolute(rel)) return project; // another drive on Windows
    return rel === '' ? WORKSPACE_FOLDER : `${WORKSPACE_FOLDER}/${toPosix(rel)}`;
  }
  if (format.id === 'claude-code') {
    const rel = relative(configDir, project);
    if (isAbsolute(rel)) return project;
    return rel === '' ? '.' : toPosix(rel);
  }
  return project;
}
