// Benchmark: `mcp-lock verify` (offline) on a lock with 200 servers × 50 tools, each with a real signed
// manifest and a registry approval, printed next to the time of `node -e 0` (the floor for any CLI).
// Run: node bench/verify-lock.ts [servers] [tools]
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

const servers = Number(process.argv[2] ?? 200);
const toolsPer = Number(process.argv[3] ?? 50);
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

function time(cmd: string, args: string[], runs = 5): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

try {
  await build();
  const bin = new URL('../bin/mcp-lock.js', import.meta.url).pathname;
  const baseline = time(process.execPath, ['-e', '0']);
  const help = time(process.execPath, [bin, '--version']);
  const verify = time(process.execPath, [bin, 'verify', '--json', '--no-scan']);
  const verifyLint = time(process.execPath, [bin, 'verify', '--json'], 3);
  const med = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
  console.log(`verify offline: ${servers} servers × ${toolsPer} tools (signed manifests + approvals), 5 runs each`);
  console.log(`  node -e 0            median ${med(baseline).toFixed(0)} ms`);
  console.log(
    `  mcp-lock --version   median ${med(help).toFixed(0)} ms   (${(med(help) / med(baseline)).toFixed(1)}× node -e 0)`,
  );
  console.log(
    `  mcp-lock verify      median ${med(verify).toFixed(0)} ms   (${(med(verify) / med(baseline)).toFixed(1)}× node -e 0; ${(med(verify) - med(baseline)).toFixed(0)} ms above it)`,
  );
  console.log(
    `  … plus the lint     median ${med(verifyLint).toFixed(0)} ms   (${(med(verifyLint) / med(baseline)).toFixed(1)}× node -e 0) — verify also shows lint findings unless --no-scan`,
  );
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
