// Every command of the CLI, in the order `mcp-lock --help` lists them.
import type { Command } from 'commander';
import { registerAdd } from './add.ts';
import { registerDiff } from './diff.ts';
import { registerInit } from './init.ts';
import { registerInstall } from './install.ts';
import { registerKeygen } from './keygen.ts';
import { registerList } from './list.ts';
import { registerManifest } from './manifest.ts';
import { registerPublish } from './publish.ts';
import { registerRegistry } from './registry.ts';
import { registerRemove } from './remove.ts';
import { registerRun } from './run.ts';
import { registerSign } from './sign.ts';
import { registerUpdate } from './update.ts';
import { registerVerify } from './verify.ts';
import { registerVerifyManifest } from './verify-manifest.ts';

export function registerCommands(program: Command): void {
  registerManifest(program);
  registerKeygen(program);
  registerSign(program);
  registerVerifyManifest(program);
  registerPublish(program);
  registerRegistry(program);
  registerInit(program);
  registerAdd(program);
  registerInstall(program);
  registerVerify(program);
  registerUpdate(program);
  registerDiff(program);
  registerList(program);
  registerRemove(program);
  registerRun(program);
}
