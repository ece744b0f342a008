// `mcp-lock add`: pin a server from a trusted registry (or, with --tofu, one no registry knows).

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyPin, type PreparedPin, prepareRegistryPin } from '../../adapters/consumer/pin.ts';
import { fetchRegistryTrust, normalizeRegistryUrl } from '../../adapters/consumer/registry.ts';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import { generateNpmManifest, generateRemoteManifest } from '../../adapters/manifest/generate.ts';
import { discardLocalPackage, isLocalSpec, storeLocalPackage } from '../../adapters/npm/local-package.ts';
import { ensureStateDirs, readLock } from '../../adapters/project/project.ts';
import { projectTrustedRoot } from '../../adapters/project/verify-entry.ts';
import { assertAddable } from '../../core/consumer/plan.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import type { KeyValueInput } from '../../core/generated/manifest.ts';
import { parseHeaderTemplate } from '../../core/launch/remote-headers.ts';
import { describeSigner } from '../../core/lockfile/signer.ts';
import { packageTofuName } from '../../core/lockfile/tofu-name.ts';
import { DEFAULT_NPM_REGISTRY, isLocalPackage, LOCAL_LABEL, localTarballPath } from '../../core/manifest/check-tree.ts';
import { manifestDigest } from '../../core/manifest/manifest.ts';
import { parseNpmSpec } from '../../core/npm/spec.ts';
import { describePermissions } from '../../core/permissions/permissions.ts';
import { SURFACE_KINDS } from '../../core/surface/pin.ts';
import { action, type CommandContext, collect, usageError } from '../command.ts';
import { dynamicResourcesLabel } from '../render/manifest-diff.ts';
import { GENERATOR, VERSION } from '../version.ts';
import { parseServerArguments } from './manifest.ts';
import { maxItemsOption, parseMaxItems } from './max-items.ts';
import {
  hasPermissionFlags,
  type PermissionOptions,
  permissionOption,
  permissionsFromOptions,
} from './permission-flags.ts';
import { reportPinChecks } from './pin-checks.ts';

interface AddOptions extends PermissionOptions {
  registry?: string;
  maxItems?: string;
  project?: string;
  tofu?: boolean;
  url?: string;
  name?: string;
  arg?: string[];
  namedArg?: string[];
  env?: string[];
  secretEnv?: string[];
  passEnv?: string[];
  header?: string[];
  transport?: string;
  bin?: string;
  allowSignerChange?: boolean;
  signerKey?: string;
  npmRegistry?: string;
  allowShadowing?: boolean;
  dynamicResources?: boolean;
}

/** `name` or `name@version`; names contain one slash and never an @. */
export function parseNameVersion(text: string): { name: string; version: string } {
  const at = text.lastIndexOf('@');
  const name = at > 0 ? text.slice(0, at) : text;
  const version = at > 0 ? text.slice(at + 1) : 'latest';
  if (!/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/.test(name)) {
    throw usageError(
      `"${text}" is not a server name like io.github.owner/server[@version]`,
      'For an npm package nobody published, use --tofu <npm-spec>.',
    );
  }
  if (!version) throw usageError(`"${text}": the version after @ is empty`);
  return { name, version };
}

/** Pick the registry: --registry (pinning it on first use) or the one the lock trusts. */
export async function chooseRegistry(
  ctx: CommandContext,
  lock: McpLockFile,
  flag: string | undefined,
): Promise<string> {
  const trusted = Object.keys(lock.registries);
  if (!flag) {
    if (trusted.length === 1) return trusted[0]!;
    throw usageError(
      trusted.length === 0
        ? 'the lock trusts no registry'
        : `the lock trusts ${trusted.length} registries; choose one with --registry`,
      trusted.length === 0
        ? 'Pass --registry <url> (or run `mcp-lock init --registry <url>`).'
        : `Trusted: ${trusted.join(', ')}`,
    );
  }
  const url = normalizeRegistryUrl(flag);
  if (!lock.registries[url]) {
    ctx.out.progress(`Trusting new registry ${url}: fetching its approval key and TUF root …`);
    const { trust, rootFingerprint } = await fetchRegistryTrust(url);
    lock.registries[url] = trust;
    for (const k of trust.approvalKeys) {
      ctx.out.warn(`pinned ${url} approval key ${k.keyId} on first use; check this fingerprint`);
    }
    ctx.out.warn(`pinned ${url} TUF root ${rootFingerprint} on first use; check this fingerprint`);
  }
  return url;
}

