// The audit summary (core/audit/summary.ts) and the streaming reader (adapters/audit/read-audit-log.ts):
// counts by tool, refusals by reason, spikes over a threshold, large payloads, secrets by kind and
// location; a torn last line, an oversized line and junk are counted, never fatal; bounded tables.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyReadStats, logFiles, MAX_LINE_BYTES, readAuditFile } from '../../../adapters/audit/read-audit-log.ts';
import { AuditSummarizer } from '../../../core/audit/summary.ts';
import { expectCodeAsync } from '../../helpers/expect-code.ts';

const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-audit-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = (minute: string, tool: string, extra: Record<string, unknown> = {}) => ({
  time: `2026-12-03T13:${minute}:00.000Z`,
  session: 's1',
  server: 'io.github.x/y',
  event: 'call',
  decision: 'allowed',
  tool,
  argumentsDigest: `sha256:${'a'.repeat(64)}`,
  requestBytes: 100,
  outcome: 'result',
  durationMs: 2,
  resultBytes: 50,
  ...extra,
});

describe('audit summary', () => {
  it('counts tools, refusals by reason, spikes, large payloads and secrets', () => {
    const s = new AuditSummarizer({ spikeCallsPerMinute: 5, largeRequestBytes: 1000, top: 3 });
    for (let i = 0; i < 8; i++) s.add(call('01', 'echo', { durationMs: i }));
    for (let i = 0; i < 3; i++) s.add(call('02', 'add'));
    s.add(call('02', 'add', { outcome: 'tool-error' }));
    s.add(call('02', 'write', { requestBytes: 5000 }));
    s.add(call('03', 'rm', { decision: 'blocked', code: 'NOT_PINNED', reason: 'unpinned', requestBytes: 2000 }));
    s.add(call('03', 'rm', { decision: 'blocked', code: 'NOT_PINNED', reason: 'unpinned' }));
    s.add({ time: 'x', event: 'request', decision: 'blocked', method: 'tools/call', key: 'rm' });
    s.add({ event: 'list', decision: 'blocked', code: 'DRIFT_DETECTED' });
    s.add({ event: 'session-end', decision: 'stopped' });
    const secret = { kind: 'private-key', rule: 'pem', location: '/content' };
    s.add({ event: 'secret', decision: 'blocked', key: 'write', direction: 'arguments', findings: [secret] });
    s.add({ event: 'secret', decision: 'blocked', key: 'write', direction: 'arguments', findings: [secret] });
    const r = s.result();
    expect(r.records).toBe(20);
    expect(r.calls).toEqual({ total: 15, allowed: 13, blocked: 2 });
    expect(r.tools.map((t) => [t.tool, t.calls])).toEqual([
      ['echo', 8],
      ['add', 4],
      ['rm', 2],
    ]);
    expect(r.tools[0]).toMatchObject({ medianMs: 3.5, maxMs: 7, failed: 0 });
    expect(r.tools[1]).toMatchObject({ failed: 1 });
    expect(r.blockedCalls).toEqual([{ code: 'NOT_PINNED', reason: 'unpinned', count: 2 }]);
    // The refused call's request record is not counted twice; session-end is not a refusal.
    expect(r.otherBlocked).toEqual([{ event: 'list', code: 'DRIFT_DETECTED', count: 1 }]);
    expect(r.spikes).toEqual([{ minute: '2026-12-03T13:01', calls: 8, topTool: 'echo' }]);
    expect(r.largePayloads.map((p) => [p.tool, p.requestBytes, p.decision])).toEqual([
      ['write', 5000, 'allowed'],
      ['rm', 2000, 'blocked'],
    ]);
    expect(r.secrets).toEqual([
      {
        kind: 'private-key',
        location: '/content',
        tool: 'write',
        direction: 'arguments',
        decision: 'blocked',
        count: 2,
      },
    ]);
    expect(r.from).toBe('2026-12-03T13:01:00.000Z');
  });

  it('benign twin: a quiet log has no spikes, no large payloads, no secrets', () => {
    const s = new AuditSummarizer({ spikeCallsPerMinute: 5, largeRequestBytes: 1000 });
    for (let i = 0; i < 5; i++) s.add(call('01', 'echo'));
    const r = s.result();
    expect(r.spikes).toEqual([]);
    expect(r.largePayloads).toEqual([]);
    expect(r.secrets).toEqual([]);
    expect(r.blockedCalls).toEqual([]);
  });

  it('treats records as untrusted: wrong types are not counted as numbers, long text is cut, tables are bounded', () => {
    const s = new AuditSummarizer({ largeRequestBytes: 1000 });
    s.add(call('01', 'x'.repeat(5000), { requestBytes: '99999', durationMs: -1 }));
    for (let i = 0; i < 10_050; i++) s.add(call('01', `tool-${i}`));
    const r = s.result();
    expect(r.largePayloads).toEqual([]);
    expect(r.tools.every((t) => t.tool.length <= 201)).toBe(true);
    expect(r.tools.find((t) => t.tool === '(other)')?.calls).toBe(51);
  });
});

describe('reading an audit log', () => {
  const read = async (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    const records: Record<string, unknown>[] = [];
    const stats = emptyReadStats();
    for (const f of await logFiles(path)) await readAuditFile(f, (r) => records.push(r), stats);
    return { records, stats };
  };

  it('counts a torn last line, junk and an oversized line, and reads every good record around them', async () => {
    const good = JSON.stringify(call('01', 'echo'));
    const huge = JSON.stringify(call('01', 'y'.repeat(MAX_LINE_BYTES + 10)));
    const { records, stats } = await read(
      'mixed.jsonl',
      `${good}\nnot json\n[1,2]\n${huge}\n${good}\n\n${good.slice(0, 40)}`,
    );
    expect(records).toHaveLength(2);
    expect(stats).toMatchObject({ torn: 1, unreadable: 2, oversized: 1 });
  });

  it('reads records split across chunks, and the rotated file first', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify(call('01', `t${i}`)));
    writeFileSync(join(dir, 'rot.jsonl.1'), `${JSON.stringify(call('00', 'older'))}\n`);
    const { records, stats } = await read('rot.jsonl', `${lines.join('\n')}\n`);
    expect(records).toHaveLength(3001);
    expect(records[0]!.tool).toBe('older');
    expect(records.at(-1)!.tool).toBe('t2999');
    expect(stats.files).toHaveLength(2);
    expect(stats.torn + stats.unreadable + stats.oversized).toBe(0);
  });

  it('refuses a missing log and a path that is not a regular file, with a code', async () => {
    await expectCodeAsync(() => logFiles(join(dir, 'nope.jsonl')), 'FILE_NOT_FOUND');
    await expectCodeAsync(() => logFiles(dir), 'FILE_UNREADABLE');
  });
});
