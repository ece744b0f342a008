// `mcp-lock manifest`: introspect a real server and write its manifest (to sign and publish).

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.ts';
import { type GenerateOptions, generateNpmManifest, generateRemoteManifest } from '../../adapters/manifest/generate.ts';
import type { Argument, KeyValueInput, McpLockManifest } from '../../core/generated/manifest.ts';
import type { ProtocolChoice } from '../../core/introspect/introspect.ts';
import { formatManifest, manifestDigest } from '../../core/manifest/manifest.ts';
import { SURFACE_KINDS } from '../../core/surface/pin.ts';
import { action, collect, usageError } from '../command.ts';
import { GENERATOR, VERSION } from '../version.ts';
import { maxItemsOption, parseMaxItems } from './max-items.ts';
import {
  hasPermissionFlags,
  type PermissionOptions,
  permissionOption,
  permissionsFromOptions,
} from './permission-flags.ts';

interface ManifestOptions extends PermissionOptions {
  url?: string;
  name?: string;
  description?: string;
  title?: string;
  serverVersion?: string;
  arg?: string[];
  namedArg?: string[];
  env?: string[];
  secretEnv?: string[];
  bin?: string;
  protocol: string;
  npmRegistry?: string;
  timeout: string;
  maxItems?: string;
  out?: string;
  force?: boolean;
  dynamicResources?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseServerArguments(options: Pick<ManifestOptions, 'arg' | 'namedArg' | 'env' | 'secretEnv'>): {
  packageArguments: Argument[];
  environmentVariables: KeyValueInput[];
} {
  const packageArguments: Argument[] = (options.arg ?? []).map((value) => ({ type: 'positional', value }));
  for (const pair of options.namedArg ?? []) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (!name.startsWith('-'))
      throw usageError(`--named-arg ${pair}: the name must start with -`, 'e.g. --named-arg --port=8080');
    packageArguments.push(eq < 0 ? { type: 'named', name } : { type: 'named', name, value: pair.slice(eq + 1) });
  }
  const environmentVariables: KeyValueInput[] = [];
  for (const pair of options.env ?? []) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq);
    if (!ENV_NAME.test(name)) throw usageError(`--env ${pair} is not NAME=VALUE`);
    environmentVariables.push({ name, value: pair.slice(eq + 1) });
  }
  for (const name of options.secretEnv ?? []) {
    if (!ENV_NAME.test(name)) throw usageError(`--secret-env ${name} is not a variable name`);
    environmentVariables.push({ name, isSecret: true, isRequired: true });
  }
  return { packageArguments, environmentVariables };
}

function summary(manifest: McpLockManifest): string {
  const s = manifest.surface;
  const counts = SURFACE_KINDS.map((k) => `${s[k].length} ${k}`).join(', ');
  return `${counts}; instructions ${s.instructions ? 'present' : 'absent'}; protocol ${s.protocolVersion}`;
}

