// biome-ignore-all lint/suspicious/noTemplateCurlyInString: permission placeholders are literal text
import { describe, expect, it } from 'vitest';
import type { LockedServer } from '../../../core/generated/lockfile.ts';
import {
  checkEntryAgainstManifest,
  emptyLock,
  entryFromManifest,
  formatLock,
  parseLock,
} from '../../../core/lockfile/lockfile.ts';
import { manifestDigest } from '../../../core/manifest/manifest.ts';
import { expectCode } from '../../helpers/expect-code.ts';
import { syntheticManifest } from '../../helpers/synthetic.ts';

const manifest = syntheticManifest();
const files = `sha256:${'a'.repeat(64)}`;
const entry = entryFromManifest(manifest, {
  source: { type: 'registry', registry: 'https://registry.example' },
  signer: {
    type: 'keyless',
    identity: 'https://github.com/acme/weather/.github/workflows/release.yml@refs/tags/v1',
    issuer: 'https://token.actions.githubusercontent.com',
  },
  approval: { registry: 'https://registry.example', keyId: 'b'.repeat(64) },
  files,
});

describe('lock entries', () => {
  it('derive every pin from the manifest', () => {
    expect(entry.manifest).toBe(manifestDigest(manifest));
    expect(entry.package?.integrity).toBe(manifest.package?.integrity);
    expect(Object.keys(entry.surface.tools)).toEqual(['get_alerts', 'get_forecast']);
    expect(entry.unsigned).toBeUndefined();
    expect(checkEntryAgainstManifest('io.github.acme/weather', entry, manifest)).toEqual([]);
  });
  it('mark unsigned entries explicitly', () => {
    const tofu = entryFromManifest(manifest, {
      source: { type: 'tofu', spec: '@acme/weather-mcp@1.0.0' },
      signer: null,
      approval: null,
      files,
    });
    expect(tofu.unsigned).toBe(true);
  });
  const edits: [string, (e: LockedServer) => void][] = [
    [
      'manifest digest',
      (e) => {
        e.manifest = `sha256:${'c'.repeat(64)}`;
      },
    ],
    [
      'version',
      (e) => {
        e.version = '1.0.1';
      },
    ],
    [
      'integrity',
      (e) => {
        e.package!.integrity = `sha512-${'A'.repeat(86)}==`;
      },
    ],
    [
      'resolved',
      (e) => {
        e.package!.resolved = 'https://evil.example/x.tgz';
      },
    ],
    [
      'tree digest',
      (e) => {
        e.package!.tree = `sha256:${'d'.repeat(64)}`;
      },
    ],
    [
      'a tool pin',
      (e) => {
        e.surface.tools.get_forecast = `sha256:${'e'.repeat(64)}`;
      },
    ],
    [
      'an extra tool pin',
      (e) => {
        e.surface.tools.extra = `sha256:${'e'.repeat(64)}`;
      },
    ],
    [
      'instructions',
      (e) => {
        e.surface.instructions = null;
      },
    ],
    [
      'coverage',
      (e) => {
        e.surface.coverage = { ...e.surface.coverage, kinds: ['tools'] };
      },
    ],
    [
      'unsigned flag',
      (e) => {
        e.unsigned = true;
      },
    ],
    [
      'permissions (added to a manifest that declares none)',
      (e) => {
        e.permissions = { filesystem: {}, network: {} };
      },
    ],
  ];
  it.each(edits)('a hand-edited %s is LOCK_TAMPERED', (_what, edit) => {
    const copy = structuredClone(entry);
    edit(copy);
    const findings = checkEntryAgainstManifest('io.github.acme/weather', copy, manifest);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.code === 'LOCK_TAMPERED')).toBe(true);
  });
});

describe('lock entries with permissions', () => {
  const sandboxed = syntheticManifest({ permissions: { filesystem: { read: ['${arg:1}'] }, network: {} } });
  const locked = entryFromManifest(sandboxed, {
    source: { type: 'tofu', spec: 'x' },
    signer: null,
    approval: null,
    files,
  });
  it("carry the manifest's permissions, and a widened copy in the lock is LOCK_TAMPERED", () => {
    expect(locked.permissions).toEqual(sandboxed.permissions);
    expect(manifestDigest(sandboxed)).not.toBe(manifestDigest(manifest));
    expect(checkEntryAgainstManifest('io.github.acme/weather', locked, sandboxed)).toEqual([]);
    const wider = structuredClone(locked);
    wider.permissions!.network.allow = ['evil.example:443'];
    expect(checkEntryAgainstManifest('io.github.acme/weather', wider, sandboxed).map((f) => f.code)).toEqual([
      'LOCK_TAMPERED',
    ]);
    const dropped = structuredClone(locked);
    delete dropped.permissions;
    expect(checkEntryAgainstManifest('io.github.acme/weather', dropped, sandboxed).map((f) => f.path)).toEqual([
      '$.servers["io.github.acme/weather"].permissions',
    ]);
  });
});

describe('lock files', () => {
  it('round-trip deterministically', () => {
    const lock = { ...emptyLock(), servers: { 'io.github.acme/weather': entry } };
    const text = formatLock(lock);
    expect(text.endsWith('}\n')).toBe(true);
    expect(formatLock(parseLock(text))).toBe(text);
    const reverse = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverse)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            )
          : v;
    const reordered = JSON.stringify(reverse(JSON.parse(text)));
    expect(reordered).not.toBe(JSON.stringify(JSON.parse(text)));
    expect(formatLock(parseLock(reordered))).toBe(text);
  });
  it('are parsed strictly', () => {
    expectCode(() => parseLock('{"lockfileVersion":1,"lockfileVersion":1}'), 'JSON_DUPLICATE_KEY');
    expectCode(() => parseLock('{"$schema":"x"}'), 'LOCK_INVALID');
    expectCode(() => parseLock(formatLock({ ...emptyLock(), servers: { 'not a name': entry } })), 'LOCK_INVALID');
  });
});
