// Run the real command program in this process (cli/main.ts), capturing what it writes and the exit code
// it sets, for fast tests of flag parsing, output and exit codes next to the spawned e2e tests.

import { vi } from 'vitest';
import { main } from '../../cli/main.ts';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(args: readonly string[]): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(['node', 'mcp-lock', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}