export function registerManifest(program: Command): void {
  program
    .command('manifest')
    .summary('introspect a server and write its manifest')
    .description(
      'Make a manifest for one server version. For an npm package: install the exact package into a throw-away ' +
        'sandbox (install scripts never run), record its tarball integrity and whole dependency tree, start it over ' +
        'stdio and read its full surface (tools, prompts, resources, resource templates, instructions) in either ' +
        'protocol era, following every cursor within limits. For --url: connect to a remote Streamable HTTP server ' +
        'instead. The `server` part is an official registry server.json (2025-12-11). Sign it with `mcp-lock sign`. ' +
        "An npm package's README (README.md first; the first 64 KiB) goes into the manifest as its readme, which " +
        'the marketplace shows as Markdown (no raw HTML, no images loaded). Categories and tags for the catalogue go ' +
        'in server._meta["dev.mcp-lock/catalog"] ({"categories": ["data"], "tags": ["weather"]}).\n\n' +
        "An npm server's manifest declares its permissions (--allow-read, --allow-write, --allow-net; none by " +
        'default beyond its own install and a private /tmp and HOME): they are signed with the manifest, shown ' +
        'to curators, and enforced by `mcp-lock run` in a bubblewrap sandbox.',
    )
    .argument('[npm-spec]', 'package@version, e.g. @modelcontextprotocol/server-everything@2026.8.31')
    .option('--url <url>', 'remote Streamable HTTP server (https; http only to loopback) instead of a package')
    .option('--name <name>', 'server name, e.g. io.github.acme/weather (default: the package’s mcpName)')
    .option('--description <text>', 'description, at most 100 characters (default: the package’s)')
    .option('--title <text>', 'display title')
    .option('--server-version <version>', 'version of a remote server (default: what it reports)')
    .option('--arg <value>', 'positional argument for the server (repeatable, in order)', collect)
    .option('--named-arg <--flag=value>', 'named argument for the server (repeatable)', collect)
    .option('--env <NAME=VALUE>', 'environment variable for the server, recorded in the manifest (repeatable)', collect)
    .option(
      '--secret-env <NAME>',
      'secret variable read from your environment at launch, never recorded (repeatable)',
      collect,
    )
    .option('--bin <name>', 'which executable to start when the package has several')
    .option('--protocol <era>', 'auto, handshake (initialize) or stateless (2026-07-28 server/discover)', 'auto')
    .option('--npm-registry <url>', 'npm registry to install from', 'https://registry.npmjs.org')
    .option('--timeout <seconds>', 'limit for reading the surface', '120')
    .option(...maxItemsOption())
    .option(
      '--dynamic-resources',
      'the server adds resources at run time (files, session artifacts): `mcp-lock run` then hides a resource no pin covers instead of blocking the server; recorded in the pin, shown by list and diff',
    )
    .option('-o, --out <file>', 'write the manifest here (default: stdout)')
    .option('-f, --force', 'replace an existing output file')
    .option(...permissionOption('read'))
    .option(...permissionOption('write'))
    .option(...permissionOption('net'))
    .action(
      action(async (ctx, spec: string | undefined, options: ManifestOptions) => {
        if (Boolean(spec) === Boolean(options.url))
          throw usageError('give an npm spec or --url, not both and not neither');
        if (!['auto', 'handshake', 'stateless'].includes(options.protocol)) {
          throw usageError(`--protocol ${options.protocol}: use auto, handshake or stateless`);
        }
        const timeout = Number(options.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
          throw usageError('--timeout is seconds, 1 to 3600');
        const maxItems = parseMaxItems(options.maxItems);
        const { packageArguments, environmentVariables } = parseServerArguments(options);
        if (options.url && (packageArguments.length > 0 || environmentVariables.length > 0)) {
          throw usageError('--arg, --env and --secret-env apply to npm packages, not --url');
        }
        if (options.url && hasPermissionFlags(options)) {
          throw usageError('--allow-* apply to npm packages mcp-lock starts, not to a remote --url');
        }
        const generate: GenerateOptions = {
          ...(options.name ? { name: options.name } : {}),
          ...(options.description ? { description: options.description } : {}),
          ...(options.title ? { title: options.title } : {}),
          ...(options.serverVersion ? { version: options.serverVersion } : {}),
          packageArguments,
          environmentVariables,
          ...(options.url ? {} : { permissions: permissionsFromOptions(ctx.cwd, options) }),
          ...(options.bin ? { bin: options.bin } : {}),
          protocol: options.protocol as ProtocolChoice,
          ...(options.npmRegistry ? { npmRegistry: options.npmRegistry } : {}),
          limits: { timeoutMs: timeout * 1000, ...(maxItems ? { maxItems } : {}) },
          callerEnv: ctx.env,
          generator: GENERATOR,
          client: { name: 'mcp-lock', version: VERSION },
          onProgress: (m) => ctx.out.progress(m),
          ...(options.dynamicResources ? { dynamicResources: true } : {}),
        };
        const manifest = options.url
          ? await generateRemoteManifest(options.url, generate)
          : await generateNpmManifest(spec!, generate);
        const text = formatManifest(manifest);
        const digest = manifestDigest(manifest);
        if (options.out) {
          const out = resolve(ctx.cwd, options.out);
          writeFileAtomic(out, text, { exclusive: !options.force });
          ctx.out.result(
            {
              ok: true,
              manifest: out,
              manifestDigest: digest,
              server: manifest.server.name,
              version: manifest.server.version,
            },
            [
              `Wrote ${out}`,
              `  ${ctx.out.untrusted(manifest.server.name)}@${ctx.out.untrusted(manifest.server.version)} ${digest}`,
              `  ${summary(manifest)}`,
            ],
          );
        } else if (ctx.out.json) {
          ctx.out.result({ ok: true, manifestDigest: digest, manifest }, []);
        } else {
          ctx.out.document(text);
          ctx.out.progress(`${summary(manifest)}; ${digest}`);
        }
        return 0;
      }),
    );
}
