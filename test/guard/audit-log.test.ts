// The audit log writer: one ASCII JSON object per line with the session context, rotated once past its
// cap, and a failure to write reported (once) instead of thrown into the proxy.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog, asciiJson, defaultAuditPath } from '../../adapters/proxy/audit-log.ts';

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
    log.write({ event: 'y', decision: 'allowed' });
    expect(errors).toHaveLength(1);
  });

  it('lives in the git-ignored audit directory of the project by default', () => {
    expect(defaultAuditPath('/p', 'io.github.x/y')).toBe('/p/.mcp-lock/audit/io.github.x%2Fy.jsonl');
  });
});
