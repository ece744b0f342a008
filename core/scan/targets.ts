// What `mcp-lock scan <target>` was given, decided from the parsed document: a manifest, a lock, or an
// MCP client's configuration (Claude Desktop and Cursor `mcpServers`, VS Code `servers`, Claude Code
// `.mcp.json` and `~/.claude.json` with per-project `mcpServers`). For a client config, each server is
// classified by how it is launched: through `mcp-lock run <name>` (scan the pinned manifest from the
// lock), through npx/npm exec with an npm package (introspect it), a remote URL (introspect it), or
// something the scan cannot read (reported as not scanned, never skipped silently).

import { describeEntry } from '../clients/launch-spec.ts';
import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { LOCK_SCHEMA_ID, MANIFEST_SCHEMA_ID } from '../schema/validate.ts';

export type TargetKind = 'manifest' | 'lock' | 'client-config';

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function looksLikeServerMap(v: JsonValue | undefined): v is JsonObject {
  return (
    isObject(v) &&
    Object.values(v).every((entry) => isObject(entry) && ('command' in entry || 'url' in entry || 'type' in entry))
  );
}

/** The kind of document, or null when it is none of the three. */
export function classifyTarget(doc: JsonValue): TargetKind | null {
  if (!isObject(doc)) return null;
  if (doc.$schema === MANIFEST_SCHEMA_ID) return 'manifest';
  if (doc.$schema === LOCK_SCHEMA_ID || 'lockfileVersion' in doc) return 'lock';
  if (looksLikeServerMap(doc.mcpServers) || looksLikeServerMap(doc.servers)) return 'client-config';
  if (
    isObject(doc.projects) &&
    Object.values(doc.projects).some((p) => isObject(p) && looksLikeServerMap(p.mcpServers))
  ) {
    return 'client-config';
  }
  return null;
}

export type Launch =
  /** `mcp-lock run <name>`: scan the pinned manifest from the lock in `project` (or beside the config). */
  | { kind: 'mcp-lock-run'; server: string; project: string | null }
  /** `npx -y <spec> …args` or `npm exec`: introspect the npm package. */
  | { kind: 'npm'; spec: string; args: string[] }
  /** A remote Streamable HTTP (or SSE) server. */
  | { kind: 'remote'; url: string }
  /** Anything else: the reason it cannot be scanned. */
  | { kind: 'unsupported'; reason: string };

export interface ConfigServer {
  /** The name the client config gives the server (with the project path for ~/.claude.json projects). */
  name: string;
  launch: Launch;
  /** Plain environment values the config passes (not secrets we would look up ourselves). */
  env: Record<string, string>;
}

const strings = (v: JsonValue | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

const basename = (path: string) => path.split(/[\\/]/).pop()!.toLowerCase();

function isMcpLockProgram(word: string): boolean {
  const base = basename(word).replace(/\.(?:js|ts|cmd|exe|ps1)$/, '');
  return base === 'mcp-lock' || /^mcp-lock@/.test(word);
}

/** `… mcp-lock [global options] run [-p dir] <name> …` → the server name and project directory. */
function mcpLockRun(words: string[], env: Record<string, string>): Launch | null {
  const at = words.findIndex(isMcpLockProgram);
  if (at < 0) return null;
  const rest = words.slice(at + 1);
  const run = rest.indexOf('run');
  if (run < 0) return { kind: 'unsupported', reason: `runs mcp-lock ${rest.join(' ')}, not \`mcp-lock run <name>\`` };
  let server: string | null = null;
  let project: string | null = env.MCP_LOCK_PROJECT ?? null;
  const args = rest.slice(run + 1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-p' || a === '-C' || a === '--project') project = args[++i] ?? project;
    else if (a.startsWith('--project=')) project = a.slice('--project='.length);
    else if (a === '--on-drift' || a === '--audit-log' || a === '--timeout' || a === '--max-message-bytes') i++;
    else if (!a.startsWith('-') && server === null) server = a;
  }
  return server
    ? { kind: 'mcp-lock-run', server, project }
    : { kind: 'unsupported', reason: 'mcp-lock run without a server name' };
}

function launchOf(entry: JsonObject, env: Record<string, string>): Launch {
  const command = typeof entry.command === 'string' ? entry.command : null;
  if (command) {
    // mcp-lock itself, however it is started (mcp-lock, node …/mcp-lock.js, npx -y mcp-lock@x): its run target.
    const run = mcpLockRun([command, ...strings(entry.args)], env);
    if (run) return run;
  }
  // Everything else is read the way `mcp-lock wrap` and `import` read it (runners, cmd /c, remotes).
  const described = describeEntry(entry);
  switch (described.kind) {
    case 'npm':
      return { kind: 'npm', spec: described.spec, args: described.args };
    case 'remote':
      return { kind: 'remote', url: described.url };
    case 'wrapped':
      return {
        kind: 'mcp-lock-run',
        server: described.name,
        project: described.project ?? env.MCP_LOCK_PROJECT ?? null,
      };
    case 'other':
      return { kind: 'unsupported', reason: `${described.reason} (\`${described.what.slice(0, 200)}\`)` };
  }
}

function envOf(entry: JsonObject): Record<string, string> {
  const env: Record<string, string> = {};
  if (isObject(entry.env)) for (const [k, v] of Object.entries(entry.env)) if (typeof v === 'string') env[k] = v;
  return env;
}

function serversIn(map: JsonValue | undefined, prefix: string): ConfigServer[] {
  if (!isObject(map)) return [];
  return Object.entries(map).map(([name, entry]) => {
    const e = isObject(entry) ? entry : {};
    const env = envOf(e);
    return { name: `${prefix}${name}`, launch: launchOf(e, env), env };
  });
}

/** Every server a client config declares, in document order. */
export function clientConfigServers(doc: JsonValue): ConfigServer[] {
  if (!isObject(doc)) return [];
  const out = [
    ...serversIn(doc.mcpServers, ''),
    ...(looksLikeServerMap(doc.servers) ? serversIn(doc.servers, '') : []),
  ];
  if (isObject(doc.projects)) {
    for (const [path, project] of Object.entries(doc.projects)) {
      if (isObject(project)) out.push(...serversIn(project.mcpServers, `${path}#`));
    }
  }
  return out;
}
