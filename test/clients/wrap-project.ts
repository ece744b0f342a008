// A project for the wrap tests: mcp-lock.json pinning the servers the client config fixtures launch (an
// npm package that declares WEATHER_API_KEY, and a remote Streamable HTTP server), with their manifests
// stored, built through the real builders. Nothing is installed: wrap reads the lock; `run` verifies.

import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureStateDirs, storeManifest, writeLock } from '../../adapters/project/project.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { emptyLock, entryFromManifest } from '../../core/lockfile/lockfile.ts';
import { treeDigest } from '../../core/manifest/check-tree.ts';
import { buildManifest, SERVER_JSON_SCHEMA } from '../../core/manifest/manifest.ts';
import { pinSurface } from '../../core/surface/pin.ts';
import { node } from '../helpers/synthetic.ts';

export const FIXTURES = new URL('../fixtures/clients/', import.meta.url).pathname;
export const WEATHER = 'io.github.acme/weather';
export const DOCS = 'com.example/docs';

const surface = (tool: string) =>
  pinSurface({
    protocolVersion: '2025-11-25',
    instructions: null,
    tools: [{ name: tool, description: `The ${tool} tool`, inputSchema: { type: 'object' } }],
    prompts: [],
    resources: [],
    resourceTemplates: [],
  });

export function weatherManifest(version = '1.0.0'): McpLockManifest {
  const identifier = '@acme/weather-mcp';
  const root = node(identifier, version);
  return buildManifest({
    generator: 'test',
    server: {
      $schema: SERVER_JSON_SCHEMA,
      name: WEATHER,
      description: 'Weather for tests',
      version,
      packages: [
        {
          registryType: 'npm',
          identifier,
          version,
          transport: { type: 'stdio' },
          environmentVariables: [{ name: 'WEATHER_API_KEY', isSecret: true }],
        },
      ],
    },
    package: {
      registryType: 'npm',
      identifier,
      version,
      resolved: root.resolved,
      integrity: root.integrity!,
      bin: { name: 'weather', path: 'dist/index.js' },
      tree: [root],
      treeDigest: treeDigest([root]),
    },
    surface: surface('forecast'),
  });
}

export function docsManifest(): McpLockManifest {
  return buildManifest({
    generator: 'test',
    server: {
      $schema: SERVER_JSON_SCHEMA,
      name: DOCS,
      description: 'Docs for tests',
      version: '2.0.0',
      remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp' }],
    },
    surface: surface('search_docs'),
  });
}

export interface WrapProject {
  root: string;
  cleanup(): void;
}

/** A project pinning weather (npm) and docs (remote). */
export function wrapProject(): WrapProject {
  const root = mkdtempSync(join(tmpdir(), 'mcp-lock-wrap-'));
  ensureStateDirs(root);
  const lock = emptyLock();
  for (const manifest of [weatherManifest(), docsManifest()]) {
    storeManifest(root, manifest);
    lock.servers[manifest.server.name] = entryFromManifest(manifest, {
      source: { type: 'tofu', spec: manifest.server.name },
      signer: null,
      approval: null,
      ...(manifest.package ? { files: `sha256:${'f'.repeat(64)}` } : {}),
    });
  }
  writeLock(root, lock);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Copy a client fixture into the project (where the client would read it) and return its path. */
export function placeFixture(root: string, fixture: string, at: string): string {
  const to = join(root, at);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(FIXTURES, fixture), to);
  return to;
}
