// Start and stop the loopback Sigstore fake (server.ts) as a child process from a test, and mint the unsigned
// OIDC identity tokens its Fulcio accepts. The fake does not check token signatures, so any iss/sub works;
// the certificate it issues carries `sub` as a URI SAN and `iss` as the Fulcio issuer extension.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER = new URL('./server.ts', import.meta.url).pathname;
const START_TIMEOUT_MS = 20_000;

export interface FakeSigstore {
  url: string;
  fulcioURL: string;
  rekorURL: string;
  /** Full RFC 3161 endpoint URL. */
  tsaURL: string;
  /** trusted_root.json written by the fake for its own CA, logs and TSA. */
  trustedRootPath: string;
  trustedRoot: unknown;
  stop(): Promise<void>;
}

interface ListeningLine {
  event: 'listening';
  url: string;
  fulcioURL: string;
  rekorURL: string;
  tsaURL: string;
  trustedRootPath: string;
}

function waitForListening(child: ChildProcess): Promise<ListeningLine> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`fake sigstore did not start: ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no "listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8192);
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        const line = JSON.parse(stdout.slice(0, newline)) as ListeningLine;
        if (line.event !== 'listening') throw new Error(`unexpected line ${stdout.slice(0, newline)}`);
        resolve(line);
      } catch (error) {
        fail(String(error));
      }
    });
    child.once('error', (error) => fail(String(error)));
    child.once('exit', (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
  });
}

/** Start the fake in its own process; resolves once it listens on 127.0.0.1. */
export async function startFakeSigstore(): Promise<FakeSigstore> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-fake-sigstore-'));
  // stdin stays a pipe: if this process dies, the fake sees EOF and exits.
  const child = spawn(process.execPath, [SERVER, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let line: ListeningLine;
  try {
    line = await waitForListening(child);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  child.removeAllListeners('exit');
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url: line.url,
    fulcioURL: line.fulcioURL,
    rekorURL: line.rekorURL,
    tsaURL: line.tsaURL,
    trustedRootPath: line.trustedRootPath,
    trustedRoot: JSON.parse(readFileSync(line.trustedRootPath, 'utf8')),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** An unsigned (`alg: none`) OIDC identity token, as accepted by the fake Fulcio. */
export function mintIdentityToken(claims: {
  iss: string;
  sub: string;
  aud?: string;
  [claim: string]: unknown;
}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { aud: 'sigstore', iat: now, exp: now + 600, ...claims };
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}
