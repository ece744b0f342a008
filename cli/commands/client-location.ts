// Which client config file `wrap` and `import` work on: the client's format, the project directory, and
// the config's path (--config, or the client's location for --scope) with where its servers sit in it.
import { resolve } from 'node:path';
import { resolveConfigLocation } from '../../adapters/clients/config-file.ts';
import { type ClientFormat, type ConfigScope, clientFormat, parseScope } from '../../core/clients/client-formats.ts';
import type { CommandContext } from '../command.ts';

export interface ClientLocationOptions {
  client: string;
  config?: string;
  scope?: string;
  project?: string;
}

export interface ClientLocation {
  format: ClientFormat;
  scope: ConfigScope;
  root: string;
  path: string;
  serversPath: string[];
}

export function locateClientConfig(ctx: CommandContext, options: ClientLocationOptions): ClientLocation {
  const format = clientFormat(options.client);
  const root = resolve(ctx.cwd, options.project ?? '.');
  const scope = parseScope(format, options.scope);
  const location = resolveConfigLocation(format, scope, {
    config: options.config,
    cwd: ctx.cwd,
    projectDir: root,
    env: ctx.env,
  });
  return { format, scope, root, path: location.path, serversPath: location.serversPath };
}