/** A TOFU pin from another npm registry makes the lock trust that registry's tarball URLs (said aloud). */
export function trustNpmRegistry(ctx: CommandContext, lock: McpLockFile, registry: string | undefined): void {
  if (!registry) return;
  const url = registry.replace(/\/+$/, '');
  const current = lock.npmRegistries ?? [DEFAULT_NPM_REGISTRY];
  if (current.includes(url)) return;
  lock.npmRegistries = [...current, url];
  ctx.out.warn(`the lock now also trusts tarballs from ${url}`);
}

/** Where tarballs come from (--npm-registry); npm's cache and CAs come from its own settings. */
export function npmInstallOptions(npmRegistry: string | undefined): { npmRegistry?: string } {
  return npmRegistry ? { npmRegistry } : {};
}

export function pinSummary(ctx: CommandContext, pin: PreparedPin): string[] {
  const s = pin.manifest.surface;
  const lines = [
    `Pinned ${ctx.out.untrusted(pin.name)}@${ctx.out.untrusted(pin.manifest.server.version)} ${manifestDigest(pin.manifest)}`,
    `  signer   ${ctx.out.untrusted(describeSigner(pin.signer))}`,
    `  approval ${pin.approval ? `${pin.approval.registry} key ${pin.approval.keyId}` : 'none (not from a registry)'}`,
    `  surface  ${SURFACE_KINDS.map((k) => `${s[k].length} ${k}`).join(', ')}; instructions ${s.instructions ? 'pinned' : 'absent'}`,
    `  resources added at run time: ${dynamicResourcesLabel(s.dynamicResources === true)}`,
  ];
  if (pin.manifest.package)
    lines.push(
      `  package  ${pin.manifest.package.identifier}@${pin.manifest.package.version} (${pin.manifest.package.tree.length} packages, install scripts off)`,
    );
  if (pin.manifest.package) {
    const [first, ...rest] = describePermissions(pin.manifest.permissions);
    lines.push(`  sandbox  ${ctx.out.untrusted(first!)}`, ...rest.map((l) => `           ${ctx.out.untrusted(l)}`));
  }
  if (pin.manifest.package && isLocalPackage(pin.manifest.package))
    lines.push(
      ctx.out.style(`  ${LOCAL_LABEL}: ${localTarballPath(pin.manifest.package.integrity)}`, 'yellow', 'bold'),
    );
  if (pin.passEnv?.length) lines.push(`  passEnv  ${pin.passEnv.map((n) => ctx.out.untrusted(n)).join(', ')}`);
  if (!pin.signer)
    lines.push(
      ctx.out.style('  UNSIGNED: trusted on first use; nobody reviewed or signed this server', 'yellow', 'bold'),
    );
  return lines;
}

/** `Name: value` as a header template (secrets as ${VAR}). */
function parseHeaderOption(text: string): KeyValueInput {
  const colon = text.indexOf(':');
  if (colon <= 0) throw usageError(`--header ${text} is not "Name: value"`);
  return parseHeaderTemplate(text.slice(0, colon).trim(), text.slice(colon + 1).trim());
}

/** Variable names for the lock's passEnv. */
export function parsePassEnv(names: readonly string[]): string[] {
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > 200) {
      throw usageError(`--pass-env ${name} is not a variable name`);
    }
  }
  return [...new Set(names)].sort();
}

