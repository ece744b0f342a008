// Make a manifest from a live server: install the exact npm package in a sandbox (scripts off), start it
// over stdio with the declared arguments and environment, introspect its whole surface, and assemble
// the manifest. Or connect to a remote Streamable HTTP server and do the same without a package.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpLockError } from '../../core/errors.ts';
import type {
  Argument,
  KeyValueInput,
  McpLockManifest,
  Package,
  Permissions,
  ServerDetail,
} from '../../core/generated/manifest.ts';
import { type IntrospectLimits, introspect, type ProtocolChoice } from '../../core/introspect/introspect.ts';
import { type JsonObject, parseStrictJson } from '../../core/json/strict-json.ts';
import { planLaunch } from '../../core/launch/launch-plan.ts';
import { planRemoteHeaders } from '../../core/launch/remote-headers.ts';
import { packageTofuName } from '../../core/lockfile/tofu-name.ts';
import { DEFAULT_TREE_RULES } from '../../core/manifest/check-tree.ts';
import { buildManifest, SERVER_JSON_SCHEMA } from '../../core/manifest/manifest.ts';
import type { McpRpc } from '../../core/ports.ts';
import { pinSurface } from '../../core/surface/pin.ts';
import { HttpRpc } from '../mcp/http-rpc.ts';
import { SseRpc } from '../mcp/sse-rpc.ts';
import { StdioRpc } from '../mcp/stdio-rpc.ts';
import { DEFAULT_REGISTRY, type SandboxInstall, sandboxInstall } from '../npm/sandbox-install.ts';
import { readPackageReadme } from './readme.ts';

export interface GenerateOptions {
  /** Server name (io.github.owner/name); defaults to the package's `mcpName`. */
  name?: string;
  description?: string;
  title?: string;
  /** Server version for a remote server (npm servers use the package version). */
  version?: string;
  packageArguments?: Argument[];
  environmentVariables?: KeyValueInput[];
  /** What the server may reach when `mcp-lock run` starts it (npm packages only). */
  permissions?: Permissions;
  /** Header templates of a remote server (core/launch/remote-headers.ts); values come from callerEnv. */
  headers?: KeyValueInput[];
  /** A remote's transport: Streamable HTTP, or the deprecated HTTP+SSE. */
  transport?: 'streamable-http' | 'sse';
  bin?: string;
  protocol?: ProtocolChoice;
  npmRegistry?: string;
  limits?: Partial<IntrospectLimits>;
  installTimeoutMs?: number;
  callerEnv: Readonly<Record<string, string | undefined>>;
  generator: string;
  client: { name: string; version: string };
  onProgress?: (message: string) => void;
  /** Declare that the server adds resources at run time (surface.dynamicResources). */
  dynamicResources?: boolean;
  /** A local package's tarball stored in the project (adapters/npm/local-package.ts) instead of `spec`. */
  local?: { path: string; integrity: string };
}

const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

function checkName(name: string | undefined, hint: string): string {
  if (!name) throw new McpLockError('NAME_INVALID', 'the server needs a name like io.github.owner/server', { hint });
  if (!SERVER_NAME.test(name) || name.length > 200) {
    throw new McpLockError('NAME_INVALID', `"${name}" is not a valid server name`, {
      hint: 'Use reverse-DNS namespace, a slash and a name: io.github.owner/server.',
    });
  }
  return name;
}

