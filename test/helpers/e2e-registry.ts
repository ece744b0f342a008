// One real registry for an e2e file, set up the way an operator does it and removed afterwards: a work
// directory, a data directory administered with `registry token create` and `registry signer add`
// (a publisher key made with `keygen`), and `registry serve` on port 0. Files then publish and approve
// through the real CLI with `publishFile`.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, expectOk, runCli, stdoutJson } from './cli.ts';
import { type RegistryProcess, startRegistryProcess } from './registry-process.ts';

export type RegistryRole = 'publisher' | 'curator' | 'admin';

export interface E2eRegistryOptions {
  /** Prefix of the temporary work directory. */
  prefix: string;
  /** The namespace the publisher and curator tokens are scoped to, and the signer is registered for. */
  namespace: string;
  /** Tokens to create (default publisher and curator); admin tokens are scoped to `*`. */
  roles?: readonly RegistryRole[];
  /** Token labels by role (default: the role's name). */
  labels?: Partial<Record<RegistryRole, string>>;
  /** Keys made with `keygen` in the work directory and registered as the namespace's signers (default publisher). */
  signers?: readonly string[];
  /** Start `registry serve` first and administer the data directory while it runs (default: after). */
  serveFirst?: boolean;
  /** Extra `registry serve` arguments. */
  serveArgs?: string[];
  /** Per-command timeout of `cli` (default 180 s: commands may install real packages). */
  cliTimeoutMs?: number;
}

export interface E2eRegistry {
  readonly work: string;
  readonly data: string;
  /** The running registry (a new one after `restart`). */
  readonly registry: RegistryProcess;
  /** The tokens by role (a test may replace one, e.g. after revoking it). */
  readonly tokens: Record<RegistryRole, string>;
  /** The real CLI in `cwd` (default the work directory), with an npm cache inside the work directory. */
  cli(args: readonly string[], cwd?: string, env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Sign a manifest file in the work directory with a key there, publish it, and approve it unless told not. */
  publishFile(file: string, options?: { key?: string; approve?: boolean }): Promise<void>;
  /** Stop the registry and start it again on the same data directory. */
  restart(): Promise<RegistryProcess>;
  /** Stop the registry and remove the work directory. */
  close(): Promise<void>;
}

export async function startE2eRegistry(options: E2eRegistryOptions): Promise<E2eRegistry> {
  const work = mkdtempSync(join(tmpdir(), options.prefix));
  const data = join(work, 'registry-data');
  const timeoutMs = options.cliTimeoutMs ?? 180_000;
  const cli = (args: readonly string[], cwd = work, env: Record<string, string | undefined> = {}) =>
    runCli(args, { cwd, env: { npm_config_cache: join(work, 'npm-cache'), ...env }, timeoutMs });
  const tokens = { publisher: '', curator: '', admin: '' };
  let registry: RegistryProcess | undefined;
  try {
    if (options.serveFirst) registry = await startRegistryProcess(data, options.serveArgs);
    for (const role of options.roles ?? ['publisher', 'curator']) {
      const scope = role === 'admin' ? '*' : `${options.namespace}/*`;
      const label = options.labels?.[role] ?? role;
      const args = ['registry', 'token', 'create', '--data', data, '--role', role, '--scope', scope];
      tokens[role] = stdoutJson(expectOk(await cli([...args, '--label', label, '--json']))).token;
    }
    for (const key of options.signers ?? ['publisher']) {
      expectOk(await cli(['keygen', '--out', key]));
      const signer = ['registry', 'signer', 'add', '--data', data, '--namespace', options.namespace];
      expectOk(await cli([...signer, '--key', `${key}.pub.pem`]));
    }
    registry ??= await startRegistryProcess(data, options.serveArgs);
  } catch (error) {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  let running: RegistryProcess = registry;

  const publishFile = async (file: string, { key = 'publisher.pem', approve = true } = {}) => {
    const bundle = `${file}.${key.replace(/\W/g, '')}.bundle`;
    expectOk(await cli(['sign', file, '--key', key, '--out', bundle, '--force']));
    const publish = ['publish', file, '--bundle', bundle, '--registry', running.url];
    expectOk(await cli([...publish, '--token', tokens.publisher]));
    if (!approve) return;
    const { server } = JSON.parse(readFileSync(join(work, file), 'utf8')) as {
      server: { name: string; version: string };
    };
    const curate = ['registry', 'approve', `${server.name}@${server.version}`, '--registry', running.url];
    expectOk(await cli([...curate, '--token', tokens.curator]));
  };

  return {
    work,
    data,
    get registry() {
      return running;
    },
    tokens,
    cli,
    publishFile,
    restart: async () => {
      await running.stop();
      running = await startRegistryProcess(data, options.serveArgs);
      return running;
    },
    close: async () => {
      await running.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
