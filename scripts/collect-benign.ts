// Collect the lint's large benign set: install real MCP servers from the npm registry into throw-away
// sandboxes (install scripts off, through the project's own sandbox installer), start each over stdio with
// placeholder credentials, read its whole surface with the project's own introspection, and write one JSON
// file per server into test/fixtures/benign-servers/servers/ with its package, version and licence.
// Run by hand, never by the tests (which read the files it wrote):
//   node scripts/collect-benign.ts [--only name,name] [--jobs 2] [--again] [--index-only]
// (servers already in the folder are skipped unless --again; --index-only rebuilds the README table)
// Servers that will not install or start without real accounts are reported and skipped; the README beside
// the fixtures lists what was kept.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StdioRpc } from '../adapters/mcp/stdio-rpc.ts';
import { sandboxInstall } from '../adapters/npm/sandbox-install.ts';
import { introspect } from '../core/introspect/introspect.ts';
import { type JsonObject, parseStrictJson } from '../core/json/strict-json.ts';
import type { McpRpc, RpcRequestOptions } from '../core/ports.ts';
import { BENIGN_CANDIDATES, type BenignCandidate } from './benign-candidates.ts';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'benign-servers', 'servers');
/** A server whose surface is larger than this is kept out: the fixtures must stay reviewable in size. */
const MAX_FIXTURE_BYTES = 1_500_000;

interface Outcome {
  spec: string;
  ok: boolean;
  detail: string;
}

/**
 * Many published servers still answer initialize with 2024-11-05, which mcp-lock's introspection refuses
 * (it pins only what it can verify in the eras it speaks). The lists a collector reads are the same in
 * that version, so for the benign set only, the answer is read as 2025-03-26 and the real version kept.
 */
