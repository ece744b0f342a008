// Registry API tokens: who may do what where. A token is a random secret shown once; the registry keeps
// only its sha256. Each token has one role and a list of scopes (server-name patterns): publishers publish,
// curators review (approve, reject, deprecate, yank), admins do both and read the audit log.

import { sha256Hex } from '../canonical/digest.ts';
import { McpLockError } from '../errors.ts';
import { assertNamespace, assertServerName } from './names.ts';
import type { OidcIdentity } from './oidc-identity.ts';

export const ROLES = ['publisher', 'curator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission = 'publish' | 'curate' | 'read-private' | 'audit';

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  publisher: ['publish', 'read-private'],
  curator: ['curate', 'read-private'],
  admin: ['publish', 'curate', 'read-private', 'audit'],
};

/** `mcpl_` + 43 base64url characters (32 random bytes). The prefix makes leaked tokens greppable. */
export const TOKEN_PATTERN = /^mcpl_[A-Za-z0-9_-]{43}$/;
export const TOKEN_ID_PATTERN = /^tok_[0-9a-f]{16}$/;

export interface TokenRecord {
  id: string;
  /** Hex sha256 of the token string; the token itself is never stored. */
  hash: string;
  role: Role;
  scopes: string[];
  label: string;
  createdAt: string;
  revokedAt: string | null;
  /** Short-lived tokens (OIDC publish sessions) stop working at this instant. */
  expiresAt?: string;
  /** Set for, and only for, OIDC publish sessions: the identity their verified ID token names (never the token). */
  oidcIdentity?: OidcIdentity;
}

/** Who is calling, once a token has been checked. */
export interface Principal {
  tokenId: string;
  role: Role;
  scopes: readonly string[];
  label: string;
  /** Set for OIDC publish sessions only (core/registry/oidc-identity.ts). */
  oidcIdentity?: OidcIdentity;
}

export function tokenHash(token: string): string {
  return sha256Hex(token);
}

/** Build the token string from 32 random bytes (the caller supplies randomness: core does no I/O). */
export function formatToken(random: Uint8Array): string {
  if (random.byteLength !== 32) throw new McpLockError('INTERNAL', 'a token needs 32 random bytes');
  return `mcpl_${Buffer.from(random).toString('base64url')}`;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function assertRole(value: unknown): asserts value is Role {
  if (!isRole(value)) {
    throw new McpLockError('USAGE', `unknown role ${JSON.stringify(value)}`, {
      hint: `Roles are ${ROLES.join(', ')}.`,
    });
  }
}

/**
 * Check a scope pattern: `*` (everything), `<namespace>/*` (every server of a namespace) or an exact
 * server name. Nothing else: no partial wildcards, so a scope can never match more than it says.
 */
export function assertScope(scope: string): void {
  if (scope === '*') return;
  if (scope.endsWith('/*')) {
    assertNamespace(scope.slice(0, -2));
    return;
  }
  try {
    assertServerName(scope);
  } catch {
    throw new McpLockError('USAGE', `invalid scope ${JSON.stringify(scope)}`, {
      hint: 'A scope is "*", "<namespace>/*" (io.github.acme/*) or an exact server name.',
    });
  }
}

export function scopeMatches(scope: string, serverName: string): boolean {
  if (scope === '*') return true;
  if (scope.endsWith('/*'))
    return serverName.startsWith(scope.slice(0, -1)) && !serverName.slice(scope.length - 1).includes('/');
  return scope === serverName;
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return PERMISSIONS[principal.role].includes(permission);
}

export function inScope(principal: Principal, serverName: string): boolean {
  return principal.scopes.some((scope) => scopeMatches(scope, serverName));
}

/** Throw FORBIDDEN unless the principal has the permission, and (when given) scope over the server. */
export function authorize(principal: Principal, permission: Permission, serverName?: string): void {
  if (!hasPermission(principal, permission)) {
    throw new McpLockError('FORBIDDEN', `a ${principal.role} token cannot ${permission}`, {
      hint: permission === 'audit' ? 'Use an admin token.' : `Use a token with a role that may ${permission}.`,
    });
  }
  if (serverName !== undefined && !inScope(principal, serverName)) {
    throw new McpLockError('FORBIDDEN', `this token's scopes do not cover ${serverName}`, {
      hint: 'Ask a registry admin for a token scoped to this namespace.',
      data: { scopes: [...principal.scopes] },
    });
  }
}

/** The principal a valid, unrevoked token stands for. */
export function principalOf(record: TokenRecord): Principal {
  return {
    tokenId: record.id,
    role: record.role,
    scopes: record.scopes,
    label: record.label,
    ...(record.oidcIdentity ? { oidcIdentity: record.oidcIdentity } : {}),
  };
}

/** Read `Authorization: Bearer <token>` strictly; returns the token or throws UNAUTHENTICATED. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header === '') {
    throw new McpLockError('UNAUTHENTICATED', 'this request needs a registry token', {
      hint: 'Send Authorization: Bearer <token> (the CLI reads --token or MCP_LOCK_TOKEN).',
    });
  }
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  const token = match?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) {
    throw new McpLockError('UNAUTHENTICATED', 'the Authorization header does not carry a registry token', {
      hint: 'Send Authorization: Bearer mcpl_… exactly as `mcp-lock registry token create` printed it.',
    });
  }
  return token;
}
