// A process killed while writing mcp-lock.json leaves the old lock or the new one, never a torn one.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLock } from '../../core/lockfile/lockfile.ts';

const root = mkdtempSync(join(tmpdir(), 'mcp-lock-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const writer = new URL('../helpers/lock-writer.ts', import.meta.url).pathname;

function killDuringWrites(delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.once('exit', () => resolve());
    child.once('error', reject);
  });
}

describe('lock writes are atomic', () => {
  it('survive SIGKILL at 25 random moments with a complete lock every time', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 25; i++) {
      await killDuringWrites(Math.floor(Math.random() * 40));
      const lock = parseLock(readFileSync(join(root, 'mcp-lock.json')));
      const names = Object.keys(lock.servers);
      expect(names).toHaveLength(300);
      const tag = names[0]!.includes('server-A-') ? 'A' : 'B';
      expect(names.every((n) => n.includes(`server-${tag}-`))).toBe(true);
      seen.add(tag);
    }
    // Leftover temp files from killed writers never replace the lock and are named so they are ignored.
    const leftovers = readdirSync(root).filter((f) => f !== 'mcp-lock.json');
    expect(leftovers.every((f) => /^\.mcp-lock\.json\.\d+\.[0-9a-f]+\.tmp$/.test(f))).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
