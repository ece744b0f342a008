// Install exactly a pinned tree, like `npm ci`: a package-lock is written from the manifest's tree and
// Arborist reifies it with install scripts off. No packument is consulted, nothing is re-resolved, every
// tarball is checked against its pinned integrity, and the result must equal the pin node for node.
// The install goes to a temporary sibling directory renamed into place only when complete, so a failure
// leaves no half-installed server.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Arborist from '@npmcli/arborist';
import { canonicalDigest } from '../../core/canonical/digest.ts';
import { McpLockError } from '../../core/errors.ts';
import type { NpmArtifact } from '../../core/generated/manifest.ts';
import { type JsonObject, parseStrictJson } from '../../core/json/strict-json.ts';
import { checkTree, isLocalPackage } from '../../core/manifest/check-tree.ts';
import { installedFilesDigest } from './files-digest.ts';
import { verifyLocalTarball } from './local-package.ts';
import { npmNetworkOptions } from './npm-config.ts';
import { DEFAULT_REGISTRY, treeFromLock } from './sandbox-install.ts';

export interface TreeInstallOptions {
  /** npm registry to fetch tarballs from (the lock's registry.npmjs.org host is rewritten to it). */
  registry?: string;
  /** Registries the pinned resolved URLs may name (default: registry.npmjs.org). */
  trustedRegistries?: readonly string[];
  /** npm cache directory (default: npm's). */
  cache?: string;
  timeoutMs?: number;
  /** The project directory: a local package's root tarball is read from its .mcp-lock/local/ copy. */
  project?: string;
}

export interface TreeInstallResult {
  dir: string;
  files: string;
}

const ROOT_NAME = 'mcp-lock-store';

/** The package.json and package-lock.json that make Arborist install exactly `pkg.tree`. */
export function lockForTree(
  pkg: NpmArtifact,
  localTarball?: string,
): { packageJson: JsonObject; packageLock: JsonObject } {
  const deps = { [pkg.identifier]: localTarball ? `file:${localTarball}` : pkg.version };
  const packages: JsonObject = { '': { name: ROOT_NAME, dependencies: deps } };
  for (const node of pkg.tree) {
    const { location, name, ...rest } = node;
    const entry: JsonObject = { ...(rest as JsonObject) };
    if (localTarball && location === `node_modules/${pkg.identifier}`) entry.resolved = `file:${localTarball}`;
    if (location !== `node_modules/${name}` && !location.endsWith(`/node_modules/${name}`)) entry.name = name;
    packages[location] = entry;
  }
  return {
    packageJson: { name: ROOT_NAME, private: true, dependencies: deps },
    packageLock: { name: ROOT_NAME, lockfileVersion: 3, requires: true, packages },
  };
}

function mapInstallError(error: unknown, what: string): McpLockError {
  if (error instanceof McpLockError) return error;
  const e = error as { code?: string; message?: string; expected?: unknown; found?: unknown; sri?: unknown };
  if (e.code === 'EINTEGRITY') {
    return new McpLockError('INTEGRITY_MISMATCH', `a tarball of ${what} does not match its pinned integrity`, {
      hint: 'The registry (or something between you and it) served different bytes than were pinned. Nothing was installed.',
      data: { expected: String(e.expected ?? e.sri ?? ''), found: String(e.found ?? '') },
      cause: error,
    });
  }
  return new McpLockError('INSTALL_FAILED', `could not install ${what}: ${e.message ?? String(error)}`, {
    hint: 'Check the network and the npm registry; nothing was installed.',
    cause: error,
  });
}

/**
 * Install `pkg` into `targetDir` (which must not exist yet). Returns the digest of the installed files.
 * Throws INTEGRITY_MISMATCH, TREE_INVALID or INSTALL_FAILED and leaves nothing behind on failure.
 */
export async function installPinnedTree(
  pkg: NpmArtifact,
  targetDir: string,
  options: TreeInstallOptions = {},
): Promise<TreeInstallResult> {
  const what = `${pkg.identifier}@${pkg.version}`;
  const findings = checkTree(pkg.tree, {
    registries: options.trustedRegistries ?? [DEFAULT_REGISTRY],
    localRoot: pkg.identifier,
  });
  if (findings.length > 0) {
    const first = findings[0]!;
    throw new McpLockError(first.code, `${what}: ${first.message}`, { data: { findings } });
  }
  const localTarball = isLocalPackage(pkg) ? verifyLocalTarball(options.project ?? '', pkg.integrity) : undefined;
  if (existsSync(targetDir)) throw new McpLockError('CONFLICT', `${targetDir} already exists`);
  const parent = dirname(targetDir);
  const createdParent = !existsSync(parent);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.installing-${randomBytes(6).toString('hex')}`);
  mkdirSync(tmp);
  try {
    const { packageJson, packageLock } = lockForTree(pkg, localTarball);
    writeFileSync(join(tmp, 'package.json'), JSON.stringify(packageJson, null, 2));
    writeFileSync(join(tmp, 'package-lock.json'), JSON.stringify(packageLock, null, 2));
    const registry = (options.registry ?? DEFAULT_REGISTRY).replace(/\/$/, '');
    const arborist = new Arborist({
      path: tmp,
      registry: `${registry}/`,
      ignoreScripts: true,
      audit: false,
      fund: false,
      save: false,
      ...npmNetworkOptions(),
      ...(options.cache ? { cache: options.cache } : {}),
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        arborist.reify(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new McpLockError('TIMEOUT', `installing ${what} took too long`)),
            options.timeoutMs ?? 600_000,
          );
        }),
      ]);
    } catch (error) {
      throw mapInstallError(error, what);
    } finally {
      clearTimeout(timer);
    }
    // npm ci semantics: what was installed must be exactly what was pinned, node for node.
    const written = parseStrictJson(readFileSync(join(tmp, 'node_modules', '.package-lock.json')), 'installed lock', {
      maxDepth: 16,
    }) as JsonObject;
    const installed = treeFromLock(written).map((n) =>
      localTarball && n.location === `node_modules/${pkg.identifier}` && n.resolved.startsWith('file:')
        ? { ...n, resolved: pkg.resolved }
        : n,
    );
    if (canonicalDigest(installed) !== canonicalDigest(pkg.tree)) {
      const pinned = new Map(pkg.tree.map((n) => [n.location, n]));
      const extra = installed.filter((n) => pinned.get(n.location)?.integrity !== n.integrity).map((n) => n.location);
      throw new McpLockError('TREE_INVALID', `${what}: the installed tree differs from the pinned tree`, {
        hint: 'Arborist installed something the manifest does not pin; nothing was kept.',
        data: { differing: extra.slice(0, 20) },
      });
    }
    const files = installedFilesDigest(join(tmp, 'node_modules'));
    renameSync(tmp, targetDir);
    return { dir: targetDir, files };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    // Leave the store as it was: a directory made just for this install goes too.
    if (createdParent && readdirSync(parent).length === 0) rmSync(parent, { recursive: true, force: true });
    throw error;
  }
}
