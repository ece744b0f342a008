// The sandbox with the real @modelcontextprotocol/server-filesystem from the npm registry, pinned with
// `add --tofu` and its root directory (--arg ROOT --allow-write '${arg:1}'), in a temporary HOME holding a
// planted ~/.ssh/id_rsa. The MCP client declares the roots capability and answers roots/list with the
// whole HOME: the server then trusts HOME itself (its own path checks pass for ~/.ssh/id_rsa, for
// ROOT/../.ssh/id_rsa and for a symlink in ROOT that points at it), so only the sandbox stands between it
// and the key. Through `mcp-lock run` the root works and the key cannot be read three ways; the same
// installed server connected directly reads it all three ways (the benign twin that shows the attack is
// real). Also: fail closed without bwrap (exit 3, for run and verify --live), --no-sandbox is loud and
// audited, and verify reports whether run would sandbox it here.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: permission placeholders are literal text

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { requireBwrap } from '../helpers/sandbox.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const NAME = 'io.github.test/files';
const SPEC = '@modelcontextprotocol/server-filesystem@2026.8.31';
const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nplanted-for-the-sandbox-test\n';

let work: string;
let home: string;
let root: string;
let project: string;
let env: Record<string, string>;

interface Connection {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

/** The SDK client with the roots capability, offering the whole HOME as its root. */
async function connect(command: string, args: string[]): Promise<Connection> {
  const transport = new StdioClientTransport({ command, args, env, cwd: project, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const client = new Client({ name: 'sandbox-test', version: '1.0.0' }, { capabilities: { roots: {} } });
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: `file://${home}`, name: 'home' }] }));
  await client.connect(transport);
  // The server asks for roots after the handshake; wait until it uses them.
  for (let i = 0; (await allowedDirectories(client)).join() !== home; i++) {
    if (i === 50) throw new Error(`the server never took the client's roots; stderr: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

async function allowedDirectories(client: Client): Promise<string[]> {
  const r = (await client.callTool({ name: 'list_allowed_directories', arguments: {} })) as {
    content: { text?: string }[];
  };
  return (r.content[0]?.text ?? '').split('\n').slice(1);
}

async function read(conn: Connection, path: string): Promise<{ ok: boolean; text: string }> {
  try {
    const r = (await conn.client.callTool({ name: 'read_text_file', arguments: { path } })) as {
      isError?: boolean;
      content: { type: string; text?: string }[];
    };
    return { ok: !r.isError, text: r.content.map((c) => c.text ?? '').join('') };
  } catch (error) {
    return { ok: false, text: String(error) };
  }
}

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { cwd: project, env: { ...env, ...extra }, timeoutMs: 180_000 });

beforeAll(async () => {
  requireBwrap();
  work = mkdtempSync(join(tmpdir(), 'mcp-lock-sandbox-fs-'));
  home = join(work, 'home');
  root = join(home, 'work');
  project = join(work, 'project');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  mkdirSync(root, { recursive: true });
  mkdirSync(project);
  writeFileSync(join(home, '.ssh', 'id_rsa'), SECRET);
  chmodSync(join(home, '.ssh', 'id_rsa'), 0o600);
  writeFileSync(join(root, 'notes.txt'), 'inside the root\n');
  symlinkSync(join(home, '.ssh', 'id_rsa'), join(root, 'innocent.txt'));
  env = {
    ...(process.env as Record<string, string>),
    HOME: home,
    NO_COLOR: '1',
    npm_config_cache: join(work, 'npm-cache'),
  };
  expect((await cli(['init'])).code).toBe(0);
  const add = await cli(['add', '--tofu', SPEC, '--name', NAME, '--arg', root, '--allow-write', '${arg:1}', '--json']);
  expect(add.code, add.stderr).toBe(0);
  expect(JSON.parse(add.stdout).entry.permissions).toEqual({ filesystem: { write: ['${arg:1}'] }, network: {} });
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('server-filesystem in the sandbox', () => {
  const attacks = () => [
    join(home, '.ssh', 'id_rsa'),
    `${root}/../.ssh/id_rsa`,
    join(root, 'innocent.txt'), // a symlink out of the root
  ];

  it('connected directly (no sandbox), the server reads the planted key all three ways', async () => {
    const lock = JSON.parse(readFileSync(join(project, 'mcp-lock.json'), 'utf8'));
    const hex = lock.servers[NAME].manifest.slice('sha256:'.length);
    const bin = join(
      project,
      '.mcp-lock/store',
      encodeURIComponent(NAME),
      hex,
      'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js',
    );
    const direct = await connect(process.execPath, [bin, root]);
    try {
      for (const path of attacks()) {
        const r = await read(direct, path);
        expect(r.text, path).toContain('planted-for-the-sandbox-test');
      }
    } finally {
      await direct.close();
    }
  });

  it('through run, the root is readable and writable, and the key cannot be read any of the three ways', async () => {
    const conn = await connect(process.execPath, [BIN, 'run', NAME, '--project', project]);
    try {
      expect(await read(conn, join(root, 'notes.txt'))).toEqual({ ok: true, text: 'inside the root\n' });
      const write = await conn.client.callTool({
        name: 'write_file',
        arguments: { path: join(root, 'out.txt'), content: 'written in the sandbox' },
      });
      expect(write.isError).toBeFalsy();
      expect(readFileSync(join(root, 'out.txt'), 'utf8')).toBe('written in the sandbox');
      for (const path of attacks()) {
        const r = await read(conn, path);
        expect(r.ok, `${path}: ${r.text}`).toBe(false);
        expect(r.text).not.toContain('planted-for-the-sandbox-test');
      }
      // The server saw the client's HOME root, so its own checks passed: the sandbox refused.
      expect(await allowedDirectories(conn.client)).toEqual([home]);
      expect(conn.stderr()).not.toContain('WARNING');
    } finally {
      await conn.close();
    }
    const audit = readFileSync(join(project, '.mcp-lock/audit', `${encodeURIComponent(NAME)}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.find((e) => e.event === 'sandbox' && e.state === 'sandboxed')).toMatchObject({
      decision: 'allowed',
      write: [root],
      read: [],
      network: [],
    });
  });

  it('--no-sandbox starts it unsandboxed, says so loudly on stderr and in the audit log', async () => {
    const conn = await connect(process.execPath, [BIN, 'run', NAME, '--project', project, '--no-sandbox']);
    try {
      expect((await read(conn, join(home, '.ssh', 'id_rsa'))).text).toContain('planted-for-the-sandbox-test');
      expect(conn.stderr()).toMatch(/WARNING: --no-sandbox: io\.github\.test\/files runs WITHOUT the sandbox/);
    } finally {
      await conn.close();
    }
    const audit = readFileSync(join(project, '.mcp-lock/audit', `${encodeURIComponent(NAME)}.jsonl`), 'utf8');
    expect(audit).toContain('"state":"disabled","reason":"--no-sandbox"');
  });

  it('fails closed with exit 3 and a hint when bwrap is missing or cannot create namespaces', async () => {
    const fake = join(work, 'bwrap-no-userns');
    writeFileSync(fake, '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    for (const [bwrap, reason] of [
      [join(work, 'no-such-bwrap'), /bubblewrap \(bwrap\) is not installed/],
      [fake, /cannot create a sandbox here: bwrap: No permissions to create new namespace/],
    ] as const) {
      const r = await cli(['run', NAME, '--project', project], { MCP_LOCK_BWRAP: bwrap });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).toContain('SANDBOX_UNAVAILABLE');
      expect(r.stderr).toMatch(/hint: .*(bubblewrap|user namespaces)/);
      const verify = await cli(['verify', '--json'], { MCP_LOCK_BWRAP: bwrap });
      expect(verify.code).toBe(0);
      expect(JSON.parse(verify.stdout).servers[0].sandbox.state).toBe('unavailable');
      // verify --live starts the server as run would, so it cannot check it here either (exit 3).
      const live = await cli(['verify', '--live', '--json'], { MCP_LOCK_BWRAP: bwrap });
      expect(live.code, live.stdout).toBe(3);
      expect(JSON.parse(live.stdout).servers[0].findings[0].code).toBe('SANDBOX_UNAVAILABLE');
    }
    const verify = await cli(['verify']);
    expect(verify.stdout).toContain('sandbox: run starts it sandboxed here (bubblewrap)');
    const live = await cli(['verify', '--live']);
    expect(live.code, live.stdout + live.stderr).toBe(0);
  });
});
