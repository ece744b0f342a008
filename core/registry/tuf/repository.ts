// The registry as a TUF repository for its own state. Inside the same store transaction as a status
// change, `republish` re-signs targets (the changed servers' entries rebuilt, the others carried over),
// snapshot and timestamp, each one version up, so the change and its signed state commit together or
// not at all. `refreshIfDue` re-signs what is about to expire (the timestamp daily by default).

import { Metadata, MetaFile, type Root, Snapshot, Targets, Timestamp } from '@tufjs/models';
import { McpLockError } from '../../errors.ts';
import type { RegistryStore, StoreReader, StoreTx } from '../ports.ts';
import {
  addSignatures,
  expiresAt,
  metadataBytes,
  ONLINE_ROLES,
  parseRoot,
  parseSnapshot,
  parseTargets,
  parseTimestamp,
  TUF_SPEC_VERSION,
  type TufExpiries,
  type TufSigner,
} from './metadata.ts';
import { serverTargetFiles, serverTargetPrefix } from './targets.ts';

export interface TufRepositoryDeps {
  /** The online key: signs targets, snapshot and timestamp. */
  online: TufSigner;
  expiries: TufExpiries;
  now?: () => Date;
}

export type RefreshOutcome = 'fresh' | 'timestamp' | 'all';

const noRoot = () =>
  new McpLockError('STORAGE_ERROR', 'the registry has no TUF root', {
    hint: 'Run `mcp-lock registry keys init` on the data directory (registry serve does it on first start).',
  });

export class TufRepository {
  private readonly online: TufSigner;
  private readonly expiries: TufExpiries;
  private readonly now: () => Date;

  constructor(deps: TufRepositoryDeps) {
    this.online = deps.online;
    this.expiries = deps.expiries;
    this.now = deps.now ?? (() => new Date());
  }

  async root(reader: StoreReader): Promise<Metadata<Root>> {
    const bytes = await reader.getTufMetadata('root');
    if (!bytes) throw noRoot();
    return parseRoot(bytes, 'the stored TUF root');
  }

  /** The online key must be the one the current root names for every online role. */
  private assertOnlineKey(root: Metadata<Root>): void {
    for (const role of ONLINE_ROLES) {
      if (!root.signed.roles[role]?.keyIDs.includes(this.online.keyId)) {
        throw new McpLockError('STORAGE_ERROR', `the TUF root does not trust this registry's online key for ${role}`, {
          hint: 'Rotate the root to the current online key: `mcp-lock registry keys rotate`.',
        });
      }
    }
  }

  /** New targets, snapshot and timestamp; `names` are the servers whose entries changed (all when omitted). */
  async republish(
    tx: StoreTx,
    names?: readonly string[],
  ): Promise<{ targets: number; snapshot: number; timestamp: number }> {
    const root = await this.root(tx);
    this.assertOnlineKey(root);
    const now = this.now();
    const previousBytes = await tx.getTufMetadata('targets');
    const previous = previousBytes ? parseTargets(previousBytes) : undefined;
    const rebuild = names === undefined || previous === undefined ? await tx.serverNames() : names;
    const targets = new Targets({
      version: (previous?.signed.version ?? 0) + 1,
      specVersion: TUF_SPEC_VERSION,
      expires: expiresAt(now, this.expiries.targets),
    });
    const prefixes = rebuild.map(serverTargetPrefix);
    for (const [path, file] of Object.entries(previous?.signed.targets ?? {})) {
      if (!prefixes.some((p) => path.startsWith(p))) targets.addTarget(file);
    }
    for (const name of rebuild) {
      const versions = await tx.listVersions(name);
      const lengths = new Map<string, number>();
      for (const v of versions) {
        const bytes = await tx.getBlob(v.blobs.manifest);
        if (bytes) lengths.set(v.version, bytes.byteLength);
      }
      const { files, index } = serverTargetFiles(name, versions, (v) => {
        const length = lengths.get(v.version);
        if (length === undefined)
          throw new McpLockError('STORAGE_ERROR', `the manifest of ${name}@${v.version} is missing`);
        return length;
      });
      if (index) await tx.putBlob(index);
      for (const file of files) targets.addTarget(file);
    }
    return this.signOnline(tx, targets);
  }

  private async signOnline(tx: StoreTx, targets: Targets | null) {
    const now = this.now();
    let targetsVersion: number;
    if (targets) {
      const md = new Metadata(targets);
      addSignatures(md, [this.online]);
      await tx.putTufMetadata('targets', targets.version, metadataBytes(md));
      targetsVersion = targets.version;
    } else {
      const current = await tx.getTufMetadata('targets');
      if (!current) throw noRoot();
      targetsVersion = parseTargets(current).signed.version;
    }
    const snapshotBytes = await tx.getTufMetadata('snapshot');
    const previousSnapshot = snapshotBytes ? parseSnapshot(snapshotBytes) : undefined;
    let snapshotVersion = previousSnapshot?.signed.version ?? 0;
    if (targets || !previousSnapshot) {
      const snapshot = new Snapshot({
        version: snapshotVersion + 1,
        specVersion: TUF_SPEC_VERSION,
        expires: expiresAt(now, this.expiries.snapshot),
        meta: { 'targets.json': new MetaFile({ version: targetsVersion }) },
      });
      const md = new Metadata(snapshot);
      addSignatures(md, [this.online]);
      snapshotVersion = snapshot.version;
      await tx.putTufMetadata('snapshot', snapshotVersion, metadataBytes(md));
    }
    const timestampBytes = await tx.getTufMetadata('timestamp');
    const previousTimestamp = timestampBytes ? parseTimestamp(timestampBytes).signed.version : 0;
    const timestamp = new Timestamp({
      version: previousTimestamp + 1,
      specVersion: TUF_SPEC_VERSION,
      expires: expiresAt(now, this.expiries.timestamp),
      snapshotMeta: new MetaFile({ version: snapshotVersion }),
    });
    const md = new Metadata(timestamp);
    addSignatures(md, [this.online]);
    await tx.putTufMetadata('timestamp', timestamp.version, metadataBytes(md));
    return { targets: targetsVersion, snapshot: snapshotVersion, timestamp: timestamp.version };
  }

  /**
   * Re-sign what passed half its lifetime: the timestamp alone, or (when targets or snapshot are due, or
   * nothing was published yet) everything.
   */
  async refreshIfDue(store: RegistryStore): Promise<RefreshOutcome> {
    const due = (expires: string | undefined, lifetime: number) =>
      expires === undefined || Date.parse(expires) - this.now().getTime() < (lifetime * 1000) / 2;
    const state = async (reader: StoreReader) => {
      const [t, s, ts] = await Promise.all([
        reader.getTufMetadata('targets'),
        reader.getTufMetadata('snapshot'),
        reader.getTufMetadata('timestamp'),
      ]);
      return {
        all:
          due(t && parseTargets(t).signed.expires, this.expiries.targets) ||
          due(s && parseSnapshot(s).signed.expires, this.expiries.snapshot),
        timestamp: due(ts && parseTimestamp(ts).signed.expires, this.expiries.timestamp),
      };
    };
    const before = await state(store);
    if (!before.all && !before.timestamp) return 'fresh';
    return store.transaction(async (tx) => {
      const now = await state(tx); // another process may have refreshed meanwhile
      if (now.all) {
        await this.republish(tx);
        return 'all';
      }
      if (now.timestamp) {
        this.assertOnlineKey(await this.root(tx));
        await this.signOnline(tx, null);
        return 'timestamp';
      }
      return 'fresh';
    });
  }
}
