// Who is calling: a registry token (looked up by its hash, refused when revoked or expired), or a short
// publisher session exchanged for a CI's OIDC ID token.

import { McpLockError } from '../../errors.ts';
import { exchangeOidcToken, type OidcSession } from '../oidc.ts';
import { bearerToken, type Principal, principalOf, tokenHash } from '../tokens.ts';
import type { ServiceContext } from './context.ts';

export async function authenticate(ctx: ServiceContext, authorization: string | undefined): Promise<Principal> {
  const token = bearerToken(authorization);
  const record = await ctx.store.findTokenByHash(tokenHash(token));
  if (!record || record.revokedAt !== null) {
    throw new McpLockError('UNAUTHENTICATED', 'the registry token is unknown or revoked', {
      hint: 'Ask a registry admin for a token (`mcp-lock registry token create`).',
    });
  }
  if (record.expiresAt !== undefined && !(ctx.now().toISOString() < record.expiresAt)) {
    throw new McpLockError('UNAUTHENTICATED', 'the registry token has expired', {
      hint: 'Publish sessions from an OIDC exchange last minutes; exchange a fresh ID token (`publish --oidc`).',
    });
  }
  return principalOf(record);
}

/** Exchange a CI's OIDC ID token for a short-lived publisher token (core/registry/oidc.ts). */
export async function exchangeOidc(ctx: ServiceContext, idToken: string): Promise<OidcSession> {
  if (!ctx.oidc || ctx.oidc.issuers.length === 0) {
    throw new McpLockError('UNAUTHENTICATED', 'this registry trusts no OIDC issuer', {
      hint: 'Use a registry token, or ask the operator to configure "oidcIssuers".',
    });
  }
  return exchangeOidcToken({ ...ctx.oidc, store: ctx.store, now: ctx.now }, idToken);
}
