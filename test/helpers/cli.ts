// Run the real CLI (bin/mcp-lock.js) as a child process for e2e tests, capturing exit code,
// stdout and stderr. No shell; a hard timeout so a hung command fails the test instead of the suite.

import { spawn } from 'node:child_process';
import { expect } from 'vitest';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Plain output whatever the caller's terminal says (FORCE_COLOR would beat NO_COLOR), unless a test asks.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
    // Unset keys the caller passed as undefined (e.g. an ambient SIGSTORE_ID_TOKEN).
    for (const [k, v] of Object.entries(options.env ?? {})) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The `--json` error document a failing command prints on stdout. */
export function jsonError(result: CliResult): { code: string; message: string; hint?: string } {
  const doc = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string; hint?: string } };
  if (doc.ok !== false) throw new Error(`expected ok:false, got ${result.stdout}`);
  return doc.error;
}

/** The result, after asserting the command exited 0 (its output is the failure message otherwise). */
export function expectOk(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** The `--json` document a command printed on stdout. */
// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the CLI, checked by the assertions
export function stdoutJson(result: CliResult): any {
  return JSON.parse(result.stdout);
}
