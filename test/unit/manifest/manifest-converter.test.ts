// The converter from parsed JSON to a typed manifest (checkManifestValue, parseStoredManifest): the
// type is granted only after the schema and the consistency checks say so.

import { describe, expect, it } from 'vitest';
import { checkManifestValue, formatManifest, parseStoredManifest } from '../../../core/manifest/manifest.ts';
import { syntheticManifest } from '../../helpers/synthetic.ts';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('checkManifestValue', () => {
  it('types a valid manifest and reports nothing (benign)', () => {
    const manifest = syntheticManifest();
    const checked = checkManifestValue(JSON.parse(JSON.stringify(manifest)));
    expect(checked.findings).toEqual([]);
    expect(checked.value?.server.name).toBe(manifest.server.name);
  });

  it('withholds the type from a value of the wrong shape, with schema findings', () => {
    const value = { ...JSON.parse(JSON.stringify(syntheticManifest())), surface: 'not an object' };
    const checked = checkManifestValue(value);
    expect(checked.value).toBeNull();
    expect(checked.findings[0]).toMatchObject({ code: 'MANIFEST_INVALID', path: '$.surface' });
  });

  it('withholds the type from a well-shaped manifest whose digests do not add up', () => {
    const value = JSON.parse(JSON.stringify(syntheticManifest()));
    value.package.treeDigest = `sha256:${'0'.repeat(64)}`;
    const checked = checkManifestValue(value);
    expect(checked.value).toBeNull();
    expect(checked.findings.length).toBeGreaterThan(0);
  });
});

describe('parseStoredManifest', () => {
  it('reads back a stored manifest (benign)', () => {
    const manifest = syntheticManifest();
    const read = parseStoredManifest(new TextEncoder().encode(formatManifest(manifest)), 'the stored manifest');
    expect(read).toEqual(manifest);
  });

  it('refuses stored bytes that are JSON but not a manifest, as a storage error naming the field', () => {
    expect(() => parseStoredManifest(bytes({ hello: 'world' }), 'the stored manifest of x@1')).toThrowWithCode(
      'STORAGE_ERROR',
    );
    expect(() => parseStoredManifest(bytes({ hello: 'world' }), 'the stored manifest of x@1')).toThrow(
      /the stored manifest of x@1 does not match the manifest schema/,
    );
  });

  it('refuses stored bytes that are not strict JSON (duplicate keys)', () => {
    const text = '{"a":1,"a":2}';
    expect(() => parseStoredManifest(new TextEncoder().encode(text), 'the stored manifest')).toThrow();
  });
});
