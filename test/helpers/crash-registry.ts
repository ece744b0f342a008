// A registry process for the crash-loop test: the real RegistryService (real signature checks, the real
// approval key, lint, curation) over the embedded file store of a data directory, driven by JSON lines on
// stdin instead of HTTP so that a fresh process is cheap enough to kill fifty times. It loads its modules
// first, says {"loaded":true}, and opens the directory only on {"go":true}: what a restarted registry does.
// Each command's outcome is one line on stdout, printed only after the write resolved (acknowledged).
//
// Usage: node crash-registry.ts <data-dir>   (tokens in MCP_LOCK_TEST_PUBLISHER / MCP_LOCK_TEST_CURATOR)

import { createInterface } from 'node:readline';
import { verifyBundle } from '../../adapters/sigstore/verify.ts';
import { McpLockError } from '../../core/errors.ts';
import { RegistryService } from '../../core/registry/service.ts';
import { loadOrCreateApprovalKey } from '../../registry/keys/approval-key.ts';
import { FileRegistryStore } from '../../registry/store/file-store.ts';

interface Command {
  id: number;
  op: 'publish' | 'approve' | 'deprecate' | 'yank';
  name: string;
  version: string;
  body?: string;
}

const dataDir = process.argv[2]!;
const say = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

let service: RegistryService | undefined;
let queue: Promise<void> = Promise.resolve();

async function start(): Promise<void> {
  const store = await FileRegistryStore.open(dataDir);
  const { signer } = await loadOrCreateApprovalKey(dataDir);
  service = new RegistryService({
    store,
    verify: verifyBundle,
    approvalSigner: signer,
    registryId: () => 'http://registry.crash.test',
  });
  say({ ready: true });
}

async function run(command: Command): Promise<void> {
  const s = service!;
  try {
    if (command.op === 'publish') {
      const principal = await s.authenticate(`Bearer ${process.env.MCP_LOCK_TEST_PUBLISHER}`);
      const result = await s.publish(principal, Buffer.from(command.body!, 'utf8'));
      say({ id: command.id, ok: true, created: result.created, digest: result.record.manifestDigest });
    } else {
      const principal = await s.authenticate(`Bearer ${process.env.MCP_LOCK_TEST_CURATOR}`);
      const reason = command.op === 'approve' ? undefined : 'crash loop';
      const record = await s.curate(principal, command.name, command.version, command.op, reason);
      say({ id: command.id, ok: true, status: record.status });
    }
  } catch (error) {
    say({ id: command.id, ok: false, code: error instanceof McpLockError ? error.code : String(error) });
  }
}

say({ loaded: true });
for await (const line of createInterface({ input: process.stdin })) {
  const message = JSON.parse(line) as { go?: boolean } & Partial<Command>;
  if (message.go) queue = queue.then(start);
  else queue = queue.then(() => run(message as Command));
}
