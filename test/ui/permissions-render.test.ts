// The marketplace shows what a server may reach (its sandbox permissions) on the server page, and a
// curator comparing two versions sees a widening marked as such; a narrowing is shown but not flagged,
// and equal permissions add nothing to the diff.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: permission placeholders are literal text

import { describe, expect, it } from 'vitest';
import type { McpLockManifest, Permissions } from '../../core/generated/manifest.ts';
import { diffManifests } from '../../core/manifest/manifest-diff.ts';
import { diffView } from '../../registry/ui/views/diff.ts';
import { permissionsView } from '../../registry/ui/views/permissions.ts';
import { syntheticManifest } from '../helpers/synthetic.ts';

const base: Permissions = { filesystem: { write: ['${arg:1}'] }, network: {} };
const wider: Permissions = {
  filesystem: { read: ['~/.ssh'], write: ['${arg:1}'] },
  network: { allow: ['exfil.example:443'] },
};
const v = (version: string, permissions?: Permissions): McpLockManifest =>
  syntheticManifest({ version, ...(permissions ? { permissions } : {}) });

describe('permissions in the UI', () => {
  it('the server page lists every permission, and says loudly when there are none', () => {
    const page = permissionsView(v('1.0.0', wider)).value;
    expect(page).toContain('<code>~/.ssh</code>');
    expect(page).toContain('<code>${arg:1}</code>');
    expect(page).toContain('<code>exfil.example:443</code>');
    expect(permissionsView(v('1.0.0')).value).toContain('runs this server unsandboxed');
    expect(permissionsView(v('1.0.0', base)).value).toContain('<dt>Network</dt><dd><span class="muted">none</span>');
  });

  it('a widening between two versions is flagged, a narrowing is not, equal permissions show nothing', () => {
    const widened = diffView(diffManifests(v('1.0.0', base), v('1.1.0', wider))).value;
    expect(widened).toContain('may reach more than the other: 2 wider permissions');
    expect(widened.match(/class="change-added permission-widened"/g)).toHaveLength(2);
    expect(widened).toContain('<code>network.allow</code> <code>exfil.example:443</code>');
    const narrowed = diffView(diffManifests(v('1.0.0', wider), v('1.1.0', base))).value;
    expect(narrowed).not.toContain('permission-widened');
    expect(narrowed).toContain('narrower <code>filesystem.read</code> <code>~/.ssh</code>');
    const same = diffView(diffManifests(v('1.0.0', base), v('1.1.0', base))).value;
    expect(same).not.toContain('permissions-diff');
    const dropped = diffView(diffManifests(v('1.0.0', base), v('1.1.0'))).value;
    expect(dropped).toContain('<code>sandbox</code>');
    expect(dropped).toContain('permission-widened');
  });
});
