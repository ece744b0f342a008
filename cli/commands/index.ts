// Every command of the CLI, in the order `mcp-lock --help` lists them.
import type { Command } from 'commander';
import { registerKeygen } from './keygen.ts';
import { registerManifest } from './manifest.ts';
import { registerSign } from './sign.ts';
import { registerVerifyManifest } from './verify-manifest.ts';

export function registerCommands(program: Command): void {
  registerManifest(program);
  registerKeygen(program);
  registerSign(program);
  registerVerifyManifest(program);
}
