// Introspection plays a fully capable client: a real SDK server that registers tools only for clients
// declaring roots, sampling or elicitation shows them all at pin time, and the server's own requests to the
// client are answered harmlessly (no roots, sampling refused, elicitation declined).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StdioRpc } from '../../../adapters/mcp/stdio-rpc.ts';
import { answerServerRequest, INTROSPECTION_CAPABILITIES } from '../../../core/introspect/client-role.ts';
import { introspect } from '../../../core/introspect/introspect.ts';

const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-client-role-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SERVER = join(import.meta.dirname, '../../fixtures/mcp-servers/capability-server.mjs');

async function logLines(path: string, count: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.length >= count || Date.now() > deadline) return lines.map((l) => JSON.parse(l));
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the client introspection plays', () => {
  it('declares roots, sampling, elicitation and tasks, so capability-gated tools are pinned', async () => {
    const log = join(dir, 'capable.jsonl');
    const rpc = new StdioRpc({
      command: process.execPath,
      args: [SERVER],
      env: { PATH: process.env.PATH ?? '', CAPABILITY_LOG: log },
    });
    try {
      const { snapshot } = await introspect(rpc, { client: { name: 'test', version: '1' }, protocol: 'handshake' });
      expect(snapshot.tools.map((t) => t.name).sort()).toEqual([
        'always',
        'elicit-tool',
        'roots-tool',
        'sampling-tool',
      ]);
      const records = await logLines(log, 4);
      expect(records[0]).toEqual({ capabilities: INTROSPECTION_CAPABILITIES });
      const by = Object.fromEntries(records.slice(1).map((r) => [r.method, r]));
      expect(by['roots/list']).toEqual({ method: 'roots/list', result: { roots: [] } });
      expect(by['elicitation/create']).toEqual({ method: 'elicitation/create', result: { action: 'decline' } });
      expect(by['sampling/createMessage']).toMatchObject({ error: { code: -1 } });
    } finally {
      await rpc.close();
    }
  });

  it('answers each server request harmlessly, and refuses the ones it does not know', () => {
    expect(answerServerRequest('ping')).toEqual({ result: {} });
    expect(answerServerRequest('roots/list')).toEqual({ result: { roots: [] } });
    expect(answerServerRequest('elicitation/create')).toEqual({ result: { action: 'decline' } });
    expect(answerServerRequest('sampling/createMessage')).toMatchObject({ error: { code: -1 } });
    expect(answerServerRequest('tasks/get')).toMatchObject({ error: { code: -32601 } });
  });
});
