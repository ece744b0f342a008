// Install one npm package into a throw-away directory with Arborist, install scripts off, and read back
// exactly what was installed: the package's tarball integrity and every node of its dependency tree
// (name, version, resolved, SRI integrity), as recorded in the package-lock Arborist writes.

import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import Arborist from '@npmcli/arborist';
import { McpLockError } from '../../core/errors.ts';
import type { TreeNode } from '../../core/generated/manifest.ts';
import { type JsonObject, parseStrictJson } from '../../core/json/strict-json.ts';
import { checkTree, localTarballResolved, sortTree, treeDigest } from '../../core/manifest/check-tree.ts';
import { parseNpmSpec } from '../../core/npm/spec.ts';
import { npmNetworkOptions } from './npm-config.ts';

export interface SandboxOptions {
  /** npm registry base URL (default https://registry.npmjs.org). */
  registry?: string;
  /** Choose this bin when the package has several. */
  bin?: string;
  timeoutMs?: number;
  /** npm's content-addressed cache directory (default: Arborist's). */
  cache?: string;
  /** Install this local tarball (stored in the project, see local-package.ts) instead of `spec` from the registry. */
  local?: { path: string; integrity: string };
}

export interface SandboxInstall {
  dir: string;
  packageDir: string;
  name: string;
  version: string;
  resolved: string;
  integrity: string;
  bin: { name: string; path: string; absolute: string };
  tree: TreeNode[];
  treeDigest: string;
  cleanup(): void;
}

const NODE_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bin',
  'os',
  'cpu',
  'libc',
  'optional',
  'peer',
  'hasInstallScript',
] as const;

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org';

