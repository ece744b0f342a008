// Locked projects for the connect-time guard's tests, built with the real pieces a user's project is made
// of: a manifest (from a real npm install, or a planted scenario package introspected live), stored and
// signed with a publisher key, a lock entry made from it, and the package in the project store, so that
// `mcp-lock run <name>` goes through the whole real path (verification, launch, guard). Also two ways to
// talk to `mcp-lock run`: the official MCP SDK client, and a raw JSON-lines session for wire-level cases.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type GenerateOptions, generateNpmManifest, generateRemoteManifest } from '../../adapters/manifest/generate.ts';
import { StdioRpc } from '../../adapters/mcp/stdio-rpc.ts';
import { installedFilesDigest } from '../../adapters/npm/files-digest.ts';
import { installPinnedTree } from '../../adapters/npm/tree-install.ts';
import {
  ensureStateDirs,
  readLock,
  storeBundle,
  storeDir,
  storeManifest,
  writeLock,
} from '../../adapters/project/project.ts';
import { generateKeyPair, type KeyPairPem, parsePrivateKey } from '../../adapters/sigstore/keys.ts';
import { signWithKey } from '../../adapters/sigstore/sign.ts';
import { buildStatement, statementBytes } from '../../core/attestation/statement.ts';
import type { Package, TreeNode } from '../../core/generated/manifest.ts';
import { introspect, type ProtocolChoice } from '../../core/introspect/introspect.ts';
import type { JsonObject, JsonValue } from '../../core/json/strict-json.ts';
import { planLaunch } from '../../core/launch/launch-plan.ts';
import { emptyLock, entryFromManifest } from '../../core/lockfile/lockfile.ts';
import { expectedTarballPath, treeDigest } from '../../core/manifest/check-tree.ts';
import { buildManifest, type McpLockManifest, SERVER_JSON_SCHEMA } from '../../core/manifest/manifest.ts';
import { pinSurface } from '../../core/surface/pin.ts';

