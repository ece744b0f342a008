// A remote on the deprecated HTTP+SSE transport (the official SDK's SSEServerTransport on loopback, behind
// a bearer check): pinned with `add --tofu --url --transport sse --header`, and from a Claude Code config
// entry of type "sse" through `import`; then the SDK client lists and calls its tool through `mcp-lock run`.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.ts';
import { connectSdk } from '../helpers/locked-project.ts';
import { type SdkSse, startSdkSse } from '../helpers/sdk-sse-server.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const TOKEN = 'sse-token-never-stored';
const NAME = 'io.example/legacy-notes';
// biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} reference --header and Claude Code take
const REF = '${LEGACY_TOKEN}';

let server: SdkSse;
let dir: string;

const cli = (args: string[], cwd: string, env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd, env: { LEGACY_TOKEN: TOKEN, ...env }, timeoutMs: 60_000 });
const ok = (r: CliResult) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};

async function callThroughRun(project: string, name: string): Promise<unknown> {
  const c = await connectSdk({
    command: process.execPath,
    args: [BIN, 'run', name, '--project', project],
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1', LEGACY_TOKEN: TOKEN },
  });
  try {
    expect(c.client.getInstructions()).toBe('Recall before you answer.');
    expect((await c.client.listTools()).tools.map((t) => t.name)).toEqual(['recall']);
    return (await c.client.callTool({ name: 'recall', arguments: { q: 'pins' } })).content;
  } finally {
    await c.close();
  }
}

beforeAll(async () => {
  server = await startSdkSse({ bearer: TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'mcp-lock-sse-'));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a legacy HTTP+SSE remote', () => {
  it('is pinned with add --tofu --transport sse and runs through the guard', async () => {
    const project = join(dir, 'add');
    ok(await runCli(['init', '--project', project], { cwd: dir }));
    ok(
      await cli(
        [
          'add',
          '--tofu',
          '--url',
          server.url,
          '--transport',
          'sse',
          '--name',
          NAME,
          '--header',
          `Authorization: Bearer ${REF}`,
        ],
        project,
      ),
    );
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    expect(lock.servers[NAME].remote).toEqual({ type: 'sse', url: server.url });
    expect(Object.keys(lock.servers[NAME].surface.tools)).toEqual(['recall']);
    expect(await callThroughRun(project, NAME)).toEqual([{ type: 'text', text: 'recalled pins' }]);
  });

  it('import pins a Claude Code "sse" entry instead of reporting it unpinnable', async () => {
    const project = join(dir, 'import');
    ok(await runCli(['init', '--project', project], { cwd: dir }));
    writeFileSync(
      join(project, '.mcp.json'),
      JSON.stringify({
        mcpServers: { legacy: { type: 'sse', url: server.url, headers: { Authorization: `Bearer ${REF}` } } },
      }),
    );
    const imported = ok(await cli(['import', '--client', 'claude-code', '--json'], project));
    const row = JSON.parse(imported.stdout).servers[0];
    expect(row).toMatchObject({ key: 'legacy', status: 'imported', source: 'tofu' });
    expect(await callThroughRun(project, row.name)).toEqual([{ type: 'text', text: 'recalled pins' }]);
  });
});
