// Rules for a pinned npm dependency tree, applied when a manifest is made, published, added and installed.
// Each rule closes a known way npm lockfiles fail open: missing or weak integrity (npm/cli#4460),
// resolved URLs pointing at another host or package (lockfile injection), git/file/link sources,
// path tricks in locations, and aliases that install one name under another.

import { canonicalDigest, type Digest } from '../canonical/digest.ts';
import type { Finding } from '../errors.ts';
import type { TreeNode } from '../generated/manifest.ts';

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';

const SHA512_SRI = /^sha512-([A-Za-z0-9+/]{86}==)$/;

/** Plain http is accepted only from a registry on this machine (a local mirror, a test registry). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface TreeRules {
  /** Registry base URLs tarballs may come from. */
  registries: readonly string[];
  /**
   * The pinned package's own name: its root node (node_modules/<name>) alone may resolve to the project's
   * stored copy of a local tarball (localTarballResolved of its integrity); no other node ever may.
   */
  localRoot?: string;
  /**
   * For whole manifests (checkManifest): the package's root may be a local tarball (localRoot is then the
   * package's identifier). Only a consumer's own TOFU pins allow it; a registry never serves one.
   */
  allowLocalRoot?: boolean;
}

/** Where a local package's tarball is kept in the project, committed like the manifests. */
export const LOCAL_TARBALL_DIR = '.mcp-lock/local';

/** The hex form of a sha512 SRI, which names the stored tarball. */
export function integrityHex(integrity: string): string {
  return Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex');
}

/** The project-relative path of the stored copy of a local tarball with this integrity. */
export function localTarballPath(integrity: string): string {
  return `${LOCAL_TARBALL_DIR}/${integrityHex(integrity)}.tgz`;
}

/** The `resolved` a local package's root node records: its stored copy in the project. */
export function localTarballResolved(integrity: string): string {
  return `file:${localTarballPath(integrity)}`;
}

/** How every report marks a local package pin. */
export const LOCAL_LABEL = 'LOCAL (a package from this project, on no registry)';

/** A pin whose root package is a local tarball (not from any registry): every report marks it LOCAL. */
export function isLocalPackage(pkg: { resolved: string }): boolean {
  return pkg.resolved.startsWith(`file:${LOCAL_TARBALL_DIR}/`);
}

export const DEFAULT_TREE_RULES: TreeRules = { registries: [DEFAULT_NPM_REGISTRY] };

/** The tarball URL npm uses for name@version on a registry. */
export function expectedTarballPath(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `/${name}/-/${base}-${version}.tgz`;
}

/** Package name a location installs, e.g. node_modules/a/node_modules/@s/b → @s/b. */
export function nameAtLocation(location: string): string | null {
  const idx = location.lastIndexOf('node_modules/');
  if (idx < 0) return null;
  return location.slice(idx + 'node_modules/'.length);
}

export function isSha512Integrity(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = SHA512_SRI.exec(value);
  return m !== null && Buffer.from(m[1]!, 'base64').length === 64;
}

function checkLocation(location: string): string | null {
  if (!location.startsWith('node_modules/')) return 'does not start with node_modules/';
  const parts = location.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return 'has an empty, . or .. segment';
  if (/[\\:\0]/.test(location)) return 'has a backslash, colon or NUL';
  return null;
}

/** Check a whole tree; an empty list means every node is acceptable. */
export function checkTree(nodes: readonly TreeNode[], rules: TreeRules = DEFAULT_TREE_RULES): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const registries = rules.registries.filter((r) => URL.canParse(r)).map((r) => new URL(r));
  nodes.forEach((node, i) => {
    const path = `$.package.tree[${i}]`;
    const add = (code: Finding['code'], message: string, data?: Record<string, unknown>) =>
      findings.push({
        code,
        path,
        message: `${node.location}: ${message}`,
        severity: 'error',
        ...(data ? { data } : {}),
      });
    if (seen.has(node.location)) add('TREE_INVALID', 'appears twice');
    seen.add(node.location);
    const badLocation = checkLocation(node.location);
    if (badLocation) add('TREE_INVALID', `location ${badLocation}`);
    if (nameAtLocation(node.location) !== node.name) {
      add('TREE_INVALID', `installs "${node.name}" under another name (aliases are not allowed)`);
    }
    if (!isSha512Integrity(node.integrity)) {
      add('INTEGRITY_MISSING', 'has no sha512 integrity', { integrity: node.integrity ?? null });
    }
    if (node.resolved.startsWith('file:')) {
      const allowed =
        rules.localRoot !== undefined &&
        node.location === `node_modules/${rules.localRoot}` &&
        isSha512Integrity(node.integrity) &&
        node.resolved === localTarballResolved(node.integrity);
      if (!allowed) {
        add('RESOLVED_UNTRUSTED', 'resolved is a file, and only a local package’s own stored tarball may be', {
          resolved: node.resolved,
        });
      }
      return;
    }
    let url: URL | null = null;
    try {
      url = new URL(node.resolved);
    } catch {
      add('RESOLVED_UNTRUSTED', 'resolved is not a URL', { resolved: node.resolved });
    }
    if (url) {
      const registry = registries.find((r) => r.protocol === url.protocol && r.host === url.host);
      const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
      if (!secure || !registry) {
        add('RESOLVED_UNTRUSTED', `resolved points to ${url.protocol}//${url.host}, not a trusted registry`, {
          resolved: node.resolved,
        });
      } else {
        const prefix = registry.pathname.replace(/\/$/, '');
        const expected = prefix + expectedTarballPath(node.name, node.version);
        const tarballPath = decodedPath(url);
        if (tarballPath === null) {
          add('MANIFEST_INVALID', 'resolved has a malformed %-escape in its path', { resolved: node.resolved });
        } else if (tarballPath !== expected || url.search !== '' || url.hash !== '') {
          add('RESOLVED_UNTRUSTED', `resolved is not the tarball of ${node.name}@${node.version}`, {
            resolved: node.resolved,
            expected,
          });
        }
      }
    }
  });
  return findings;
}

/** The URL's path with %-escapes decoded, or null when an escape is malformed (decodeURIComponent throws). */
function decodedPath(url: URL): string | null {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
}

/** Sort nodes by location so a tree has exactly one canonical form. */
export function sortTree(nodes: readonly TreeNode[]): TreeNode[] {
  return [...nodes].sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
}

export function treeDigest(nodes: readonly TreeNode[]): Digest {
  return canonicalDigest(sortTree(nodes));
}