export function registerAdd(program: Command): void {
  program
    .command('add')
    .summary('pin a server from a registry (or --tofu an npm package)')
    .description(
      'Pin a server version in mcp-lock.json. From a registry: fetch its manifest and bundles, verify the publisher ' +
        'signature (the signer is pinned on first use; a later change is refused without --allow-signer-change), the ' +
        'curator approval against the pinned registry key, and that the version is not yanked; install the exact ' +
        'dependency tree with install scripts off, checking every tarball against its pinned integrity; then write the ' +
        'lock atomically. With --tofu, introspect an npm package (or --url a remote server) locally and pin it ' +
        'UNSIGNED, trust on first use, which every report shows. A --tofu npm server is pinned with permissions ' +
        '(--allow-read, --allow-write, --allow-net; none by default beyond its own install and a private /tmp ' +
        'and HOME) that `mcp-lock run` enforces in a bubblewrap sandbox.',
    )
    .argument(
      '[server]',
      'name[@version] from the registry, or with --tofu an npm spec or a local package (./dir, ./pkg.tgz, file:…) pinned LOCAL by its tarball integrity',
    )
    .option('--registry <url>', 'registry to pin from (default: the one the lock trusts); pinned on first use')
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('--tofu', 'pin an npm package (or --url) nobody signed, introspected locally')
    .option('--url <url>', 'with --tofu: a remote server')
    .option(
      '--transport <type>',
      'with --url: streamable-http, or sse for the deprecated HTTP+SSE transport',
      'streamable-http',
    )
    .option(
      '--header <"Name: value">',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax the option takes
      'with --url: a header the remote needs, secrets as ${VAR} read from the environment at pin and run time, never stored (e.g. "Authorization: Bearer ${API_TOKEN}"; repeatable)',
      collect,
    )
    .option(
      '--name <name>',
      'with --tofu: the server name (default: npm.<scope>/<package>, the name `import` gives it; needed with --url)',
    )
    .option('--arg <value>', 'with --tofu: positional argument for the server (repeatable)', collect)
    .option('--named-arg <--flag=value>', 'with --tofu: named argument (repeatable)', collect)
    .option('--env <NAME=VALUE>', 'with --tofu: environment variable (repeatable)', collect)
    .option('--secret-env <NAME>', 'with --tofu: secret read at launch, never stored (repeatable)', collect)
    .option(
      '--pass-env <NAME>',
      'let run pass this variable from the caller’s environment although the manifest does not declare it (by name, recorded in the lock; repeatable)',
      collect,
    )
    .option('--bin <name>', 'with --tofu: executable to start when the package has several')
    .option(...maxItemsOption('with --tofu: '))
    .option(
      '--dynamic-resources',
      'with --tofu: the server adds resources at run time (files, session artifacts): `mcp-lock run` then hides a resource no pin covers instead of blocking the server; recorded in the pin, shown by list and diff',
    )
    .option('--signer-key <public.pem>', 'the publisher key to trust instead of the registry’s namespace keys')
    .option('--allow-signer-change', 'accept a different publisher signer than the one pinned')
    .option('--allow-shadowing', 'pin even if a tool name collides with another pinned server’s tool')
    .option('--npm-registry <url>', 'npm registry to download tarballs from (with --tofu, also trusted in the lock)')
    .option(...permissionOption('read', 'with --tofu: '))
    .option(...permissionOption('write', 'with --tofu: '))
    .option(...permissionOption('net', 'with --tofu: '))
    .action(
      action(async (ctx, server: string | undefined, options: AddOptions) => {
        const root = resolve(ctx.cwd, options.project ?? '.');
        const lock = readLock(root);
        let pin: PreparedPin;
        if (options.tofu) {
          if (Boolean(server) === Boolean(options.url)) throw usageError('--tofu needs an npm spec or --url, not both');
          if (options.url && hasPermissionFlags(options))
            throw usageError('--allow-* apply to npm packages mcp-lock starts, not to a remote --url');
          const { packageArguments, environmentVariables } = parseServerArguments(options);
          const maxItems = parseMaxItems(options.maxItems);
          // The same name `import` gives the same package, so the two never make two entries for it.
          const local = server && isLocalSpec(server) ? await storeLocalPackage(server, ctx.cwd, root) : undefined;
          const name = options.name ?? (options.url || local ? undefined : packageTofuName(parseNpmSpec(server!).name));
          if (options.header && !options.url) throw usageError('--header goes with --tofu --url');
          const headers = (options.header ?? []).map(parseHeaderOption);
          const transport = options.transport ?? 'streamable-http';
          if (transport !== 'streamable-http' && transport !== 'sse')
            throw usageError('--transport is streamable-http or sse');
          const generate = {
            ...(name ? { name } : {}),
            ...(headers.length ? { headers } : {}),
            ...(options.url ? { transport: transport as 'streamable-http' | 'sse' } : {}),
            packageArguments,
            environmentVariables,
            ...(options.url ? {} : { permissions: permissionsFromOptions(ctx.cwd, options) }),
            ...(options.bin ? { bin: options.bin } : {}),
            ...(options.npmRegistry ? { npmRegistry: options.npmRegistry } : {}),
            ...(maxItems ? { limits: { maxItems } } : {}),
            callerEnv: ctx.env,
            generator: GENERATOR,
            client: { name: 'mcp-lock', version: VERSION },
            onProgress: (m: string) => ctx.out.progress(m),
            ...(options.dynamicResources ? { dynamicResources: true } : {}),
            ...(local ? { local: { path: local.path, integrity: local.integrity } } : {}),
          };
          const manifest = options.url
            ? await generateRemoteManifest(options.url, generate)
            : await generateNpmManifest(server!, generate).catch((error: unknown) => {
                discardLocalPackage(local);
                throw error;
              });
          trustNpmRegistry(ctx, lock, options.npmRegistry);
          pin = {
            name: manifest.server.name,
            source: { type: 'tofu', spec: options.url ?? server! },
            manifest,
            signer: null,
            approval: null,
            bundles: {},
          };
        } else {
          if (!server) throw usageError('give a server name[@version] (or --tofu <npm-spec>)');
          if (
            options.url ||
            options.name ||
            options.arg ||
            options.env ||
            options.secretEnv ||
            options.dynamicResources ||
            options.maxItems ||
            hasPermissionFlags(options)
          ) {
            throw usageError(
              '--url, --name, --arg, --env, --allow-*, --dynamic-resources and --max-items go with --tofu; a registry manifest declares its own',
            );
          }
          const { name, version } = parseNameVersion(server);
          const registry = await chooseRegistry(ctx, lock, options.registry);
          ctx.out.progress(`Fetching and verifying ${name}@${version} from ${registry} …`);
          pin = await prepareRegistryPin(lock, registry, name, version, {
            project: root,
            allowSignerChange: Boolean(options.allowSignerChange),
            ...(options.signerKey
              ? {
                  signerKeyPem: readInputFile(resolve(ctx.cwd, options.signerKey), 'signer key', 64 * 1024).toString(
                    'utf8',
                  ),
                }
              : {}),
            trustedRoot: projectTrustedRoot(root),
          });
          if (pin.status === 'deprecated')
            ctx.out.warn(
              `${name}@${pin.manifest.server.version} is deprecated${pin.statusReason ? `: ${ctx.out.untrusted(pin.statusReason)}` : ''}`,
            );
        }
        if (options.passEnv) pin = { ...pin, passEnv: parsePassEnv(options.passEnv) };
        assertAddable(lock, {
          name: pin.name,
          manifest: manifestDigest(pin.manifest),
          version: pin.manifest.server.version,
          tofu: pin.source.type === 'tofu',
        });
        const checks = reportPinChecks(ctx, root, lock, pin, { allowShadowing: Boolean(options.allowShadowing) });
        ensureStateDirs(root);
        if (pin.manifest.package)
          ctx.out.progress(
            `Installing ${pin.manifest.package.identifier}@${pin.manifest.package.version} (install scripts off) …`,
          );
        const { entry } = await applyPin(root, lock, pin, npmInstallOptions(options.npmRegistry));
        ctx.out.result({ ok: true, server: pin.name, entry, ...checks }, pinSummary(ctx, pin));
        return 0;
      }),
    );
}
