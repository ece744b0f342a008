// The "adds resources at run time" declaration (#10.10) travels from the manifest's surface into the lock
// entry, and is part of the reviewed pin: a lock that adds or drops it by hand is tampering, and a new
// version that adds it shows in the diff (a widened permission is drift a reviewer sees).

import { describe, expect, it } from 'vitest';
import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import { checkEntryAgainstManifest, entryFromManifest } from '../../../core/lockfile/lockfile.ts';
import { manifestDigest } from '../../../core/manifest/manifest.ts';
import { diffManifests, surfaceUnchanged } from '../../../core/manifest/manifest-diff.ts';
import { syntheticManifest } from '../../helpers/synthetic.ts';

const plain = syntheticManifest();
const dynamic: McpLockManifest = { ...plain, surface: { ...plain.surface, dynamicResources: true } };
const provenance = {
  source: { type: 'tofu' as const, spec: '@acme/weather-mcp@1.0.0' },
  signer: null,
  approval: null,
  files: `sha256:${'a'.repeat(64)}`,
};

describe('dynamicResources in the lock', () => {
  it('is copied from the manifest, and changes its digest', () => {
    expect(entryFromManifest(dynamic, provenance).surface.dynamicResources).toBe(true);
    expect(entryFromManifest(plain, provenance).surface.dynamicResources).toBeUndefined();
    expect(manifestDigest(dynamic)).not.toBe(manifestDigest(plain));
  });

  it('added or removed by hand is tampering', () => {
    const added = entryFromManifest(plain, provenance);
    added.surface.dynamicResources = true;
    expect(checkEntryAgainstManifest(plain.server.name, added, plain).map((f) => f.path)).toContain(
      `$.servers["${plain.server.name}"].surface.dynamicResources`,
    );
    const dropped = entryFromManifest(dynamic, provenance);
    delete dropped.surface.dynamicResources;
    expect(checkEntryAgainstManifest(dynamic.server.name, dropped, dynamic)).not.toEqual([]);
  });

  it('benign twin: an entry that matches its manifest has no findings', () => {
    expect(checkEntryAgainstManifest(dynamic.server.name, entryFromManifest(dynamic, provenance), dynamic)).toEqual([]);
  });

  it('a version that starts declaring it shows in the diff and is a surface change', () => {
    const diff = diffManifests(plain, dynamic);
    expect(diff.dynamicResources).toEqual({ from: false, to: true });
    expect(surfaceUnchanged(diff)).toBe(false);
    expect(diffManifests(plain, plain).dynamicResources).toBeNull();
  });
});