const BIN = new URL('../../bin/mcp-lock.js', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/mcp-servers/', import.meta.url).pathname;
const CLIENT = { name: 'mcp-lock-test', version: '1.0.0' };

export interface LockedProject {
  root: string;
  key: KeyPairPem;
  privateKey: KeyObject;
  cleanup(): void;
}

/** An empty project: mcp-lock.json with no servers, the .mcp-lock state directories, a publisher key. */
export function createProject(prefix = 'mcp-lock-run-'): LockedProject {
  const root = mkdtempSync(join(tmpdir(), prefix));
  ensureStateDirs(root);
  writeLock(root, emptyLock());
  const key = generateKeyPair('ecdsa-p256');
  return {
    root,
    key,
    privateKey: parsePrivateKey(key.privateKeyPem),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Store the manifest, sign it as its publisher, and pin it in the lock (a TOFU entry with a pinned key). */
export async function pinManifest(project: LockedProject, manifest: McpLockManifest, files?: string): Promise<string> {
  const digest = storeManifest(project.root, manifest);
  const bundle = await signWithKey(statementBytes(buildStatement(manifest, 'publisher')), project.privateKey);
  storeBundle(project.root, digest, 'publisher', bundle as unknown as JsonValue);
  const lock = readLock(project.root);
  lock.servers[manifest.server.name] = entryFromManifest(manifest, {
    source: { type: 'tofu', spec: `${manifest.server.name}@${manifest.server.version}` },
    signer: { type: 'key', keyId: project.key.keyId, publicKey: project.key.publicKeyPem },
    approval: null,
    ...(files ? { files } : {}),
  });
  writeLock(project.root, lock);
  return digest;
}

const generator = (callerEnv: NodeJS.ProcessEnv): GenerateOptions => ({
  callerEnv,
  generator: 'mcp-lock-test',
  client: CLIENT,
});

/** A real npm server: manifest from a sandboxed install and live introspection, then installed from the pin. */
export async function lockNpmServer(
  project: LockedProject,
  spec: string,
  options: Partial<GenerateOptions> = {},
): Promise<McpLockManifest> {
  const manifest = await generateNpmManifest(spec, { ...generator(process.env), ...options });
  const digest = storeManifest(project.root, manifest);
  const installed = await installPinnedTree(manifest.package!, storeDir(project.root, manifest.server.name, digest));
  await pinManifest(project, manifest, installed.files);
  return manifest;
}

/** A pinned remote Streamable HTTP server. */
export async function lockRemoteServer(
  project: LockedProject,
  url: string,
  options: { name: string; version: string; protocol?: ProtocolChoice },
): Promise<McpLockManifest> {
  const manifest = await generateRemoteManifest(url, {
    ...generator(process.env),
    name: options.name,
    version: options.version,
    ...(options.protocol ? { protocol: options.protocol } : {}),
  });
  await pinManifest(project, manifest);
  return manifest;
}

// ───────────────────────────── scenario servers ─────────────────────────────

export interface Behaviour {
  instructions?: string | null;
  tools?: JsonObject[];
  prompts?: JsonObject[];
  resources?: JsonObject[];
  resourceTemplates?: JsonObject[];
  pageSize?: number;
  reverse?: boolean;
  spaced?: boolean;
  cursorLoop?: boolean;
  flood?: number;
  rawToolsResult?: string;
  /** Never answer list requests. */
  hang?: boolean;
  /** What tools/call of a tool answers (default: a text result `called <name>`). */
  callResults?: Record<string, JsonObject>;
}

export type AttackWhen = 'never' | 'always' | { launch: number } | { toolsList: number } | { afterCall: true };

export interface Scenario {
  era: 'handshake' | 'stateless' | 'both';
  pinned: Behaviour;
  attack?: Behaviour;
  attackWhen?: AttackWhen;
}

export interface PlantedServer {
  name: string;
  manifest: McpLockManifest;
  scenarioPath: string;
  /** Rewrite the scenario (the file lives outside the store, so the pin still verifies). */
  update(change: Partial<Scenario>): void;
  /** Requests the server received, in order (method and name/uri). */
  received(): { method: string; name: string | null; launch: number }[];
  /** Forget launches and received requests. */
  reset(): void;
}

function slugOf(name: string): string {
  return name.slice(name.indexOf('/') + 1).replace(/[^a-z0-9-]/g, '-');
}

/** A synthetic sha512 SRI string over some bytes (the planted package has no real tarball). */
function sri(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/**
 * Plant the scenario server as a package in the project store and pin it: the surface is what it serves
 * with attackWhen "never" (read live over stdio, like `mcp-lock manifest` does), then the scenario is set
 * to what the test asked for. The server's launch counter and request log start empty.
 */
export async function plantScenarioServer(
  project: LockedProject,
  name: string,
  scenario: Scenario,
  options: { protocol?: ProtocolChoice; dynamicResources?: boolean } = {},
): Promise<PlantedServer> {
  const slug = slugOf(name);
  const dir = join(project.root, 'scenarios');
  mkdirSync(dir, { recursive: true });
  const scenarioPath = join(dir, `${slug}.json`);
  const statePath = join(dir, `${slug}.state.json`);
  const logPath = join(dir, `${slug}.log.jsonl`);
  const write = (s: Scenario) =>
    writeFileSync(scenarioPath, JSON.stringify({ name: slug, ...s, state: statePath, log: logPath }, null, 2));
  let current: Scenario = { ...scenario };
  write({ ...current, attackWhen: 'never' });

  const pkgName = `@mcp-lock-test/${slug}`;
  const files: Record<string, Buffer> = {
    'package.json': Buffer.from(
      JSON.stringify({ name: pkgName, version: '1.0.0', type: 'module', bin: { [slug]: 'server.mjs' } }, null, 2),
    ),
    'server.mjs': readFileSync(join(FIXTURES, 'scenario-server.mjs')),
    'scenario-engine.mjs': readFileSync(join(FIXTURES, 'scenario-engine.mjs')),
  };
  const staging = mkdtempSync(join(tmpdir(), 'mcp-lock-plant-'));
  const stagedPkg = join(staging, 'node_modules', pkgName);
  mkdirSync(stagedPkg, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(stagedPkg, file), bytes);

  const entry: Package = {
    registryType: 'npm',
    registryBaseUrl: 'https://registry.npmjs.org',
    identifier: pkgName,
    version: '1.0.0',
    runtimeHint: 'node',
    transport: { type: 'stdio' },
    packageArguments: [{ type: 'positional', value: scenarioPath }],
  };
  const plan = planLaunch(entry, { callerEnv: process.env });
  const rpc = new StdioRpc({
    command: process.execPath,
    args: [join(stagedPkg, 'server.mjs'), ...plan.args],
    env: plan.env,
    cwd: staging,
  });
  let snapshot: Awaited<ReturnType<typeof introspect>>['snapshot'];
  try {
    ({ snapshot } = await introspect(rpc, { protocol: options.protocol ?? 'auto', client: CLIENT }));
  } finally {
    await rpc.close();
  }
  const integrity = sri(Buffer.concat(Object.values(files)));
  const resolved = `https://registry.npmjs.org${expectedTarballPath(pkgName, '1.0.0')}`;
  const tree: TreeNode[] = [
    { location: `node_modules/${pkgName}`, name: pkgName, version: '1.0.0', resolved, integrity },
  ];
  const manifest = buildManifest({
    generator: 'mcp-lock-test',
    server: {
      $schema: SERVER_JSON_SCHEMA,
      name,
      description: `Scenario server ${slug} for the guard tests`,
      version: '1.0.0',
      packages: [entry],
    },
    package: {
      registryType: 'npm',
      identifier: pkgName,
      version: '1.0.0',
      resolved,
      integrity,
      bin: { name: slug, path: 'server.mjs' },
      tree,
      treeDigest: treeDigest(tree),
    },
    surface: pinSurface(snapshot, { dynamicResources: options.dynamicResources === true }),
  });
  const digest = storeManifest(project.root, manifest);
  const target = join(storeDir(project.root, name, digest), 'node_modules', pkgName);
  mkdirSync(target, { recursive: true });
  for (const file of Object.keys(files)) copyFileSync(join(stagedPkg, file), join(target, file));
  rmSync(staging, { recursive: true, force: true });
  await pinManifest(
    project,
    manifest,
    installedFilesDigest(join(storeDir(project.root, name, digest), 'node_modules')),
  );

  const reset = () => {
    rmSync(statePath, { force: true });
    rmSync(logPath, { force: true });
  };
  reset();
  write(current);
  return {
    name,
    manifest,
    scenarioPath,
    update(change) {
      current = { ...current, ...change };
      write(current);
    },
    received() {
      let text = '';
      try {
        text = readFileSync(logPath, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    },
    reset,
  };
}

// ───────────────────────────── talking to `mcp-lock run` ─────────────────────────────

export function runArgs(project: LockedProject, name: string, extra: readonly string[] = []): string[] {
  return [BIN, 'run', name, '--project', project.root, ...extra];
}

export interface SdkConnection {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

/** The official MCP SDK client, connected through `mcp-lock run` (or straight to a command, for comparison). */
export async function connectSdk(
  command: { command: string; args: string[]; env?: Record<string, string>; cwd?: string },
  capabilities: JsonObject = {},
): Promise<SdkConnection> {
  const transport = new StdioClientTransport({
    command: command.command,
    args: command.args,
    env: command.env ?? ({ ...process.env, NO_COLOR: '1' } as Record<string, string>),
    ...(command.cwd ? { cwd: command.cwd } : {}),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client(CLIENT, { capabilities });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface RpcReply {
  jsonrpc: '2.0';
  id?: string | number | null;
  result?: JsonObject;
  error?: { code: number; message: string; data?: JsonObject };
  method?: string;
  params?: JsonObject;
}

/** A raw JSON-lines session with `mcp-lock run`: exactly what is written and read, nothing interpreted. */
export class RawSession {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: RpcReply[] = [];
  readonly stdoutLines: string[] = [];
  stderr = '';
  private buffer = '';
  private nextId = 1;
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.stdoutLines.push(line);
        this.messages.push(JSON.parse(line) as RpcReply);
        nl = this.buffer.indexOf('\n');
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  send(message: JsonObject | string): void {
    this.child.stdin.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  }

  /** Send a request and wait for the message that answers it. */
  async request(method: string, params?: JsonObject, timeoutMs = 15_000): Promise<RpcReply> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    return this.waitFor((m) => m.id === id && m.method === undefined, timeoutMs, `an answer to ${method}`);
  }

  notify(method: string, params?: JsonObject): void {
    this.send({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
  }

  async waitFor(match: (m: RpcReply) => boolean, timeoutMs = 15_000, what = 'a message'): Promise<RpcReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The handshake-era opening: initialize, then notifications/initialized. */
  async initialize(): Promise<RpcReply> {
    const reply = await this.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: CLIENT,
    });
    if (reply.result) this.notify('notifications/initialized');
    return reply;
  }

  /** Close stdin and wait for `mcp-lock run` to exit. */
  async close(timeoutMs = 15_000): Promise<number | null> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** 2026-07-28 request metadata. */
export function statelessMeta(): JsonObject {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': CLIENT,
  };
}

/** The audit log records of a server in a project. */
export function auditRecords(project: LockedProject, name: string): JsonObject[] {
  const path = join(project.root, '.mcp-lock', 'audit', `${encodeURIComponent(name)}.jsonl`);
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonObject);
}
