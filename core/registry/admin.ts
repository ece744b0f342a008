// Server-side administration on the store itself (the `mcp-lock registry token|signer` commands run it
// against the data directory): create and revoke tokens, register and remove namespace signers. Every
// change is audited like an API write.

import { McpLockError } from '../errors.ts';
import { assertNamespace } from './names.ts';
import type { RegistryStore } from './ports.ts';
import type { AuditActor, SignerRecord } from './records.ts';
import { assertRole, assertScope, formatToken, type Role, type TokenRecord, tokenHash } from './tokens.ts';

const LOCAL_ACTOR: AuditActor = { type: 'local', tool: 'mcp-lock registry' };

export interface CreateTokenInput {
  role: Role;
  scopes: string[];
  label: string;
  /** 32 random bytes for the secret, 8 for the id. */
  secret: Uint8Array;
  idBytes: Uint8Array;
  now: string;
}

export function parseLabel(label: string): string {
  if (label.length > 100 || /[\u0000-\u001f\u007f-\u009f]/.test(label)) {
    throw new McpLockError('USAGE', 'a label is at most 100 characters without control characters');
  }
  return label;
}

export async function createToken(
  store: RegistryStore,
  input: CreateTokenInput,
): Promise<{ token: string; record: TokenRecord }> {
  assertRole(input.role);
  const scopes = input.scopes.length === 0 && input.role === 'admin' ? ['*'] : [...new Set(input.scopes)];
  if (scopes.length === 0) {
    throw new McpLockError('USAGE', `a ${input.role} token needs at least one --scope`, {
      hint: 'For example --scope "io.github.acme/*".',
    });
  }
  for (const scope of scopes) assertScope(scope);
  const token = formatToken(input.secret);
  const record: TokenRecord = {
    id: `tok_${Buffer.from(input.idBytes).toString('hex').slice(0, 16).padEnd(16, '0')}`,
    hash: tokenHash(token),
    role: input.role,
    scopes,
    label: parseLabel(input.label),
    createdAt: input.now,
    revokedAt: null,
  };
  await store.transaction(async (tx) => {
    tx.putToken(record);
    tx.appendAudit({
      at: input.now,
      action: 'token.create',
      actor: LOCAL_ACTOR,
      details: { tokenId: record.id, role: record.role, scopes, label: record.label },
    });
  });
  return { token, record };
}

export async function revokeToken(store: RegistryStore, id: string, now: string): Promise<TokenRecord> {
  return store.transaction(async (tx) => {
    const record = (await tx.listTokens()).find((t) => t.id === id);
    if (!record)
      throw new McpLockError('NOT_FOUND', `no token with id ${id}`, {
        hint: 'List them with `mcp-lock registry token list`.',
      });
    if (record.revokedAt !== null) return record;
    const revoked = { ...record, revokedAt: now };
    tx.putToken(revoked);
    tx.appendAudit({ at: now, action: 'token.revoke', actor: LOCAL_ACTOR, details: { tokenId: id } });
    return revoked;
  });
}

/** Register a signer; registering the same key or identity again for the namespace changes nothing. */
export async function addSigner(
  store: RegistryStore,
  signer: SignerRecord,
): Promise<{ added: boolean; signer: SignerRecord }> {
  assertNamespace(signer.namespace);
  return store.transaction(async (tx) => {
    const existing = (await tx.listSigners(signer.namespace)).find((s) => s.id === signer.id);
    if (existing) return { added: false, signer: existing };
    tx.putSigner(signer);
    tx.appendAudit({
      at: signer.addedAt,
      action: 'signer.add',
      actor: LOCAL_ACTOR,
      namespace: signer.namespace,
      details:
        signer.type === 'key'
          ? { signerId: signer.id, type: 'key', keyId: signer.keyId }
          : { signerId: signer.id, type: 'keyless', identity: signer.identity, issuer: signer.issuer },
    });
    return { added: true, signer };
  });
}

export async function removeSigner(
  store: RegistryStore,
  namespace: string,
  id: string,
  now: string,
): Promise<SignerRecord> {
  assertNamespace(namespace);
  return store.transaction(async (tx) => {
    const existing = (await tx.listSigners(namespace)).find((s) => s.id === id);
    if (!existing) {
      throw new McpLockError('NOT_FOUND', `no signer ${id.slice(0, 16)}… for ${namespace}`, {
        hint: 'List them with `mcp-lock registry signer list`.',
      });
    }
    tx.removeSigner(namespace, existing.id);
    tx.appendAudit({ at: now, action: 'signer.remove', actor: LOCAL_ACTOR, namespace, details: { signerId: id } });
    return existing;
  });
}
