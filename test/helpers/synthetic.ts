// Synthetic but well-formed material for unit tests: tree nodes with real sha512 integrities, and small
// manifests built through the real builders.
import { createHash } from 'node:crypto';
import type { McpLockManifest, Permissions, TreeNode } from '../../core/generated/manifest.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { treeDigest } from '../../core/manifest/check-tree.ts';
import { buildManifest, SERVER_JSON_SCHEMA } from '../../core/manifest/manifest.ts';
import { pinSurface } from '../../core/surface/pin.ts';

export function integrityOf(text: string): string {
  return `sha512-${createHash('sha512').update(text).digest('base64')}`;
}

export function node(name: string, version: string, location = `node_modules/${name}`): TreeNode {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return {
    location,
    name,
    version,
    resolved: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`,
    integrity: integrityOf(`${name}@${version}`),
  };
}

export interface SyntheticOptions {
  name?: string;
  version?: string;
  tools?: JsonObject[];
  instructions?: string | null;
  tree?: TreeNode[];
  permissions?: Permissions;
}

export function syntheticManifest(options: SyntheticOptions = {}): McpLockManifest {
  const name = options.name ?? 'io.github.acme/weather';
  const version = options.version ?? '1.0.0';
  const identifier = '@acme/weather-mcp';
  const root = node(identifier, version);
  const tree = options.tree ?? [root, node('zod', '4.0.0')];
  return buildManifest({
    generator: 'test',
    server: {
      $schema: SERVER_JSON_SCHEMA,
      name,
      description: 'Weather for tests',
      version,
      packages: [{ registryType: 'npm', identifier, version, transport: { type: 'stdio' } }],
    },
    package: {
      registryType: 'npm',
      identifier,
      version,
      resolved: root.resolved,
      integrity: root.integrity!,
      bin: { name: 'weather', path: 'dist/index.js' },
      tree,
      treeDigest: treeDigest(tree),
    },
    surface: pinSurface({
      protocolVersion: '2025-11-25',
      instructions: options.instructions === undefined ? 'Use the forecast tool.' : options.instructions,
      tools: options.tools ?? [
        {
          name: 'forecast',
          description: 'Weather forecast',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
        },
        { name: 'alerts', description: 'Weather alerts', inputSchema: { type: 'object' } },
      ],
      prompts: [],
      resources: [],
      resourceTemplates: [],
    }),
    ...(options.permissions ? { permissions: options.permissions } : {}),
  });
}
