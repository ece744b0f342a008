// The one builder of synthetic but well-formed material for tests: tree nodes with real sha512
// integrities and resolved URLs on registry.npmjs.org that match name and version, and small manifests
// built through the real core builders (so their digests, surfaces and tree digests are the real ones).
//   syntheticManifest()                         an npm server, io.github.acme/weather, two weather tools
//   syntheticManifest({ remote: true })         a remote-only server (no package: nothing to install)
//   syntheticManifest({ tools, version, … })    anything else, one option at a time

import { createHash } from 'node:crypto';
import type { McpLockManifest, Permissions, TreeNode } from '../../core/generated/manifest.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { treeDigest } from '../../core/manifest/check-tree.ts';
import { buildManifest, SERVER_JSON_SCHEMA } from '../../core/manifest/manifest.ts';
import { pinSurface } from '../../core/surface/pin.ts';

export function integrityOf(text: string): string {
  return `sha512-${createHash('sha512').update(text).digest('base64')}`;
}

/** A tree node for `name@version`, at node_modules/<name> unless `location` says otherwise. */
export function node(name: string, version: string, location = `node_modules/${name}`): TreeNode {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return {
    location,
    name,
    version,
    resolved: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`,
    integrity: integrityOf(`tarball of ${name}@${version}`),
  };
}

/** Two weather tools; `variant` is appended to the first description so two sets differ. */
export function weatherTools(variant = ''): JsonObject[] {
  return [
    {
      name: 'get_forecast',
      description: `Get the weather forecast for a city.${variant}`,
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
    {
      name: 'get_alerts',
      description: 'Get weather alerts for a US state.',
      inputSchema: { type: 'object', properties: { state: { type: 'string' } }, required: ['state'] },
    },
  ];
}

export interface SyntheticOptions {
  name?: string;
  version?: string;
  description?: string;
  /** npm package name and version (default @acme/weather-mcp at the server version). */
  pkg?: string;
  pkgVersion?: string;
  /** The whole tree (default: the package and zod). */
  tree?: TreeNode[];
  /** A remote-only server on Streamable HTTP: no package, no tree. */
  remote?: boolean;
  tools?: JsonObject[];
  prompts?: JsonObject[];
  resources?: JsonObject[];
  resourceTemplates?: JsonObject[];
  instructions?: string | null;
  protocolVersion?: string;
  /** The sandbox permissions of a package server. */
  permissions?: Permissions;
  /** server._meta (e.g. the catalogue block, dev.mcp-lock/catalog). */
  meta?: Record<string, unknown>;
  /** The manifest's readme (Markdown), as if read from the package. */
  readme?: string;
}

export function syntheticManifest(options: SyntheticOptions = {}): McpLockManifest {
  const name = options.name ?? 'io.github.acme/weather';
  const version = options.version ?? '1.0.0';
  const surface = pinSurface({
    protocolVersion: options.protocolVersion ?? '2025-06-18',
    instructions: options.instructions === undefined ? 'Use get_forecast for forecasts.' : options.instructions,
    tools: options.tools ?? weatherTools(),
    prompts: options.prompts ?? [],
    resources: options.resources ?? [],
    resourceTemplates: options.resourceTemplates ?? [],
  });
  const description = options.description ?? 'Weather forecasts and alerts';
  if (options.remote) {
    return buildManifest({
      server: {
        name,
        description,
        version,
        remotes: [{ type: 'streamable-http', url: 'https://weather.example.com/mcp' }],
        ...(options.meta ? { _meta: options.meta } : {}),
      },
      surface,
    });
  }
  const pkg = options.pkg ?? '@acme/weather-mcp';
  const pkgVersion = options.pkgVersion ?? version;
  const root = node(pkg, pkgVersion);
  const tree = options.tree ?? [root, node('zod', '3.25.76')].sort((a, b) => (a.location < b.location ? -1 : 1));
  return buildManifest({
    generator: 'mcp-lock tests',
    server: {
      $schema: SERVER_JSON_SCHEMA,
      name,
      description,
      version,
      packages: [
        {
          registryType: 'npm',
          registryBaseUrl: 'https://registry.npmjs.org',
          identifier: pkg,
          version: pkgVersion,
          transport: { type: 'stdio' },
        },
      ],
      ...(options.meta ? { _meta: options.meta } : {}),
    },
    package: {
      registryType: 'npm',
      identifier: pkg,
      version: pkgVersion,
      resolved: root.resolved,
      integrity: root.integrity!,
      bin: { name: 'weather-mcp', path: 'dist/index.js' },
      tree,
      treeDigest: treeDigest(tree),
    },
    surface,
    ...(options.permissions ? { permissions: options.permissions } : {}),
    ...(options.readme ? { readme: { source: 'npm-package', file: 'README.md', markdown: options.readme } } : {}),
  });
}

/** The remote-only manifest the signature tests use; `variant` makes two that differ. */
export function remoteManifest(variant = 'a', version = '1.0.0'): McpLockManifest {
  return syntheticManifest({
    remote: true,
    version,
    description: 'Weather forecasts over Streamable HTTP.',
    protocolVersion: '2025-11-25',
    tools: weatherTools(` (${variant})`),
    prompts: [{ name: 'summarize', description: 'Summarize the forecast.' }],
    resourceTemplates: [{ uriTemplate: 'weather://city/{name}', name: 'city' }],
  });
}
