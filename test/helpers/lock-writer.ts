// Child process for the crash test: rewrites mcp-lock.json in a loop, alternating two large locks,
// until it is killed. Prints "ready" after the first write.
import { writeLock } from '../../adapters/project/project.ts';
import { emptyLock, entryFromManifest } from '../../core/lockfile/lockfile.ts';
import { syntheticManifest } from './synthetic.ts';

const root = process.argv[2]!;
const versions = ['A', 'B'].map((tag) => {
  const lock = emptyLock();
  for (let i = 0; i < 300; i++) {
    const manifest = syntheticManifest({ name: `io.github.crash/server-${tag}-${i}` });
    lock.servers[manifest.server.name] = entryFromManifest(manifest, {
      source: { type: 'tofu', spec: `x@${i}` },
      signer: null,
      approval: null,
      files: `sha256:${'f'.repeat(64)}`,
    });
  }
  return lock;
});
writeLock(root, versions[0]!);
process.stdout.write('ready\n');
for (let i = 1; ; i++) writeLock(root, versions[i % 2]!);