class LegacyTolerantRpc implements McpRpc {
  answeredVersion: string | null = null;
  private readonly inner: StdioRpc;
  constructor(inner: StdioRpc) {
    this.inner = inner;
  }
  get notifications(): readonly string[] {
    return this.inner.notifications;
  }
  get bytesReceived(): number {
    return this.inner.bytesReceived;
  }
  async request(method: string, params?: JsonObject, options?: RpcRequestOptions): Promise<JsonObject> {
    const result = await this.inner.request(method, params, options);
    if (method === 'initialize' && typeof result.protocolVersion === 'string') {
      this.answeredVersion = result.protocolVersion;
      if (result.protocolVersion === '2024-11-05') return { ...result, protocolVersion: '2025-03-26' };
    }
    return result;
  }
  notify(method: string, params?: JsonObject): Promise<void> {
    return this.inner.notify(method, params);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

function fileName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace(/\//g, '__')}@${version}.json`;
}

async function collectOne(candidate: BenignCandidate): Promise<Outcome> {
  const install = await sandboxInstall(candidate.spec, {
    timeoutMs: 240_000,
    ...(candidate.bin ? { bin: candidate.bin } : {}),
  });
  try {
    const pkg = parseStrictJson(readFileSync(join(install.packageDir, 'package.json')), 'package.json') as JsonObject;
    const args = (candidate.args ?? []).map((a) => (a === '<dir>' ? install.dir : a));
    const stdio = new StdioRpc(
      {
        command: process.execPath,
        args: [install.bin.absolute, ...args],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: install.dir,
          NODE_ENV: 'production',
          ...candidate.env,
        },
        cwd: install.dir,
      },
      { defaultTimeoutMs: 20_000 },
    );
    const rpc = new LegacyTolerantRpc(stdio);
    let snapshot: Awaited<ReturnType<typeof introspect>>['snapshot'];
    try {
      ({ snapshot } = await introspect(rpc, {
        protocol: 'auto',
        client: { name: 'mcp-lock-collect-benign', version: '0.0.0' },
        limits: { timeoutMs: 60_000, requestTimeoutMs: 20_000 },
      }));
    } finally {
      await rpc.close();
    }
    const fixture = {
      package: install.name,
      version: install.version,
      license: typeof pkg.license === 'string' ? pkg.license : null,
      integrity: install.integrity,
      capturedWith: 'scripts/collect-benign.ts (sandboxInstall with scripts off, core/introspect)',
      args: candidate.args ?? [],
      envNames: Object.keys(candidate.env ?? {}).sort(),
      protocolVersion: rpc.answeredVersion ?? snapshot.protocolVersion,
      serverInfo: snapshot.serverInfo ?? null,
      instructions: snapshot.instructions,
      tools: snapshot.tools,
      prompts: snapshot.prompts,
      resources: snapshot.resources,
      resourceTemplates: snapshot.resourceTemplates,
    };
    const text = `${JSON.stringify(fixture, null, 2)}\n`;
    const counts = `${snapshot.tools.length} tools, ${snapshot.prompts.length} prompts, ${snapshot.resourceTemplates.length} templates`;
    if (snapshot.tools.length + snapshot.prompts.length + snapshot.resourceTemplates.length === 0) {
      return { spec: candidate.spec, ok: false, detail: 'listed nothing' };
    }
    if (text.length > MAX_FIXTURE_BYTES) {
      return { spec: candidate.spec, ok: false, detail: `too large (${text.length} bytes; ${counts})` };
    }
    writeFileSync(join(OUT, fileName(install.name, install.version)), text);
    return { spec: `${install.name}@${install.version}`, ok: true, detail: counts };
  } finally {
    install.cleanup();
  }
}

function argValue(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** The README table of what the folder holds, rebuilt from the files (so it never disagrees with them). */
function writeIndex(): void {
  const rows = readdirSync(OUT)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseStrictJson(readFileSync(join(OUT, f)), f) as JsonObject);
  const count = (doc: JsonObject, k: string) => (Array.isArray(doc[k]) ? (doc[k] as unknown[]).length : 0);
  const total = (k: string) => rows.reduce((n, d) => n + count(d, k), 0);
  const lines = rows.map(
    (d) =>
      `| \`${String(d.package)}\` | ${String(d.version)} | ${String(d.license ?? 'none stated')} | ${String(d.protocolVersion)} | ${count(d, 'tools')} | ${count(d, 'prompts')} | ${count(d, 'resourceTemplates')} | ${typeof d.instructions === 'string' ? 'yes' : 'no'} |`,
  );
  const readme = [
    "# Real MCP servers from the npm registry: the lint's large benign set",
    '',
    'Written by `node scripts/collect-benign.ts` (run by hand; the tests only read these files). Each server was',
    "installed from the npm registry into a throw-away sandbox with install scripts off (the project's own",
    '`adapters/npm/sandbox-install.ts`), started over stdio with placeholder credentials where it needs any (their',
    'names are in `envNames`, the values were placeholders), and listed with `core/introspect` (every cursor',
    'followed). Each file keeps the package, version, licence (from its package.json), tarball integrity, the',
    'protocol version the server answered, its instructions and every tool, prompt, resource and resource template',
    'exactly as listed on the wire. Servers that would not install or start without a real account were skipped',
    "(the script prints why). Only the servers' own descriptive metadata is kept, under their licences.",
    '',
    `${rows.length} servers, ${total('tools')} tools, ${total('prompts')} prompts, ${total('resources')} resources, ${total('resourceTemplates')} resource templates.`,
    '',
    '| Package | Version | Licence | Protocol | Tools | Prompts | Templates | Instructions |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
  writeFileSync(join(OUT, '..', 'README.md'), readme);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (process.argv.includes('--index-only')) {
    writeIndex();
    return;
  }
  const only = argValue('--only')?.split(',');
  const jobs = Math.max(1, Math.min(4, Number(argValue('--jobs') ?? 2)));
  const have = new Set(readdirSync(OUT).map((f) => f.slice(0, f.lastIndexOf('@'))));
  const fresh = process.argv.includes('--again');
  const queue = BENIGN_CANDIDATES.filter(
    (c) =>
      (!only || only.some((o) => c.spec.startsWith(o))) &&
      (fresh || !have.has(c.spec.replace(/^@/, '').replace(/\//g, '__'))),
  );
  const outcomes: Outcome[] = [];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const started = Date.now();
      let outcome: Outcome;
      try {
        outcome = await collectOne(next);
      } catch (error) {
        outcome = { spec: next.spec, ok: false, detail: (error as Error).message.split('\n')[0]!.slice(0, 200) };
      }
      outcomes.push(outcome);
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      console.log(`${outcome.ok ? 'kept ' : 'skip '} ${outcome.spec} (${secs} s): ${outcome.detail}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const kept = outcomes.filter((o) => o.ok).length;
  console.log(`${kept} kept, ${outcomes.length - kept} skipped`);
  writeIndex();
}

await main();
