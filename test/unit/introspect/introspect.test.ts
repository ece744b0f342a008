// Introspection over a real child process (a tiny stdio server), in both protocol eras, with every cap.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StdioRpc } from '../../../adapters/mcp/stdio-rpc.ts';
import { type IntrospectLimits, introspect, type ProtocolChoice } from '../../../core/introspect/introspect.ts';
import { pinSurface } from '../../../core/surface/pin.ts';
import { expectCodeAsync } from '../../helpers/expect-code.ts';
import { TINY_SERVER_JS, type TinySurface } from '../../helpers/tiny-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-introspect-'));
const serverPath = join(dir, 'server.js');
writeFileSync(serverPath, TINY_SERVER_JS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function launch(surface: TinySurface | null, script = serverPath, maxMessageBytes?: number): StdioRpc {
  const file = join(dir, `surface-${n++}.json`);
  if (surface) writeFileSync(file, JSON.stringify(surface));
  return new StdioRpc(
    { command: process.execPath, args: [script], env: { PATH: process.env.PATH ?? '', TINY_SURFACE: file } },
    maxMessageBytes ? { maxMessageBytes } : {},
  );
}

async function read(
  surface: TinySurface,
  options: { protocol?: ProtocolChoice; limits?: Partial<IntrospectLimits> } = {},
) {
  const rpc = launch(surface);
  try {
    return await introspect(rpc, { client: { name: 'test', version: '1' }, ...options });
  } finally {
    await rpc.close();
  }
}

const tools = Array.from({ length: 25 }, (_, i) => ({
  name: `tool_${String(i).padStart(2, '0')}`,
  description: `Tool number ${i}`,
  inputSchema: { type: 'object', properties: { x: { type: 'string', default: `d${i}` } } },
}));
const base: TinySurface = {
  instructions: 'Be careful.',
  tools,
  prompts: [{ name: 'greet', description: 'Say hi', arguments: [{ name: 'who', required: true }] }],
  resources: [{ uri: 'demo://a', name: 'a', mimeType: 'text/plain' }],
  resourceTemplates: [{ uriTemplate: 'demo://t/{id}', name: 't' }],
};

describe('introspect', () => {
  it('reads the whole surface through the initialize handshake, following cursors', async () => {
    const { snapshot, era } = await read({ ...base, pageSize: 10 });
    expect(era).toBe('handshake');
    expect(snapshot.protocolVersion).toBe('2025-11-25');
    expect(snapshot.instructions).toBe('Be careful.');
    expect(snapshot.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    expect(snapshot.prompts).toHaveLength(1);
    expect(snapshot.resources).toHaveLength(1);
    expect(snapshot.resourceTemplates).toHaveLength(1);
  });

  it('reads the 2026-07-28 stateless era through server/discover', async () => {
    const { snapshot, era } = await read({ ...base, stateless: true, pageSize: 7 });
    expect(era).toBe('stateless');
    expect(snapshot.protocolVersion).toBe('2026-07-28');
    expect(snapshot.instructions).toBe('Be careful.');
    expect(snapshot.tools).toHaveLength(25);
  });

  it('pins the same digests whatever the pagination and list order (benign)', async () => {
    const one = pinSurface((await read({ ...base })).snapshot);
    const paged = pinSurface((await read({ ...base, pageSize: 3 })).snapshot);
    const reversed = pinSurface((await read({ ...base, tools: [...tools].reverse(), pageSize: 4 })).snapshot);
    expect(paged.tools).toEqual(one.tools);
    expect(reversed.tools).toEqual(one.tools);
  });

  it('covers an absent capability as empty', async () => {
    const { snapshot } = await read({ tools });
    expect(snapshot.prompts).toEqual([]);
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.instructions).toBeNull();
  });

  it('fails closed on a cursor loop', async () => {
    const err = await expectCodeAsync(() => read({ tools, pageSize: 5, loopCursor: 'again' }), 'LIMIT_EXCEEDED');
    expect(err.message).toMatch(/same cursor twice/);
  });

  it('fails closed past the page, item and byte caps, and at cap it is fine', async () => {
    await expectCodeAsync(() => read({ tools, pageSize: 1 }, { limits: { maxPages: 24 } }), 'LIMIT_EXCEEDED');
    expect((await read({ tools, pageSize: 1 }, { limits: { maxPages: 25 } })).snapshot.tools).toHaveLength(25);
    await expectCodeAsync(() => read({ tools }, { limits: { maxItems: 24 } }), 'LIMIT_EXCEEDED');
    await expectCodeAsync(() => read({ tools }, { limits: { maxBytes: 1000 } }), 'LIMIT_EXCEEDED');
  });

  it('times out on a server that never answers', async () => {
    const silent = join(dir, 'silent.js');
    writeFileSync(silent, 'process.stdin.resume(); setInterval(() => {}, 1000);');
    const rpc = launch(null, silent);
    const started = Date.now();
    await expectCodeAsync(
      () =>
        introspect(rpc, { client: { name: 't', version: '1' }, limits: { requestTimeoutMs: 300, timeoutMs: 2000 } }),
      'TIMEOUT',
    );
    expect(Date.now() - started).toBeLessThan(3000);
    await rpc.close(200);
  });

  it('refuses an oversized message, non-JSON on stdout, and duplicate keys', async () => {
    const huge = join(dir, 'huge.js');
    writeFileSync(
      huge,
      'process.stdin.once(\'data\', () => process.stdout.write(\'{"jsonrpc":"2.0","id":1,"result":{"x":"\' + \'a\'.repeat(5000000)));',
    );
    await expectCodeAsync(async () => {
      const rpc = launch(null, huge, 1024 * 1024);
      try {
        await introspect(rpc, { client: { name: 't', version: '1' }, protocol: 'handshake' });
      } finally {
        await rpc.close(200);
      }
    }, 'LIMIT_EXCEEDED');
    const noisy = join(dir, 'noisy.js');
    writeFileSync(noisy, "process.stdin.once('data', () => process.stdout.write('Server starting...\\n'));");
    await expectCodeAsync(async () => {
      const rpc = launch(null, noisy);
      try {
        await introspect(rpc, { client: { name: 't', version: '1' }, protocol: 'handshake' });
      } finally {
        await rpc.close(200);
      }
    }, 'SERVER_PROTOCOL_ERROR');
    const dup = join(dir, 'dup.js');
    writeFileSync(
      dup,
      'process.stdin.once(\'data\', () => process.stdout.write(\'{"jsonrpc":"2.0","id":1,"id":2,"result":{}}\\n\'));',
    );
    await expectCodeAsync(async () => {
      const rpc = launch(null, dup);
      try {
        await introspect(rpc, { client: { name: 't', version: '1' }, protocol: 'handshake' });
      } finally {
        await rpc.close(200);
      }
    }, 'JSON_DUPLICATE_KEY');
  });

  it('refuses a surface with two tools of one name', async () => {
    const { snapshot } = await read({ tools: [tools[0], { ...tools[0], description: 'evil twin' }] });
    const { expectCode } = await import('../../helpers/expect-code.ts');
    expectCode(() => pinSurface(snapshot), 'SURFACE_DUPLICATE_NAME');
  });

  it('reports a server that exits at once', async () => {
    const dies = join(dir, 'dies.js');
    writeFileSync(dies, "console.error('missing API key'); process.exit(3);");
    const rpc = launch(null, dies);
    const err = await expectCodeAsync(
      () => introspect(rpc, { client: { name: 't', version: '1' } }),
      'SERVER_START_FAILED',
    );
    expect(err.message).toMatch(/missing API key/);
    await rpc.close(200);
  });
});
