// The audit log writer: one ASCII JSON object per line with the session context, rotated once past its
// cap, and a failure to write reported (once) instead of thrown into the proxy.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog, asciiJson, BATCH_BYTES, defaultAuditPath } from '../../adapters/proxy/audit-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context = { server: 'io.github.x/y', version: '1.0.0', manifest: `sha256:${'a'.repeat(64)}`, session: 's-1' };
const fixed = () => new Date('2026-01-02T03:04:05.000Z');

describe('audit log', () => {
  it('writes one ASCII JSON line per decision, with time, session, server and manifest', () => {
    const path = join(dir, 'a', 'log.jsonl');
    const log = new AuditLog(path, context, { now: fixed });
    log.write({ event: 'item', decision: 'blocked', key: 'send\u202e\u{E0041}', found: 'sha256:b' });
    log.write({ event: 'request', decision: 'allowed', method: 'tools/call', key: 'echo' });
    log.close();
    const text = readFileSync(path, 'utf8');
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    const [first, second] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      ...context,
      event: 'item',
      decision: 'blocked',
      key: 'send\u202e\u{E0041}',
      found: 'sha256:b',
    });
    expect(second).toMatchObject({ event: 'request', decision: 'allowed', key: 'echo' });
    expect(asciiJson('\u001b[2J')).toBe('"\\u001b[2J"');
  });

  it('rotates once past its cap', () => {
    const path = join(dir, 'rotate.jsonl');
    const log = new AuditLog(path, context, { maxBytes: 400, now: fixed });
    for (let i = 0; i < 6; i++) log.write({ event: 'request', decision: 'allowed', n: i });
    log.close();
    const older = readFileSync(`${path}.1`, 'utf8').trim().split('\n');
    const newer = readFileSync(path, 'utf8').trim().split('\n');
    expect(older.length + newer.length).toBeLessThanOrEqual(6);
    expect(JSON.parse(newer.at(-1)!).n).toBe(5);
  });

  it('reports a write failure once instead of throwing', () => {
    const log = new AuditLog(join(dir, 'broken.jsonl'), context);
    log.close();
    // A descriptor that cannot be written to, as after the disk went away.
    (log as unknown as { fd: number }).fd = 999_999;
    const errors: Error[] = [];
    log.onError = (e) => errors.push(e);
    expect(() => log.write({ event: 'x', decision: 'allowed' })).not.toThrow();
    expect(() => log.flush()).not.toThrow();
    log.write({ event: 'y', decision: 'allowed' });
    log.flush();
    expect(errors).toHaveLength(1);
  });

  it('lives in the git-ignored audit directory of the project by default', () => {
    expect(defaultAuditPath('/p', 'io.github.x/y')).toBe('/p/.mcp-lock/audit/io.github.x%2Fy.jsonl');
  });
});

describe('audit log batching', () => {
  it('queues records off the message path and writes them in one batch on the timer, in order', async () => {
    const path = join(dir, 'batch.jsonl');
    const log = new AuditLog(path, context, { now: fixed, flushIntervalMs: 20 });
    for (let i = 0; i < 5; i++) log.write({ event: 'call', decision: 'allowed', n: i });
    // Nothing written yet: the records wait for the batch.
    expect(readFileSync(path, 'utf8')).toBe('');
    await new Promise((r) => setTimeout(r, 80));
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).n),
    ).toEqual([0, 1, 2, 3, 4]);
    log.close();
  });

  it('writes at once when the queue reaches its bound (the queue never grows past one batch)', () => {
    const path = join(dir, 'bound.jsonl');
    const log = new AuditLog(path, context, { now: fixed, flushIntervalMs: 60_000 });
    const big = 'x'.repeat(1000);
    const count = Math.ceil(BATCH_BYTES / 1000) + 5;
    for (let i = 0; i < count; i++) log.write({ event: 'call', decision: 'allowed', big });
    const written = readFileSync(path, 'utf8').length;
    expect(written).toBeGreaterThanOrEqual(BATCH_BYTES);
    log.close();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(count);
  });

  it('writes what is queued when the process exits without closing the log (an uncaught error, process.exit)', () => {
    const path = join(dir, 'exit.jsonl');
    const module = new URL('../../adapters/proxy/audit-log.ts', import.meta.url).pathname;
    for (const ending of ['process.exit(7)', 'throw new Error("boom")']) {
      rmSync(path, { force: true });
      const script =
        `const { AuditLog } = await import(${JSON.stringify(module)});` +
        `const log = new AuditLog(${JSON.stringify(path)}, { server: 's', session: 'x' }, { flushIntervalMs: 60000 });` +
        `for (let i = 0; i < 100; i++) log.write({ event: 'call', decision: 'allowed', n: i });` +
        ending;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).not.toBe(0);
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(100);
      expect(JSON.parse(lines[99]!).n).toBe(99);
    }
  });

  it('rotation keeps whole records when one batch crosses the cap', () => {
    const path = join(dir, 'rotate-batch.jsonl');
    const log = new AuditLog(path, context, { maxBytes: 1000, now: fixed, flushIntervalMs: 60_000 });
    for (let i = 0; i < 12; i++) log.write({ event: 'call', decision: 'allowed', n: i });
    log.close();
    const all = [
      ...readFileSync(`${path}.1`, 'utf8').trim().split('\n'),
      ...readFileSync(path, 'utf8').trim().split('\n'),
    ];
    for (const l of all) expect(() => JSON.parse(l)).not.toThrow();
    expect(JSON.parse(all.at(-1)!).n).toBe(11);
  });
});
