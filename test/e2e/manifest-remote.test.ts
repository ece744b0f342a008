// `mcp-lock manifest --url` against the official SDK's Streamable HTTP server, in both answer styles (JSON
// bodies and SSE streams, the SDK's default), with protocol auto-detection: the handshake-era server
// refuses server/discover with HTTP 400 and is then read through initialize.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { runCli } from '../helpers/cli.ts';
import { type SdkHttp, startSdkHttp } from '../helpers/sdk-http-server.ts';

let work: string;
let server: SdkHttp;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-remote-manifest-'));
  server = await startSdkHttp();
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('manifest --url', () => {
  it.each([
    ['JSON answers', true],
    ['SSE answers', false],
  ])('reads the whole surface of an SDK server with %s', async (_label, json) => {
    server.json = json;
    const out = join(work, `remote-${json}.json`);
    const r = await runCli(['manifest', '--url', server.url, '--name', 'io.github.test/notes', '--out', out], {
      cwd: work,
    });
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(out, 'utf8')) as McpLockManifest;
    expect(manifest.server.remotes).toEqual([{ type: 'streamable-http', url: server.url }]);
    expect(manifest.server.version).toBe('1.2.3');
    expect(manifest.package).toBeUndefined();
    expect(manifest.surface.instructions?.text).toBe('Look notes up before you answer.');
    expect(manifest.surface.tools.map((t) => t.key)).toEqual(['count', 'lookup']);
  });

  it('refuses plain http to anything but loopback', async () => {
    const r = await runCli(
      ['manifest', '--url', 'http://example.com/mcp', '--name', 'io.github.test/notes', '--json'],
      { cwd: work },
    );
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('USAGE');
  });
});
