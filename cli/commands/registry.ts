// `mcp-lock registry …`: run a registry, administer its data directory, and curate over HTTP.

import type { Command } from 'commander';
import { registerRegistryCurate } from './registry-curate.ts';
import { registerRegistryKeys } from './registry-keys.ts';
import { registerRegistryServe } from './registry-serve.ts';
import { registerRegistrySigner } from './registry-signer.ts';
import { registerRegistryToken } from './registry-token.ts';

export function registerRegistry(program: Command): void {
  const registry = program
    .command('registry')
    .summary('run a private registry, manage its tokens and signers, and curate versions')
    .description(
      'A private, curated MCP registry that speaks the official MCP registry API. `serve` runs it; `token` and ' +
        '`signer` administer its data directory; `keys` manages its TUF keys; `approve`, `reject`, `deprecate`, `yank` and `queue` curate over ' +
        'HTTP with a curator token.',
    );
  registerRegistryServe(registry);
  registerRegistryToken(registry);
  registerRegistrySigner(registry);
  registerRegistryKeys(registry);
  registerRegistryCurate(registry);
}
