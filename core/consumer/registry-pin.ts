// The security rules of pinning a registry version, pure: which statuses may be pinned, that the served
// manifest is the one asked for, and that it is the one the registry listed (or signed in its TUF targets).
// The adapter (adapters/consumer/pin.ts) fetches; these decide. Each throws a verification code.

import type { Digest } from '../canonical/digest.ts';
import { McpLockError } from '../errors.ts';
import type { McpLockManifest } from '../generated/manifest.ts';

/** What the registry says about a version: from its signed targets when it has them, else its listing. */
export interface VersionFacts {
  name: string;
  version: string;
  status: string;
  statusReason: string | null;
  manifestDigest: string;
  /** Where the facts come from, for the message: the signed TUF targets, or the unsigned listing. */
  from: 'signed targets' | 'listing';
}

/** Pending and rejected are not approved; yanked must never be installed; approved and deprecated pin. */
export function verifyPinnableStatus(v: Pick<VersionFacts, 'name' | 'version' | 'status' | 'statusReason'>): void {
  if (v.status === 'yanked') {
    throw new McpLockError(
      'VERSION_YANKED',
      `${v.name}@${v.version} was yanked${v.statusReason ? `: ${v.statusReason}` : ''}`,
      { hint: 'Pick another version; a yanked version must not be installed.' },
    );
  }
  if (v.status === 'rejected')
    throw new McpLockError('VERSION_REJECTED', `${v.name}@${v.version} was rejected by a curator`);
  if (v.status !== 'approved' && v.status !== 'deprecated') {
    throw new McpLockError('APPROVAL_MISSING', `${v.name}@${v.version} is ${v.status}, not approved`, {
      hint: 'Wait for a curator to approve it, or pin an approved version.',
    });
  }
}

/**
 * A served version may be pinned: its status allows it, the manifest names exactly the server and
 * version asked for, and its digest is the one the facts give.
 */
export function verifyRegistryPin(facts: VersionFacts, manifest: McpLockManifest, digest: Digest): void {
  verifyPinnableStatus(facts);
  if (manifest.server.name !== facts.name || manifest.server.version !== facts.version) {
    throw new McpLockError(
      'SUBJECT_MISMATCH',
      `the registry served the manifest of ${manifest.server.name}@${manifest.server.version} for ${facts.name}@${facts.version}`,
    );
  }
  if (digest !== facts.manifestDigest) {
    throw new McpLockError(
      'DIGEST_MISMATCH',
      `the manifest served for ${facts.name}@${facts.version} is not the one the registry ${facts.from === 'signed targets' ? 'signed in its targets' : 'lists'}`,
      { data: { expected: facts.manifestDigest, found: digest } },
    );
  }
}

/** The approval bundle served is the one the registry's signed targets name (none named: refused). */
export function verifySignedApproval(name: string, version: string, expected: string | null, found: Digest): void {
  if (found !== expected) {
    throw new McpLockError(
      'DIGEST_MISMATCH',
      `the approval served for ${name}@${version} is not the one the registry signed`,
      {
        data: { expected, found },
      },
    );
  }
}