/** server.json descriptions are at most 100 characters: shorten at a word boundary with an ellipsis. */
export function shortDescription(text: string): string {
  const clean = text.trim();
  if ([...clean].length <= 100) return clean;
  const cut = [...clean].slice(0, 99).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > 60 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

async function introspectWith(rpc: McpRpc, options: GenerateOptions) {
  try {
    return await introspect(rpc, {
      protocol: options.protocol ?? 'auto',
      client: options.client,
      ...(options.limits ? { limits: options.limits } : {}),
    });
  } finally {
    await rpc.close();
  }
}

/**
 * A server started without secrets that were not set at pin time, and then failed: say which ones, since
 * it may be the reason (one that starts without them is pinned without ever seeing their values).
 */
function withMissingSecrets(error: unknown, missing: readonly string[]): unknown {
  if (missing.length === 0 || !(error instanceof McpLockError)) return error;
  return new McpLockError(
    error.code,
    `${error.message} (started without ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not set)`,
    {
      hint: `The server may refuse to start without ${missing.join(', ')}: set ${missing.length === 1 ? 'it' : 'them'} in the environment of this command and pin again.`,
      ...(error.data ? { data: error.data } : {}),
      cause: error,
    },
  );
}

/** Manifest of an npm package server. */
export async function generateNpmManifest(spec: string, options: GenerateOptions): Promise<McpLockManifest> {
  const registry = (options.npmRegistry ?? DEFAULT_REGISTRY).replace(/\/$/, '');
  options.onProgress?.(`Installing ${spec} into a sandbox (install scripts off) …`);
  const install: SandboxInstall = await sandboxInstall(spec, {
    registry,
    ...(options.bin ? { bin: options.bin } : {}),
    ...(options.installTimeoutMs ? { timeoutMs: options.installTimeoutMs } : {}),
    ...(options.local ? { local: options.local } : {}),
  });
  try {
    const pkgJson = parseStrictJson(
      readFileSync(join(install.packageDir, 'package.json')),
      'package.json',
    ) as JsonObject;
    const name = checkName(
      options.name ??
        (options.local ? packageTofuName(install.name) : undefined) ??
        (typeof pkgJson.mcpName === 'string' ? pkgJson.mcpName : undefined),
      'The package has no "mcpName"; pass --name io.github.owner/server.',
    );
    const description = shortDescription(
      options.description ??
        (typeof pkgJson.description === 'string' && pkgJson.description.trim() ? pkgJson.description : name),
    );
    const entry: Package = {
      registryType: 'npm',
      registryBaseUrl: registry,
      identifier: install.name,
      version: install.version,
      runtimeHint: 'node',
      transport: { type: 'stdio' },
      ...(options.packageArguments?.length ? { packageArguments: options.packageArguments } : {}),
      ...(options.environmentVariables?.length ? { environmentVariables: options.environmentVariables } : {}),
    };
    const plan = planLaunch(entry, { callerEnv: options.callerEnv, skipMissingSecrets: true });
    options.onProgress?.(`Starting ${install.name}@${install.version} (${install.bin.name}) and reading its surface …`);
    const rpc = new StdioRpc({
      command: process.execPath,
      args: [install.bin.absolute, ...plan.args],
      env: plan.env,
      cwd: install.dir,
    });
    const { snapshot } = await introspectWith(rpc, options).catch((error: unknown) => {
      throw withMissingSecrets(error, plan.missingSecrets);
    });
    const readme = readPackageReadme(install.packageDir);
    const server: ServerDetail = {
      $schema: SERVER_JSON_SCHEMA,
      name,
      description,
      version: install.version,
      ...(options.title ? { title: options.title } : {}),
      packages: [entry],
    };
    return buildManifest(
      {
        generator: options.generator,
        server,
        package: {
          registryType: 'npm',
          identifier: install.name,
          version: install.version,
          resolved: install.resolved,
          integrity: install.integrity,
          bin: { name: install.bin.name, path: install.bin.path },
          tree: install.tree,
          treeDigest: install.treeDigest,
        },
        surface: pinSurface(snapshot, { dynamicResources: options.dynamicResources === true }),
        ...(options.permissions ? { permissions: options.permissions } : {}),
        ...(readme ? { readme } : {}),
      },
      options.local ? { registries: [...DEFAULT_TREE_RULES.registries, registry], allowLocalRoot: true } : 'declared',
    );
  } finally {
    install.cleanup();
  }
}

/** Manifest of a remote Streamable HTTP server. */
export async function generateRemoteManifest(url: string, options: GenerateOptions): Promise<McpLockManifest> {
  const name = checkName(options.name, 'Pass --name io.github.owner/server for a remote server.');
  options.onProgress?.(`Connecting to ${url} and reading its surface …`);
  // The server needs its headers to answer at all, so their secrets are required at pin time.
  const { headers } = planRemoteHeaders(options.headers, options.callerEnv);
  const transport = options.transport ?? 'streamable-http';
  const rpc = transport === 'sse' ? new SseRpc(url, { headers }) : new HttpRpc(url, { headers });
  const { snapshot } = await introspectWith(rpc, options);
  const reported = typeof snapshot.serverInfo?.version === 'string' ? snapshot.serverInfo.version : undefined;
  const version = options.version ?? reported;
  if (!version || version === 'latest' || version.length > 255) {
    throw new McpLockError('VERSION_INVALID', 'a remote server manifest needs an exact --version', {
      hint: 'Pass --version 1.2.3 (the server did not report a usable version).',
    });
  }
  const server: ServerDetail = {
    $schema: SERVER_JSON_SCHEMA,
    name,
    description: shortDescription(options.description ?? `Remote MCP server at ${new URL(url).host}`),
    version,
    ...(options.title ? { title: options.title } : {}),
    remotes: [{ type: transport, url, ...(options.headers?.length ? { headers: options.headers } : {}) }],
  };
  const surface = pinSurface(snapshot, { dynamicResources: options.dynamicResources === true });
  return buildManifest({ generator: options.generator, server, surface });
}