/** Turn package-lock v3 `packages` entries into manifest tree nodes (only install-relevant fields). */
export function treeFromLock(lock: JsonObject): TreeNode[] {
  const packages = lock.packages;
  if (!packages || typeof packages !== 'object' || Array.isArray(packages)) {
    throw new McpLockError('INSTALL_FAILED', 'package-lock has no packages section');
  }
  const nodes: TreeNode[] = [];
  for (const [location, raw] of Object.entries(packages)) {
    if (location === '') continue;
    const entry = raw as JsonObject;
    if (entry.link || entry.dev) continue;
    const name =
      typeof entry.name === 'string' ? entry.name : location.slice(location.lastIndexOf('node_modules/') + 13);
    const node: Record<string, unknown> = {
      location,
      name,
      version: entry.version,
      resolved: entry.resolved,
      integrity: entry.integrity,
    };
    for (const field of NODE_FIELDS) if (entry[field] !== undefined) node[field] = entry[field];
    nodes.push(node as unknown as TreeNode);
  }
  return sortTree(nodes);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new McpLockError('TIMEOUT', `${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function pickBin(pkg: JsonObject, name: string, wanted: string | undefined): { name: string; path: string } {
  const raw = pkg.bin;
  let bins: Record<string, string> = {};
  if (typeof raw === 'string') bins = { [name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name]: raw };
  else if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') bins[k] = v;
  }
  const names = Object.keys(bins);
  if (names.length === 0) {
    throw new McpLockError('INSTALL_FAILED', `${name} has no "bin": it cannot be started as a stdio server`, {
      hint: 'mcp-lock launches the package’s executable; pick a package that declares one.',
    });
  }
  const chosen = wanted ?? (names.length === 1 ? names[0] : names.find((n) => name.endsWith(n)));
  if (!chosen || !bins[chosen]) {
    throw new McpLockError('USAGE', `${name} has several executables (${names.join(', ')}); choose one with --bin`, {
      data: { bins: names },
    });
  }
  return { name: chosen, path: bins[chosen]!.replace(/^\.\//, '') };
}

/**
 * The root of a local install is the one node Arborist resolved to a file: record it as the project's
 * stored copy, and insist it is exactly the tarball that was stored (same integrity).
 */
function pinLocalRoot(tree: TreeNode[], integrity: string): string {
  const roots = tree.filter((n) => n.resolved.startsWith('file:'));
  if (roots.length !== 1 || roots[0]!.location !== `node_modules/${roots[0]!.name}`) {
    throw new McpLockError('INSTALL_FAILED', 'the local package did not install as one top-level package');
  }
  const root = roots[0]!;
  if (root.integrity !== integrity) {
    throw new McpLockError('INTEGRITY_MISMATCH', 'the installed local package is not the tarball that was stored', {
      data: { expected: integrity, found: root.integrity ?? null },
    });
  }
  root.resolved = localTarballResolved(integrity);
  return root.name;
}

export async function sandboxInstall(spec: string, options: SandboxOptions = {}): Promise<SandboxInstall> {
  const local = options.local;
  const parsed: { name: string; range?: string } = local ? { name: '' } : { ...parseNpmSpec(spec) };
  const registry = (options.registry ?? DEFAULT_REGISTRY).replace(/\/$/, '');
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-lock-sandbox-')));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mcp-lock-sandbox', private: true }));
    const arborist = new Arborist({
      path: dir,
      registry: `${registry}/`,
      ignoreScripts: true,
      audit: false,
      fund: false,
      savePrefix: '',
      ...npmNetworkOptions(),
      ...(options.cache ? { cache: options.cache } : {}),
    });
    try {
      await withTimeout(
        arborist.reify({
          add: [local ? `file:${local.path}` : parsed.range ? `${parsed.name}@${parsed.range}` : parsed.name],
        }),
        options.timeoutMs ?? 300_000,
        `installing ${spec}`,
      );
    } catch (error) {
      if (error instanceof McpLockError) throw error;
      const e = error as { code?: string; message?: string };
      const code =
        e.code === 'EINTEGRITY'
          ? 'INTEGRITY_MISMATCH'
          : e.code === 'E404' || e.code === 'ETARGET'
            ? 'NOT_FOUND'
            : 'INSTALL_FAILED';
      throw new McpLockError(code, `could not install ${spec}: ${e.message ?? String(error)}`, {
        hint: code === 'NOT_FOUND' ? 'Check the package name and version.' : 'Check the network and the npm registry.',
        cause: error,
      });
    }
    const lock = parseStrictJson(readFileSync(join(dir, 'package-lock.json')), 'package-lock.json', {
      maxDepth: 16,
    }) as JsonObject;
    const tree = treeFromLock(lock);
    if (local) parsed.name = pinLocalRoot(tree, local.integrity);
    const findings = checkTree(tree, { registries: [registry], ...(local ? { localRoot: parsed.name } : {}) });
    if (findings.length > 0) {
      const first = findings[0]!;
      throw new McpLockError(first.code, `the installed tree of ${spec} breaks a rule: ${first.message}`, {
        data: { findings },
      });
    }
    const root = tree.find((n) => n.location === `node_modules/${parsed.name}`);
    if (!root) throw new McpLockError('INSTALL_FAILED', `${parsed.name} is missing from the installed tree`);
    const packageDir = join(dir, 'node_modules', parsed.name);
    const pkg = parseStrictJson(
      readFileSync(join(packageDir, 'package.json')),
      `${parsed.name}/package.json`,
    ) as JsonObject;
    const bin = pickBin(pkg, parsed.name, options.bin);
    const absolute = resolve(packageDir, bin.path);
    if (!absolute.startsWith(packageDir + sep) || relative(packageDir, absolute).startsWith('..')) {
      throw new McpLockError('TREE_INVALID', `the bin ${bin.name} points outside the package`);
    }
    return {
      dir,
      packageDir,
      name: parsed.name,
      version: root.version,
      resolved: root.resolved,
      integrity: root.integrity!, // checkTree above refuses nodes without a sha512 integrity
      bin: { ...bin, absolute },
      tree,
      treeDigest: treeDigest(tree),
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
