// Benchmark: `mcp-lock verify` (offline) on a lock with 200 servers × 50 tools, each with a real signed
// manifest and a registry approval, interleaved with `node -e 0` (the floor for any CLI): verify without
// the lint (--no-scan), with it and a cold lint cache (--no-cache), and with it and a warm cache (the
// default, what a second run sees). Also reports each arm's CPU time (user + system; a busy shared
// machine inflates wall time, not CPU) and peak RSS (read in the child through a preloaded exit hook).
// Run: node bench/verify-lock.ts [--quick] [servers=200] [tools=50] [rounds=5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStateDirs, storeBundle, storeManifest, writeLock } from '../adapters/project/project.ts';
import { generateKeyPair, parsePrivateKey } from '../adapters/sigstore/keys.ts';
import { signWithKey } from '../adapters/sigstore/sign.ts';
import { buildStatement, statementBytes } from '../core/attestation/statement.ts';
import { emptyLock, entryFromManifest } from '../core/lockfile/lockfile.ts';
import { manifestDigest } from '../core/manifest/manifest.ts';
import { syntheticManifest } from '../test/helpers/synthetic.ts';
import { type Arm, compare, elapsedMs, QUICK, report, summarise } from './harness.ts';

const numbers = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);
const servers = numbers[0] ?? (QUICK ? 10 : 200);
const toolsPer = numbers[1] ?? (QUICK ? 5 : 50);
const rounds = numbers[2] ?? (QUICK ? 1 : 5);
const root = mkdtempSync(join(tmpdir(), 'mcp-lock-bench-'));
const REGISTRY = 'https://registry.example';

async function build(): Promise<void> {
  const publisher = generateKeyPair();
  const curator = generateKeyPair();
  const pubKey = parsePrivateKey(publisher.privateKeyPem);
  const curKey = parsePrivateKey(curator.privateKeyPem);
  const lock = emptyLock();
  lock.registries[REGISTRY] = { approvalKeys: [{ keyId: curator.keyId, publicKey: curator.publicKeyPem }] };
  ensureStateDirs(root);
  for (let s = 0; s < servers; s++) {
    const tools = Array.from({ length: toolsPer }, (_, t) => ({
      name: `server${s}_tool_${t}`,
      description: `Tool ${t} of server ${s}: does something useful with its arguments and returns a result.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What to look for' },
          limit: { type: 'integer', default: 10 },
        },
        required: ['query'],
      },
      annotations: { readOnlyHint: true },
    }));
    const manifest = syntheticManifest({ name: `io.github.bench/server-${s}`, tools });
    const digest = storeManifest(root, manifest);
    storeBundle(
      root,
      digest,
      'publisher',
      (await signWithKey(statementBytes(buildStatement(manifest, 'publisher')), pubKey)) as never,
    );
    storeBundle(
      root,
      digest,
      'approval',
      (await signWithKey(
        statementBytes(buildStatement(manifest, 'approval', { registry: REGISTRY })),
        curKey,
      )) as never,
    );
    lock.servers[manifest.server.name] = entryFromManifest(manifest, {
      source: { type: 'registry', registry: REGISTRY },
      signer: { type: 'key', keyId: publisher.keyId, publicKey: publisher.publicKeyPem },
      approval: { registry: REGISTRY, keyId: curator.keyId },
      files: `sha256:${'0'.repeat(64)}`,
    });
    if (manifestDigest(manifest) !== digest) throw new Error('digest');
  }
  writeLock(root, lock);
}

// Written by the child at exit on fd 3: its CPU time (ms) and peak RSS (MiB).
const HOOK = `data:text/javascript,${encodeURIComponent(
  "import{writeSync}from'node:fs';process.on('exit',()=>{const u=process.resourceUsage();try{writeSync(3,JSON.stringify({cpu:(u.userCPUTime+u.systemCPUTime)/1000,rss:u.maxRSS/1024}))}catch{}})",
)}`;
const usage = new Map<string, { cpu: number[]; rss: number[] }>();

function timed(name: string, args: string[]): Arm {
  usage.set(name, { cpu: [], rss: [] });
  return {
    name,
    run: async () => {
      let out = '';
      const ms = await elapsedMs(() => {
        const r = spawnSync(process.execPath, ['--import', HOOK, ...args], {
          cwd: root,
          env: { ...process.env, XDG_CACHE_HOME: join(root, 'cache') },
          stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
        });
        if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
        out = String(r.output[3] ?? '');
      });
      const u = JSON.parse(out) as { cpu: number; rss: number };
      usage.get(name)!.cpu.push(u.cpu);
      usage.get(name)!.rss.push(u.rss);
      return ms;
    },
  };
}

try {
  await build();
  const bin = new URL('../bin/mcp-lock.js', import.meta.url).pathname;
  const arms = [
    timed('node -e 0', ['-e', '0']),
    timed('verify --no-scan', [bin, 'verify', '--json', '--no-scan']),
    timed('verify, cold lint cache', [bin, 'verify', '--json', '--no-cache']),
    timed('verify, warm lint cache', [bin, 'verify', '--json']),
  ];
  // Warm the cache once (and Node's compile cache, which every arm then shares).
  await arms[3]!.run();
  for (const u of usage.values()) {
    u.cpu.length = 0;
    u.rss.length = 0;
  }
  const title = `${servers} servers × ${toolsPer} tools (signed manifests + approvals)`;
  const ratios: [string, string][] = [
    ['verify --no-scan', 'node -e 0'],
    ['verify, cold lint cache', 'verify --no-scan'],
    ['verify, warm lint cache', 'verify --no-scan'],
    ['verify, cold lint cache', 'verify, warm lint cache'],
  ];
  const result = await compare(arms, { title: `mcp-lock verify wall time, ${title}`, rounds, ratios });
  const pick = (k: 'cpu' | 'rss') => new Map([...usage].map(([n, u]) => [n, u[k]]));
  const cpu = summarise(pick('cpu'), { title: `CPU time (user + system), ${title}`, rounds, ratios });
  const rss = summarise(pick('rss'), {
    title: `peak RSS, ${title}`,
    unit: 'MiB',
    rounds,
    ratios: [['verify, cold lint cache', 'verify --no-scan']],
  });
  report('verify-lock', [result, cpu, rss], [`Node ${process.version}`]);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
