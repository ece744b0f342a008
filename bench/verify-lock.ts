// Benchmark: `mcp-lock verify` (offline) on a lock with 200 servers × 50 tools, each with a real signed
// manifest and a registry approval, interleaved with `node -e 0` (the floor for any CLI): verify without
// the lint (--no-scan) and with it (the default).
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
import { compare, elapsedMs, QUICK, report } from './harness.ts';

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

function timed(args: string[]): () => Promise<number> {
  return () =>
    elapsedMs(() => {
      const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    });
}

try {
  await build();
  const bin = new URL('../bin/mcp-lock.js', import.meta.url).pathname;
  const result = await compare(
    [
      { name: 'node -e 0', run: timed(['-e', '0']) },
      { name: 'verify --no-scan', run: timed([bin, 'verify', '--json', '--no-scan']) },
      { name: 'verify (with lint)', run: timed([bin, 'verify', '--json']) },
    ],
    {
      title: `mcp-lock verify, ${servers} servers × ${toolsPer} tools (signed manifests + approvals)`,
      rounds,
      ratios: [
        ['verify --no-scan', 'node -e 0'],
        ['verify (with lint)', 'node -e 0'],
        ['verify (with lint)', 'verify --no-scan'],
      ],
    },
  );
  report('verify-lock', [result], [`Node ${process.version}`]);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
