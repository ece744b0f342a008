// The registry's TUF metadata (root, targets, snapshot, timestamp), built and signed with @tufjs/models.
// Keys and signing are ports (adapters/tuf/keys.ts holds the private keys); this module only decides
// what each role says, how long it lives, and parses stored or fetched metadata strictly.

import {
  Metadata,
  type MetadataKind,
  Root,
  Signature,
  type Snapshot,
  type Targets,
  type Timestamp,
} from '@tufjs/models';
import { canonicalJson, sha256Hex } from '../../canonical/digest.ts';
import { McpLockError } from '../../errors.ts';
import { type JsonObject, parseStrictJson } from '../../json/strict-json.ts';

export const TUF_SPEC_VERSION = '1.0.31';
export const TUF_ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
export type TufRole = (typeof TUF_ROLES)[number];
/** The roles the registry's online key signs (root keys can stay offline). */
export const ONLINE_ROLES = ['targets', 'snapshot', 'timestamp'] as const;

/** A public key as root lists it: ed25519 (hex) or ECDSA P-256 (SPKI PEM). */
export interface TufPublicKey {
  keytype: 'ed25519' | 'ecdsa';
  scheme: 'ed25519' | 'ecdsa-sha2-nistp256';
  public: string;
}

/** Signs the canonical bytes of a role with one key and returns the hex signature. */
export interface TufSigner {
  keyId: string;
  publicKey: TufPublicKey;
  sign(data: Uint8Array): string;
}

/** How long each role is valid after it is signed, in seconds. */
export interface TufExpiries {
  root: number;
  targets: number;
  snapshot: number;
  timestamp: number;
}

const DAY = 24 * 60 * 60;
export const DEFAULT_TUF_EXPIRIES: TufExpiries = {
  root: 365 * DAY,
  targets: 7 * DAY,
  snapshot: 7 * DAY,
  timestamp: DAY,
};
export const EXPIRY_BOUNDS: Record<keyof TufExpiries, [number, number]> = {
  root: [DAY, 10 * 365 * DAY],
  targets: [60, 365 * DAY],
  snapshot: [60, 365 * DAY],
  timestamp: [60, 30 * DAY],
};

/** Bytes a stored or fetched role may have (tuf-js's defaults). */
export const TUF_MAX_BYTES: Record<TufRole, number> = {
  root: 512_000,
  timestamp: 16_384,
  snapshot: 2_000_000,
  targets: 5_000_000,
};

export function keyJson(key: TufPublicKey): JsonObject {
  return { keytype: key.keytype, scheme: key.scheme, keyval: { public: key.public } };
}

/** The TUF key id: hex sha256 of the key's canonical JSON. */
export function tufKeyId(key: TufPublicKey): string {
  return sha256Hex(canonicalJson(keyJson(key)));
}

/** An expiry instant in TUF's form (whole seconds, Z). */
export function expiresAt(now: Date, seconds: number): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface RootPlan {
  version: number;
  expires: string;
  rootKeys: readonly TufPublicKey[];
  rootThreshold: number;
  onlineKeys: readonly TufPublicKey[];
}

/** The root role: root keys with their threshold; the online keys for targets, snapshot and timestamp. */
export function buildRoot(plan: RootPlan): Metadata<Root> {
  if (plan.rootKeys.length === 0 || plan.onlineKeys.length === 0) {
    throw new McpLockError('USAGE', 'a TUF root needs at least one root key and one online key');
  }
  if (!Number.isInteger(plan.rootThreshold) || plan.rootThreshold < 1 || plan.rootThreshold > plan.rootKeys.length) {
    throw new McpLockError(
      'USAGE',
      `the root threshold must be from 1 to the number of root keys (${plan.rootKeys.length})`,
    );
  }
  const keys: JsonObject = {};
  const ids = (list: readonly TufPublicKey[]) => {
    const out = new Set<string>();
    for (const key of list) {
      const id = tufKeyId(key);
      keys[id] = keyJson(key);
      out.add(id);
    }
    return [...out];
  };
  const rootIds = ids(plan.rootKeys);
  const onlineIds = ids(plan.onlineKeys);
  if (rootIds.length !== plan.rootKeys.length) throw new McpLockError('USAGE', 'the same root key is listed twice');
  const online = { keyids: onlineIds, threshold: 1 };
  return new Metadata(
    Root.fromJSON({
      _type: 'root',
      spec_version: TUF_SPEC_VERSION,
      version: plan.version,
      expires: plan.expires,
      consistent_snapshot: true,
      keys,
      roles: {
        root: { keyids: rootIds, threshold: plan.rootThreshold },
        targets: online,
        snapshot: online,
        timestamp: online,
      },
    }),
  );
}

export type AnyMetadata = Metadata<Root> | Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>;

/** Add one signature per signer (a signer already present is replaced, never counted twice). */
export function addSignatures(metadata: AnyMetadata, signers: readonly TufSigner[]): void {
  for (const signer of signers) {
    metadata.sign((data) => new Signature({ keyID: signer.keyId, sig: signer.sign(data) }), true);
  }
}

export function metadataBytes(metadata: AnyMetadata): Uint8Array {
  return Buffer.from(`${JSON.stringify(metadata.toJSON())}\n`, 'utf8');
}

/** Parse stored or fetched metadata of one role, strictly; a wrong type or shape is an error. */
export function parseRoot(bytes: Uint8Array, what = 'TUF root'): Metadata<Root> {
  return parseMetadata('root', bytes, what) as Metadata<Root>;
}
export function parseTargets(bytes: Uint8Array): Metadata<Targets> {
  return parseMetadata('targets', bytes, 'TUF targets') as Metadata<Targets>;
}
export function parseSnapshot(bytes: Uint8Array): Metadata<Snapshot> {
  return parseMetadata('snapshot', bytes, 'TUF snapshot') as Metadata<Snapshot>;
}
export function parseTimestamp(bytes: Uint8Array): Metadata<Timestamp> {
  return parseMetadata('timestamp', bytes, 'TUF timestamp') as Metadata<Timestamp>;
}

export function parseMetadataJson(role: TufRole, value: unknown, what: string): AnyMetadata {
  try {
    return Metadata.fromJSON(role as MetadataKind.Root, value as JsonObject);
  } catch (error) {
    throw new McpLockError(
      'REGISTRY_STATE_INVALID',
      `${what} is not valid TUF ${role} metadata: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function parseMetadata(role: TufRole, bytes: Uint8Array, what: string): AnyMetadata {
  const value = parseStrictJson(bytes, what, { maxBytes: TUF_MAX_BYTES[role], maxDepth: 16 });
  return parseMetadataJson(role, value, what);
}

/** A short fingerprint of a root for people to compare: sha256 of its canonical signed part. */
export function rootFingerprint(root: Metadata<Root>): string {
  return `sha256:${sha256Hex(canonicalJson(root.signed.toJSON()))}`;
}

/** A root pinned on first use must at least be signed by the threshold of its own root keys. */
export function assertSelfSignedRoot(root: Metadata<Root>, what: string): void {
  try {
    root.verifyDelegate('root', root);
  } catch (error) {
    throw new McpLockError('REGISTRY_STATE_INVALID', `${what} is not signed by its own root keys`, {
      hint: 'Get the registry root from its operator and pass it with --registry-root.',
      cause: error,
    });
  }
}
