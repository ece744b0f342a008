// Turning one client config entry into a prepared pin, written nowhere yet: from a trusted registry when
// one publishes what the entry launches (verified exactly like `mcp-lock add`), otherwise trust on first
// use (installed in a sandbox with scripts off and introspected live, like `add --tofu`). Entries already
// pinned, or that mcp-lock cannot pin, come back as such with the reason.

import { describeEntry, type EntryLaunch } from '../../core/clients/launch-spec.ts';
import { type LockedTarget, launchNotes, matchEntry } from '../../core/clients/match.ts';
import { findInRegistry, type ListedVersion } from '../../core/clients/registry-match.ts';
import { introspectionEnv, tofuRequest } from '../../core/clients/tofu-request.ts';
import type { ConfigEntry } from '../../core/clients/wrap-plan.ts';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { planArguments } from '../../core/launch/launch-plan.ts';
import { nameSegment } from '../../core/lockfile/tofu-name.ts';
import { type PreparedPin, prepareRegistryPin } from '../consumer/pin.ts';
import { generateNpmManifest, generateRemoteManifest } from '../manifest/generate.ts';
import { listRegistryVersions } from './registry-listing.ts';

export interface ImportContext {
  root: string;
  lock: McpLockFile;
  targets: LockedTarget[];
  /** Registries to look in, in order. */
  registries: string[];
  npmRegistry?: string | undefined;
  callerEnv: Readonly<Record<string, string | undefined>>;
  allowSignerChange: boolean;
  trustedRoot: unknown;
  generator: string;
  client: { name: string; version: string };
  /** Lock names taken by earlier entries of this import. */
  taken: Set<string>;
  progress(message: string): void;
}

export type EntryOutcome =
  | { kind: 'prepared'; launch: EntryLaunch; pin: PreparedPin; notes: string[] }
  | { kind: 'already'; launch: EntryLaunch; name: string; notes: string[] }
  | { kind: 'skipped'; launch: EntryLaunch; reason: string };

const listings = new Map<string, Promise<ListedVersion[]>>();

function listing(registry: string): Promise<ListedVersion[]> {
  let found = listings.get(registry);
  if (!found) {
    found = listRegistryVersions(registry);
    listings.set(registry, found);
  }
  return found;
}

/** What running the pinned manifest changes compared to the config entry. */
function notesFor(launch: EntryLaunch, manifest: McpLockManifest): string[] {
  const pkg = manifest.package
    ? manifest.server.packages?.find((p) => p.registryType === 'npm' && p.identifier === manifest.package!.identifier)
    : undefined;
  let pinnedArgs: string[] | null = null;
  try {
    pinnedArgs = pkg ? planArguments(pkg.packageArguments) : null;
  } catch {
    pinnedArgs = null;
  }
  const target: LockedTarget = {
    name: manifest.server.name,
    version: manifest.package?.version ?? manifest.server.version,
    source: 'registry',
    pinnedArgs,
    envNames: pkg ? (pkg.environmentVariables ?? []).map((v) => v.name) : null,
  };
  return launchNotes(launch, target).map((n) => n.message);
}

function freeName(ctx: ImportContext, name: string, key: string): string {
  const isFree = (n: string) => !Object.hasOwn(ctx.lock.servers, n) && !ctx.taken.has(n);
  if (isFree(name)) return name;
  const other = `${name}-${nameSegment(key)}`.slice(0, 200);
  if (isFree(other)) return other;
  throw new McpLockError('CONFLICT', `the names ${name} and ${other} are both taken in the lock`, {
    hint: 'Remove the stale entry with `mcp-lock remove`, or pin this server with `mcp-lock add --tofu --name …`.',
  });
}

async function fromRegistry(
  ctx: ImportContext,
  launch: EntryLaunch,
): Promise<{ registry: string; name: string; version: string; note?: string } | null> {
  for (const registry of ctx.registries) {
    const match = findInRegistry(launch, await listing(registry));
    if (match.kind === 'ambiguous') {
      throw new McpLockError('CONFLICT', `several servers in ${registry} publish it: ${match.names.join(', ')}`, {
        hint: 'Pin the one you mean with `mcp-lock add <name>@<version>`.',
      });
    }
    if (match.kind === 'found') {
      return { registry, name: match.name, version: match.version, ...(match.note ? { note: match.note } : {}) };
    }
  }
  return null;
}

/** Prepare one entry. Throws (McpLockError) when verification or introspection fails. */
export async function prepareEntry(ctx: ImportContext, entry: ConfigEntry): Promise<EntryOutcome> {
  const launch = describeEntry(entry.value);
  if (launch.kind === 'wrapped') {
    if (Object.hasOwn(ctx.lock.servers, launch.name)) return { kind: 'already', launch, name: launch.name, notes: [] };
    return {
      kind: 'skipped',
      launch,
      reason: `it already runs mcp-lock run ${launch.name}, which this lock does not pin`,
    };
  }
  if (launch.kind === 'other') return { kind: 'skipped', launch, reason: launch.reason };
  const match = matchEntry(launch, ctx.targets);
  if (match.status === 'pinned') {
    return { kind: 'already', launch, name: match.target.name, notes: match.notes.map((n) => n.message) };
  }
  if (match.status === 'ambiguous') {
    return {
      kind: 'already',
      launch,
      name: match.candidates[0]!,
      notes: [`also pinned as ${match.candidates.join(', ')}`],
    };
  }

  const published = await fromRegistry(ctx, launch);
  if (published) {
    if (Object.hasOwn(ctx.lock.servers, published.name) || ctx.taken.has(published.name)) {
      throw new McpLockError('CONFLICT', `${published.name} is already pinned with another package or version`, {
        hint: `Use \`mcp-lock update ${published.name}\` to change the pinned version.`,
      });
    }
    ctx.progress(`Fetching and verifying ${published.name}@${published.version} from ${published.registry} …`);
    const pin = await prepareRegistryPin(ctx.lock, published.registry, published.name, published.version, {
      project: ctx.root,
      allowSignerChange: ctx.allowSignerChange,
      trustedRoot: ctx.trustedRoot,
    });
    ctx.taken.add(pin.name);
    return {
      kind: 'prepared',
      launch,
      pin,
      notes: [...(published.note ? [published.note] : []), ...notesFor(launch, pin.manifest)],
    };
  }

  const request = tofuRequest(launch, entry.key);
  if (!request.ok) return { kind: 'skipped', launch, reason: request.reason };
  const name = freeName(ctx, request.name, entry.key);
  ctx.taken.add(name);
  const generate = {
    name,
    packageArguments: request.packageArguments,
    environmentVariables: request.environmentVariables,
    ...(ctx.npmRegistry ? { npmRegistry: ctx.npmRegistry } : {}),
    callerEnv:
      launch.kind === 'npm' ? { ...ctx.callerEnv, ...introspectionEnv(launch.env, ctx.callerEnv) } : ctx.callerEnv,
    generator: ctx.generator,
    client: ctx.client,
    onProgress: ctx.progress,
  };
  const manifest =
    request.kind === 'remote'
      ? await generateRemoteManifest(request.target, generate)
      : await generateNpmManifest(request.target, generate);
  const pin: PreparedPin = {
    name,
    source: { type: 'tofu', spec: request.target },
    manifest,
    signer: null,
    approval: null,
    bundles: {},
  };
  return { kind: 'prepared', launch, pin, notes: notesFor(launch, manifest) };
}
