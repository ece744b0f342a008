// A remote server that needs an Authorization header, on loopback with the official SDK's Streamable HTTP
// transport (401 without the right bearer token): pinned with `add --tofu --url --header` and through
// `import` of a Claude Code config, run through the guard with the token from the environment, and the
// token's value never written to the lock, a manifest, the audit log or the wrapped config.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, jsonError, runCli } from '../helpers/cli.ts';
import { connectSdk } from '../helpers/locked-project.ts';
import { type SdkHttp, startSdkHttp } from '../helpers/sdk-http-server.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const TOKEN = 'tok-7f3a9c-never-stored';
const NAME = 'io.example/notes';
// biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} reference --header and Claude Code take
const REF = '${NOTES_TOKEN}';

let server: SdkHttp & { seen: string[] };
let dir: string;

const cli = (args: string[], env: Record<string, string | undefined> = {}, cwd = dir) =>
  runCli(args, { cwd, env: { NOTES_TOKEN: undefined, ...env }, timeoutMs: 60_000 });
const ok = (r: CliResult) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};

/** Everything mcp-lock wrote in the project (lock, manifests, audit log, backups). */
function written(root: string): string {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))
    .join('\n');
}

beforeAll(async () => {
  server = await startSdkHttp({ bearer: TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'mcp-lock-remote-auth-'));
  ok(await cli(['init']));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function session(token: string | undefined) {
  return connectSdk({
    command: process.execPath,
    args: [BIN, 'run', NAME, '--project', dir],
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1', ...(token ? { NOTES_TOKEN: token } : {}) },
  });
}

describe('a remote that needs an Authorization header', () => {
  it('is refused at pin time without its secret, and says which variable is missing', async () => {
    const add = ['add', '--tofu', '--url', server.url, '--name', NAME, '--header', `Authorization: Bearer ${REF}`];
    const r = await cli([...add, '--json']);
    expect(r.code).toBe(2);
    expect(jsonError(r).message).toMatch(/the Authorization header needs NOTES_TOKEN, which is not set/);
    // A literal credential would be stored: refused before anything is contacted.
    const literal = await cli([
      'add',
      '--tofu',
      '--url',
      server.url,
      '--name',
      NAME,
      '--header',
      'Authorization: Bearer x',
      '--json',
    ]);
    expect(literal.code).toBe(2);
    expect(jsonError(literal).message).toMatch(/literal value/);
    expect(JSON.parse(readFileSync(join(dir, 'mcp-lock.json'), 'utf8')).servers).toEqual({});
  });

  it('is pinned with the header as a template; the token is sent but never stored', async () => {
    const seenBefore = server.seen.length;
    ok(
      await cli(['add', '--tofu', '--url', server.url, '--name', NAME, '--header', `Authorization: Bearer ${REF}`], {
        NOTES_TOKEN: TOKEN,
      }),
    );
    expect(server.seen.slice(seenBefore).every((h) => h === `Bearer ${TOKEN}`)).toBe(true);
    const lock = JSON.parse(readFileSync(join(dir, 'mcp-lock.json'), 'utf8'));
    const hex = lock.servers[NAME].manifest.slice(7);
    const manifest = JSON.parse(readFileSync(join(dir, '.mcp-lock', 'manifests', `${hex}.json`), 'utf8'));
    expect(manifest.server.remotes[0].headers).toEqual([
      {
        name: 'Authorization',
        value: 'Bearer {NOTES_TOKEN}',
        variables: { NOTES_TOKEN: { isSecret: true, isRequired: true } },
      },
    ]);
    expect(Object.keys(lock.servers[NAME].surface.tools).sort()).toEqual(['count', 'lookup']);
    expect(written(dir)).not.toContain(TOKEN);
  });

  it('runs through the guard with the token from the environment; a wrong token gets no tools', async () => {
    const good = await session(TOKEN);
    try {
      const { tools } = await good.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['count', 'lookup']);
      const called = await good.client.callTool({ name: 'lookup', arguments: { q: 'pins' } });
      expect(called.content).toEqual([{ type: 'text', text: 'note about pins' }]);
    } finally {
      await good.close();
    }
    // Benign twin of the good session: the same pin with a wrong token is refused by the server.
    // Answered with the reason, not left to the request timeout.
    await expect(session('wrong-token')).rejects.toThrow(/refused initialize with HTTP 401/);
    await expect(session(undefined)).rejects.toThrow();
    expect(written(dir)).not.toContain(TOKEN);
  });

  it('import pins a config remote with headers, and wrap hands the reference to run through env', async () => {
    const other = mkdtempSync(join(tmpdir(), 'mcp-lock-remote-import-'));
    try {
      ok(await cli(['init'], {}, other));
      writeFileSync(
        join(other, '.mcp.json'),
        JSON.stringify({
          mcpServers: { notes: { type: 'http', url: server.url, headers: { Authorization: `Bearer ${REF}` } } },
        }),
      );
      const imported = ok(await cli(['import', '--client', 'claude-code', '--json'], { NOTES_TOKEN: TOKEN }, other));
      const row = JSON.parse(imported.stdout).servers[0];
      expect(row).toMatchObject({ key: 'notes', status: 'imported', source: 'tofu' });
      const wrapped = ok(await cli(['wrap', '--client', 'claude-code', '--json'], {}, other));
      expect(JSON.parse(wrapped.stdout).servers[0].action).toBe('wrap');
      const entry = JSON.parse(readFileSync(join(other, '.mcp.json'), 'utf8')).mcpServers.notes;
      expect(entry).toEqual({
        type: 'stdio',
        command: 'mcp-lock',
        args: ['run', row.name, '--project', '.'],
        env: { NOTES_TOKEN: REF },
      });
      expect(written(other)).not.toContain(TOKEN);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
