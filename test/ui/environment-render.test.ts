// The server page's Environment section: the variables the manifest declares (never a value), escaped,
// with how a project passes more by name; a remote server and a server without variables say so.

import { describe, expect, test } from 'vitest';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { buildManifest } from '../../core/manifest/manifest.ts';
import { environmentView } from '../../registry/ui/views/environment.ts';
import { remoteManifest, syntheticManifest } from '../helpers/synthetic.ts';

function withEnv(
  vars: NonNullable<NonNullable<McpLockManifest['server']['packages']>[number]['environmentVariables']>,
): McpLockManifest {
  const base = syntheticManifest();
  const packages = base.server.packages!.map((p) => ({ ...p, environmentVariables: vars }));
  return buildManifest({
    ...(base.generator ? { generator: base.generator } : {}),
    server: { ...base.server, packages },
    package: base.package!,
    surface: base.surface,
  } as never);
}

describe('environmentView', () => {
  test('lists each declared variable with required/secret and its escaped description, never a value', () => {
    const html = environmentView(
      withEnv([
        {
          name: 'WEATHER_API_KEY',
          isRequired: true,
          isSecret: true,
          description: '<img src=x onerror=alert(1)> key',
          default: 'sk-live-123',
        },
        { name: 'WEATHER_UNITS', description: 'metric or imperial' },
      ]),
    ).value;
    expect(html).toContain('>WEATHER_API_KEY</code>');
    expect(html).toMatch(/required, <strong>secret<\/strong>/);
    expect(html).toContain('>WEATHER_UNITS</code></th><td>optional');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
    expect(html).not.toContain('sk-live-123');
    expect(html).toContain('--pass-env NAME');
  });

  test('no variables, and a remote server, each say what happens', () => {
    expect(environmentView(syntheticManifest()).value).toContain('declares no variables');
    const remote = environmentView(remoteManifest()).value;
    expect(remote).toContain('A remote server');
    expect(remote).not.toContain('--pass-env');
  });
});
