// The pure pin rules: which statuses pin, that a served manifest is the one asked for and listed, what
// add may replace, and what a change leaves unused. Each function is given the lock and never changes it.

import { describe, expect, test } from 'vitest';
import { assertAddable, planPin, planRemove } from '../../../core/consumer/plan.ts';
import {
  type VersionFacts,
  verifyPinnableStatus,
  verifyRegistryPin,
  verifySignedApproval,
} from '../../../core/consumer/registry-pin.ts';
import type { LockedServer, McpLockFile } from '../../../core/generated/lockfile.ts';
import { emptyLock, entryFromManifest } from '../../../core/lockfile/lockfile.ts';
import { manifestDigest } from '../../../core/manifest/manifest.ts';
import { syntheticManifest } from '../../helpers/synthetic.ts';

const m1 = syntheticManifest({ version: '1.0.0' });
const m2 = syntheticManifest({ version: '1.1.0' });
const d1 = manifestDigest(m1);
const d2 = manifestDigest(m2);
const REGISTRY = 'https://registry.example';

function entry(manifest: typeof m1, tofu = false): LockedServer {
  return entryFromManifest(manifest, {
    source: tofu ? { type: 'tofu', spec: '@acme/weather-mcp' } : { type: 'registry', registry: REGISTRY },
    signer: tofu ? null : { type: 'key', keyId: 'k', publicKey: 'pem' },
    approval: null,
    files: `sha256:${'0'.repeat(64)}`,
  });
}

function lockWith(servers: Record<string, LockedServer>): McpLockFile {
  return { ...emptyLock(), servers };
}

const facts = (over: Partial<VersionFacts> = {}): VersionFacts => ({
  name: 'io.github.acme/weather',
  version: '1.0.0',
  status: 'approved',
  statusReason: null,
  manifestDigest: d1,
  from: 'signed targets',
  ...over,
});

describe('verifyPinnableStatus and verifyRegistryPin', () => {
  test('approved and deprecated pin; yanked, rejected and pending do not, each with its own code', () => {
    expect(() => verifyPinnableStatus(facts())).not.toThrow();
    expect(() => verifyPinnableStatus(facts({ status: 'deprecated' }))).not.toThrow();
    expect(() => verifyPinnableStatus(facts({ status: 'yanked', statusReason: 'leaked key' }))).toThrowWithCode(
      'VERSION_YANKED',
    );
    expect(() => verifyPinnableStatus(facts({ status: 'rejected' }))).toThrowWithCode('VERSION_REJECTED');
    expect(() => verifyPinnableStatus(facts({ status: 'pending' }))).toThrowWithCode('APPROVAL_MISSING');
  });

  test('the served manifest must be the server and version asked for, with the listed digest', () => {
    expect(() => verifyRegistryPin(facts(), m1, d1)).not.toThrow();
    expect(() => verifyRegistryPin(facts(), m2, d2)).toThrowWithCode('SUBJECT_MISMATCH');
    expect(() => verifyRegistryPin(facts({ version: '1.1.0' }), m2, d2)).toThrowWithCode('DIGEST_MISMATCH');
    expect(() => verifyRegistryPin(facts({ status: 'yanked' }), m1, d1)).toThrowWithCode('VERSION_YANKED');
  });

  test('the approval must be the one the signed targets name, and one must be named', () => {
    expect(() => verifySignedApproval('n', '1', d1, d1)).not.toThrow();
    expect(() => verifySignedApproval('n', '1', d1, d2)).toThrowWithCode('DIGEST_MISMATCH');
    expect(() => verifySignedApproval('n', '1', null, d2)).toThrowWithCode('DIGEST_MISMATCH');
  });
});

describe('assertAddable', () => {
  const name = 'io.github.acme/weather';
  test('a new name, or the same manifest again, may be added', () => {
    expect(() => assertAddable(emptyLock(), { name, manifest: d1, version: '1.0.0', tofu: false })).not.toThrow();
    const lock = lockWith({ [name]: entry(m1) });
    expect(() => assertAddable(lock, { name, manifest: d1, version: '1.0.0', tofu: false })).not.toThrow();
  });

  test('another version of a pinned name moves with update; an unsigned pin never replaces a registry pin', () => {
    const lock = lockWith({ [name]: entry(m1) });
    expect(() => assertAddable(lock, { name, manifest: d2, version: '1.1.0', tofu: false })).toThrowWithCode(
      'CONFLICT',
    );
    expect(() => assertAddable(lock, { name, manifest: d1, version: '1.0.0', tofu: true })).toThrowWithCode('CONFLICT');
    // A TOFU pin may be re-added over a TOFU pin of the same manifest.
    const tofu = lockWith({ [name]: entry(m1, true) });
    expect(() => assertAddable(tofu, { name, manifest: d1, version: '1.0.0', tofu: true })).not.toThrow();
  });
});

describe('planPin and planRemove', () => {
  const a = 'io.github.acme/weather';
  const b = 'io.github.acme/weather-copy';

  test('planPin returns a new lock and leaves the given one untouched', () => {
    const lock = lockWith({ [a]: entry(m1) });
    const before = JSON.stringify(lock);
    const plan = planPin(lock, a, entry(m2));
    expect(JSON.stringify(lock)).toBe(before);
    expect(plan.lock.servers[a]!.manifest).toBe(d2);
    expect(plan.orphans).toEqual({ manifest: d1, store: { name: a, digest: d1 } });
  });

  test('a manifest another entry still uses is not orphaned; its store directory under this name is', () => {
    const lock = lockWith({ [a]: entry(m1), [b]: entry(m1) });
    expect(planPin(lock, a, entry(m2)).orphans).toEqual({ manifest: null, store: { name: a, digest: d1 } });
    expect(planRemove(lock, a).orphans).toEqual({ manifest: null, store: { name: a, digest: d1 } });
  });

  test('re-pinning the same manifest orphans nothing; removing the only user orphans both', () => {
    const lock = lockWith({ [a]: entry(m1) });
    expect(planPin(lock, a, entry(m1)).orphans).toEqual({ manifest: null, store: null });
    const removed = planRemove(lock, a);
    expect(removed.lock.servers).toEqual({});
    expect(removed.orphans).toEqual({ manifest: d1, store: { name: a, digest: d1 } });
    expect(Object.keys(lock.servers)).toEqual([a]);
  });

  test('removing what is not pinned is NOT_FOUND', () => {
    expect(() => planRemove(emptyLock(), a)).toThrowWithCode('NOT_FOUND');
  });

  test('the registry state a pin was verified against is recorded with it', () => {
    const lock: McpLockFile = { ...emptyLock(), registries: { [REGISTRY]: { approvalKeys: [] } } };
    const seen = { root: 1, timestamp: 2, snapshot: 3, targets: 4 } as never;
    const plan = planPin(lock, a, entry(m1), { registry: REGISTRY, seen });
    expect(plan.lock.registries[REGISTRY]!.tufSeen).toEqual(seen);
    expect(lock.registries[REGISTRY]!.tufSeen).toBeUndefined();
  });
});
