// Options the registry commands share: where the registry is and which token to use (client side), or
// which data directory to administer (server side). Tokens come from --token or MCP_LOCK_TOKEN and are
// never printed.

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { RegistryClient } from '../../adapters/registry-client/client.ts';
import { McpLockError } from '../../core/errors.ts';
import type { ConfigFlags } from '../../registry/config.ts';
import type { CommandContext } from '../command.ts';
import { usageError } from '../command.ts';
import { VERSION } from '../version.ts';

export interface ClientOptions {
  registry?: string;
  token?: string;
}

export interface DataOptions {
  data?: string;
  databaseUrl?: string;
  config?: string;
}

export function withClientOptions(command: Command): Command {
  return command
    .option('--registry <url>', 'registry base URL (default: $MCP_LOCK_REGISTRY)')
    .option('--token <token>', 'registry token (default: $MCP_LOCK_TOKEN; prefer the variable, flags show in ps)');
}

export function withDataOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'registry data directory (default: $MCP_LOCK_REGISTRY_DATA or ./.mcp-lock-registry)')
    .option(
      '--database-url <url>',
      'keep the registry in PostgreSQL instead of the data directory, e.g. postgres://user@host/db ' +
        '(default: $MCP_LOCK_REGISTRY_DATABASE_URL; prefer the variable, flags show in ps)',
    )
    .option('--config <file>', 'registry config file (default: $MCP_LOCK_REGISTRY_CONFIG)');
}

/** A client for the registry the flags or environment name. */
export async function clientFor(
  ctx: CommandContext,
  options: ClientOptions,
  needToken: boolean,
): Promise<RegistryClient> {
  const url = options.registry ?? ctx.env.MCP_LOCK_REGISTRY;
  if (!url) throw usageError('no registry given', 'Pass --registry <url> or set MCP_LOCK_REGISTRY.');
  const token = options.token ?? ctx.env.MCP_LOCK_TOKEN;
  if (needToken && !token) throw usageError('no registry token given', 'Pass --token or set MCP_LOCK_TOKEN.');
  const { RegistryClient } = await import('../../adapters/registry-client/client.ts');
  return new RegistryClient({
    url,
    ...(token ? { token } : {}),
    userAgent: `mcp-lock/${VERSION}`,
    signal: ctx.signal,
  });
}

/** Resolve the configuration (flags > environment > file) the way `registry serve` does. */
export async function registryConfigFor(ctx: CommandContext, flags: DataOptions & ConfigFlags) {
  const { configFilePath, resolveRegistryConfig } = await import('../../registry/config.ts');
  const path = configFilePath(flags.config, ctx.env, ctx.cwd);
  let file: { path: string; content: Buffer } | undefined;
  if (path) {
    try {
      file = { path, content: await readFile(path) };
    } catch (error) {
      throw new McpLockError(
        'CONFIG_INVALID',
        `cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
        {
          hint: 'Check --config or MCP_LOCK_REGISTRY_CONFIG.',
        },
      );
    }
  }
  return resolveRegistryConfig({
    flags: {
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.data !== undefined ? { data: flags.data } : {}),
      ...(flags.databaseUrl !== undefined ? { databaseUrl: flags.databaseUrl } : {}),
      ...(flags.publicUrl !== undefined ? { publicUrl: flags.publicUrl } : {}),
      ...(flags.basePath !== undefined ? { basePath: flags.basePath } : {}),
      ...(flags.logLevel !== undefined ? { logLevel: flags.logLevel } : {}),
      ...(flags.trustedRoot !== undefined ? { trustedRoot: flags.trustedRoot } : {}),
      ...(flags.npmRegistry !== undefined ? { npmRegistry: flags.npmRegistry } : {}),
      ...(flags.refuseFindings !== undefined ? { refuseFindings: flags.refuseFindings } : {}),
      ...(flags.timestampExpiry !== undefined ? { timestampExpiry: flags.timestampExpiry } : {}),
    },
    env: ctx.env,
    cwd: ctx.cwd,
    ...(file ? { file } : {}),
  });
}

/** Open the store the options name: the PostgreSQL database if one is configured, else the data directory. */
export async function openStoreFor(ctx: CommandContext, options: DataOptions) {
  const config = await registryConfigFor(ctx, options);
  const { openRegistryStore } = await import('../../registry/store/open-store.ts');
  return { store: await openRegistryStore(config), dataDir: config.dataDir };
}
