// The version an `update` or `diff` would move a pinned server to: from its registry (verified exactly
// like `add`), or for a TOFU pin, introspected again from an npm spec with the same arguments.

import { McpLockError } from '../../core/errors.ts';
import type { LockedServer, McpLockFile } from '../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { isLocalPackage } from '../../core/manifest/check-tree.ts';
import { parseNpmSpec } from '../../core/npm/spec.ts';
import { generateNpmManifest, generateRemoteManifest } from '../manifest/generate.ts';
import { type PreparedPin, prepareRegistryPin } from './pin.ts';

export interface CandidateOptions {
  /** The project directory (its TUF cache). */
  project: string;
  /** Registry version (default: latest), or for TOFU an npm spec / version. */
  to?: string;
  allowSignerChange: boolean;
  signerKeyPem?: string;
  trustedRoot?: unknown;
  callerEnv: Readonly<Record<string, string | undefined>>;
  generator: string;
  client: { name: string; version: string };
  onProgress?: (message: string) => void;
}

export async function prepareCandidate(
  lock: McpLockFile,
  name: string,
  entry: LockedServer,
  current: McpLockManifest,
  options: CandidateOptions,
): Promise<PreparedPin> {
  if (entry.source.type === 'registry') {
    options.onProgress?.(`Fetching and verifying ${name}@${options.to ?? 'latest'} from ${entry.source.registry} …`);
    return prepareRegistryPin(lock, entry.source.registry, name, options.to ?? 'latest', {
      project: options.project,
      allowSignerChange: options.allowSignerChange,
      ...(options.signerKeyPem ? { signerKeyPem: options.signerKeyPem } : {}),
      ...(options.trustedRoot ? { trustedRoot: options.trustedRoot } : {}),
    });
  }
  // TOFU: introspect again, with the arguments and environment the current pin declares.
  const npmEntry = current.server.packages?.find((p) => p.registryType === 'npm');
  const common = {
    name,
    callerEnv: options.callerEnv,
    generator: options.generator,
    client: options.client,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    // Whoever pinned it declared that it adds resources at run time; a re-introspection keeps that.
    dynamicResources: current.surface.dynamicResources === true,
  };
  let manifest: McpLockManifest;
  if (current.package && isLocalPackage(current.package)) {
    // Never from the npm registry: a published package of the same name is not the author's local one.
    throw new McpLockError('USAGE', `${name} is a LOCAL package pin; it is not updated from a registry`, {
      hint: `Pin the new build again: \`mcp-lock remove ${name}\`, then \`mcp-lock add --tofu <dir or tarball>\`.`,
    });
  }
  if (npmEntry && current.package) {
    const to = options.to ?? `${current.package.identifier}@latest`;
    const spec = /^\d/.test(to) ? `${current.package.identifier}@${to}` : to;
    if (parseNpmSpec(spec).name !== current.package.identifier) {
      throw new McpLockError('USAGE', `--to ${to} names another package than ${current.package.identifier}`);
    }
    manifest = await generateNpmManifest(spec, {
      ...common,
      ...(npmEntry.packageArguments ? { packageArguments: npmEntry.packageArguments } : {}),
      ...(npmEntry.environmentVariables ? { environmentVariables: npmEntry.environmentVariables } : {}),
      ...(npmEntry.registryBaseUrl ? { npmRegistry: npmEntry.registryBaseUrl } : {}),
      bin: current.package.bin.name,
      // The same permissions: a TOFU update never widens them by itself.
      ...(current.permissions ? { permissions: current.permissions } : {}),
    });
  } else {
    const url = current.server.remotes?.[0]?.url;
    if (!url) throw new McpLockError('CONFIG_INVALID', `${name} has neither a package nor a remote`);
    manifest = await generateRemoteManifest(url, { ...common, ...(options.to ? { version: options.to } : {}) });
  }
  return { name, source: entry.source, manifest, signer: null, approval: null, bundles: {} };
}
