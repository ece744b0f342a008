import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../../../core/generated/manifest.ts';
import { checkTree, isLocalPackage, localTarballResolved } from '../../../core/manifest/check-tree.ts';
import { node } from '../../helpers/synthetic.ts';

const codes = (nodes: TreeNode[], registries?: string[]) =>
  checkTree(nodes, registries ? { registries } : undefined).map((f) => f.code);

describe('checkTree', () => {
  describe('a local package root (#11.7)', () => {
    const localCodes = (nodes: TreeNode[], localRoot?: string) =>
      checkTree(nodes, { registries: ['https://registry.npmjs.org'], ...(localRoot ? { localRoot } : {}) }).map(
        (f) => f.code,
      );
    const root = node('mine', '1.0.0');
    const local = { ...root, resolved: localTarballResolved(root.integrity!) };
    it('accepts the pinned root at its stored tarball, its dependencies from the registry (benign)', () => {
      expect(localCodes([local, node('dep', '2.0.0')], 'mine')).toEqual([]);
      expect(isLocalPackage(local)).toBe(true);
      expect(isLocalPackage(root)).toBe(false);
    });
    it('refuses a file: resolved anywhere else', () => {
      // Without a local pin, at another location, for a dependency, or naming another tarball than its integrity.
      expect(localCodes([local])).toEqual(['RESOLVED_UNTRUSTED']);
      expect(localCodes([{ ...local, location: 'node_modules/x/node_modules/mine' }], 'mine')).toEqual([
        'RESOLVED_UNTRUSTED',
      ]);
      const dep = node('dep', '2.0.0');
      expect(localCodes([local, { ...dep, resolved: localTarballResolved(dep.integrity!) }], 'mine')).toEqual([
        'RESOLVED_UNTRUSTED',
      ]);
      const other = node('other', '9.9.9');
      expect(localCodes([{ ...local, integrity: other.integrity! }], 'mine')).toEqual(['RESOLVED_UNTRUSTED']);
      expect(localCodes([{ ...local, resolved: 'file:../../etc/passwd.tgz' }], 'mine')).toEqual(['RESOLVED_UNTRUSTED']);
    });
  });
  it('accepts a well-formed tree, scoped and nested (benign)', () => {
    expect(
      codes([node('@acme/x', '1.0.0'), node('a', '1.0.0'), node('b', '2.0.0', 'node_modules/a/node_modules/b')]),
    ).toEqual([]);
  });
  it('refuses missing, empty, sha1 and malformed integrity', () => {
    const n = node('a', '1.0.0');
    const { integrity: _, ...missing } = n;
    expect(codes([missing as TreeNode])).toEqual(['INTEGRITY_MISSING']);
    expect(codes([{ ...n, integrity: '' }])).toEqual(['INTEGRITY_MISSING']);
    expect(codes([{ ...n, integrity: 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=' }])).toEqual(['INTEGRITY_MISSING']);
    expect(codes([{ ...n, integrity: `sha512-${'A'.repeat(85)}=` }])).toEqual(['INTEGRITY_MISSING']);
    expect(codes([{ ...n, integrity: `md5-${'A'.repeat(22)}==` }])).toEqual(['INTEGRITY_MISSING']);
  });
  it('refuses resolved URLs on another host, over http, or for another package', () => {
    const n = node('a', '1.0.0');
    expect(codes([{ ...n, resolved: 'https://evil.example/a/-/a-1.0.0.tgz' }])).toEqual(['RESOLVED_UNTRUSTED']);
    expect(codes([{ ...n, resolved: 'http://registry.npmjs.org/a/-/a-1.0.0.tgz' }])).toEqual(['RESOLVED_UNTRUSTED']);
    expect(codes([{ ...n, resolved: 'https://registry.npmjs.org/evil/-/evil-1.0.0.tgz' }])).toEqual([
      'RESOLVED_UNTRUSTED',
    ]);
    expect(codes([{ ...n, resolved: 'https://registry.npmjs.org/a/-/a-1.0.1.tgz' }])).toEqual(['RESOLVED_UNTRUSTED']);
    expect(codes([{ ...n, resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz?x=1' }])).toEqual([
      'RESOLVED_UNTRUSTED',
    ]);
    expect(codes([{ ...n, resolved: 'git+https://github.com/a/a.git#abc' }])).toEqual(['RESOLVED_UNTRUSTED']);
  });
  it('refuses a malformed %-escape in resolved with a finding, not a URIError (#10.7)', () => {
    const n = node('a', '1.0.0');
    for (const resolved of [
      'https://registry.npmjs.org/a/-/a-1.0.0%E0%A4%A.tgz',
      'https://registry.npmjs.org/%/-/a-1.0.0.tgz',
      'https://registry.npmjs.org/a/-/a-%C0%AF.tgz',
    ]) {
      expect(codes([{ ...n, resolved }]), resolved).toEqual(['MANIFEST_INVALID']);
    }
  });
  it('accepts a well-formed %-escape that decodes to the tarball path (benign twin)', () => {
    const n = node('@acme/x', '1.0.0');
    expect(codes([{ ...n, resolved: 'https://registry.npmjs.org/@acme%2fx/-/x-1.0.0.tgz' }])).toEqual([]);
    expect(codes([{ ...n, resolved: 'https://registry.npmjs.org/@acme%2Fx/-/x-1.0.0.tgz' }])).toEqual([]);
  });
  it('skips a configured registry that is not a URL instead of throwing', () => {
    expect(codes([node('a', '1.0.0')], ['not a url', 'https://registry.npmjs.org'])).toEqual([]);
  });
  it('accepts http only from a loopback registry that is configured', () => {
    const n = { ...node('a', '1.0.0'), resolved: 'http://127.0.0.1:4873/a/-/a-1.0.0.tgz' };
    expect(codes([n], ['http://127.0.0.1:4873'])).toEqual([]);
    expect(codes([n])).toEqual(['RESOLVED_UNTRUSTED']);
    expect(codes([{ ...n, resolved: 'http://10.0.0.1/a/-/a-1.0.0.tgz' }], ['http://10.0.0.1'])).toEqual([
      'RESOLVED_UNTRUSTED',
    ]);
  });
  it('refuses path tricks, aliases and duplicates', () => {
    expect(codes([node('a', '1.0.0', 'node_modules/../a')])).toContain('TREE_INVALID');
    expect(codes([node('a', '1.0.0', 'lib/a')])).toContain('TREE_INVALID');
    expect(codes([node('a', '1.0.0', 'node_modules/b')])).toEqual(['TREE_INVALID']);
    expect(codes([node('a', '1.0.0'), node('a', '1.0.0')])).toEqual(['TREE_INVALID']);
  });
});
