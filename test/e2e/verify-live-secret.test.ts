// Issue #11.9: `verify --live` with a required secret unset could not check anything, so it exits 3
// (could not verify) with SECRET_MISSING, not 1 (verification failed). With the secret set it verifies.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { type NpmRegistry, startNpmRegistry } from '../helpers/npm-registry.ts';
import { tinyServerPackage } from '../helpers/tiny-server.ts';

const TOOL = { name: 'weather', description: 'Weather.', inputSchema: { type: 'object' } };
let registry: NpmRegistry;
let project: string;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'mcp-lock-secret-'));
  registry = await startNpmRegistry({ packages: [tinyServerPackage('@test/secret-mcp', { tools: [TOOL] })] });
});

afterAll(async () => {
  await registry.close();
  rmSync(project, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string | undefined>) =>
  runCli(args, { cwd: project, env, timeoutMs: 120_000 });

describe('verify --live and a required secret', () => {
  it('unset: exit 3, SECRET_MISSING naming the variable; set: exit 0', async () => {
    expect((await cli(['init'], {})).code).toBe(0);
    const add = await cli(
      ['add', '--tofu', '@test/secret-mcp@1.0.0', '--secret-env', 'WEATHER_TOKEN', '--npm-registry', registry.url],
      { WEATHER_TOKEN: 'at-pin-time' },
    );
    expect(add.code, add.stderr).toBe(0);

    const unset = await cli(['verify', '--live', '--json'], { WEATHER_TOKEN: undefined });
    expect(unset.code, unset.stdout).toBe(3);
    const findings = JSON.parse(unset.stdout).servers[0].findings;
    expect(findings).toEqual([
      expect.objectContaining({ code: 'SECRET_MISSING', message: expect.stringMatching(/WEATHER_TOKEN/) }),
    ]);

    const offline = await cli(['verify'], { WEATHER_TOKEN: undefined });
    expect(offline.code, 'benign twin: offline verify needs no secret').toBe(0);
    const set = await cli(['verify', '--live'], { WEATHER_TOKEN: 'now-set' });
    expect(set.code, set.stdout + set.stderr).toBe(0);
  });
});
