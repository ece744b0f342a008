// A manifest whose package root is a local tarball (#11.7) passes the manifest rules only where a
// consumer's TOFU pin allows it (the lock's tree rules); the publisher/registry rules refuse it.

import { describe, expect, it } from 'vitest';
import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import { localTarballResolved, treeDigest } from '../../../core/manifest/check-tree.ts';
import { checkManifest } from '../../../core/manifest/manifest.ts';
import { syntheticManifest } from '../../helpers/synthetic.ts';

/** The synthetic manifest with its root package moved to the project's stored tarball. */
function localManifest(): McpLockManifest {
  const m = structuredClone(syntheticManifest());
  const pkg = m.package!;
  const resolved = localTarballResolved(pkg.integrity);
  pkg.resolved = resolved;
  pkg.tree = pkg.tree.map((n) => (n.location === `node_modules/${pkg.identifier}` ? { ...n, resolved } : n));
  pkg.treeDigest = treeDigest(pkg.tree);
  return m;
}

const codes = (m: McpLockManifest, rules?: Parameters<typeof checkManifest>[1]) =>
  checkManifest(m, rules).map((f) => f.code);

describe('a local package root in a manifest', () => {
  it('passes under the rules of a lock (allowLocalRoot); a registry manifest passes both (benign)', () => {
    const rules = { registries: ['https://registry.npmjs.org'], allowLocalRoot: true };
    expect(codes(localManifest(), rules)).toEqual([]);
    expect(codes(syntheticManifest(), rules)).toEqual([]);
    expect(codes(syntheticManifest())).toEqual([]);
  });
  it('is refused by the publisher rules and by rules that do not allow it', () => {
    expect(codes(localManifest())).toEqual(['RESOLVED_UNTRUSTED']);
    expect(codes(localManifest(), { registries: ['https://registry.npmjs.org'] })).toEqual(['RESOLVED_UNTRUSTED']);
  });
});
