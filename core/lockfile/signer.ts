// Publisher signers as the lock pins them: comparing them (a change needs --allow-signer-change) and
// describing them for humans.

import { McpLockError } from '../errors.ts';
import type { Signer } from '../generated/lockfile.ts';

export function sameSigner(a: Signer | null, b: Signer | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.type === 'key' && b.type === 'key') return a.keyId === b.keyId;
  if (a.type === 'keyless' && b.type === 'keyless') return a.identity === b.identity && a.issuer === b.issuer;
  return false;
}

export function describeSigner(signer: Signer | null): string {
  if (!signer) return 'unsigned (trust on first use)';
  if (signer.type === 'key') return `key ${signer.keyId}`;
  return `${signer.identity} (issuer ${signer.issuer})`;
}

/** Refuse a different signer than the one pinned, unless the user explicitly allows it. */
export function verifySignerUnchanged(
  name: string,
  pinned: Signer | null | undefined,
  next: Signer | null,
  allow: boolean,
): void {
  if (pinned === undefined || sameSigner(pinned, next) || allow) return;
  throw new McpLockError(
    'SIGNER_CHANGED',
    `${name} is now signed by ${describeSigner(next)}, but ${describeSigner(pinned)} is pinned`,
    {
      hint: 'A new signer can mean a compromised or transferred package. If you expected it, re-run with --allow-signer-change.',
      data: { pinned, found: next },
    },
  );
}
