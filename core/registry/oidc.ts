// Publish from CI without a long-lived token: an OIDC ID token from a configured issuer is verified
// (issuer, audience, expiry, bounded clock skew: the verifier port, adapters/oidc/verify.ts), its claims
// are mapped to namespaces by configured rules (repository_owner → io.github.<owner>), and the exchange
// stores a short-lived publisher token scoped to exactly those namespaces, remembering the keyless identity
// the token names (oidc-identity.ts) for namespaces that require it to have signed what is published.

import { McpLockError } from '../errors.ts';
import { parseLabel } from './admin.ts';
import { assertNamespace } from './names.ts';
import { parseOidcIdentity } from './oidc-identity.ts';
import type { RegistryStore } from './ports.ts';
import { formatToken, type TokenRecord, tokenHash } from './tokens.ts';

export interface OidcNamespaceRule {
  /** The claim whose value names the namespace, e.g. repository_owner. */
  claim: string;
  /** The namespace, with {value} for the claim's value, e.g. io.github.{value}. */
  namespace: string;
}

export interface OidcIssuer {
  issuer: string;
  audience: string;
  jwksUrl: string;
  rules: OidcNamespaceRule[];
}

/** Verify an ID token from `issuer` (signature by its JWKS, iss, aud, exp, skew); returns its claims. */
export type OidcVerifier = (token: string, issuer: OidcIssuer) => Promise<Record<string, unknown>>;

/** How long the publish session an exchange gives lasts. */
export const OIDC_SESSION_SECONDS = 15 * 60;
const CLAIM_VALUE = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

const unauthenticated = (message: string) =>
  new McpLockError('UNAUTHENTICATED', message, {
    hint: 'Send a fresh ID token from a trusted issuer, with this registry as its audience.',
  });

/** The issuer a token names (read unverified, only to choose which configured issuer verifies it). */
export function claimedIssuer(token: string): string {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 16_384) throw unauthenticated('the OIDC token is not a JWT');
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown };
    if (typeof payload.iss === 'string') return payload.iss;
  } catch {
    // fall through
  }
  throw unauthenticated('the OIDC token names no issuer');
}

/** The namespaces the claims map to (each rule whose claim is present and well-formed). */
export function namespacesFor(issuer: OidcIssuer, claims: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const rule of issuer.rules) {
    const value = claims[rule.claim];
    if (typeof value !== 'string' || !CLAIM_VALUE.test(value)) continue;
    const namespace = rule.namespace.replace('{value}', value.toLowerCase());
    assertNamespace(namespace);
    out.add(namespace);
  }
  return [...out].sort();
}

export interface OidcExchangeDeps {
  store: RegistryStore;
  issuers: readonly OidcIssuer[];
  verify: OidcVerifier;
  now: () => Date;
  random: (bytes: number) => Uint8Array;
}

export interface OidcSession {
  token: string;
  expiresAt: string;
  scopes: string[];
  subject: string;
}

/** Exchange an ID token for a short-lived publisher token. Nothing is stored when it is refused. */
export async function exchangeOidcToken(deps: OidcExchangeDeps, idToken: string): Promise<OidcSession> {
  const iss = claimedIssuer(idToken);
  const issuer = deps.issuers.find((i) => i.issuer === iss);
  if (!issuer) throw unauthenticated(`the OIDC issuer ${JSON.stringify(iss.slice(0, 200))} is not trusted here`);
  const claims = await deps.verify(idToken, issuer);
  const namespaces = namespacesFor(issuer, claims);
  if (namespaces.length === 0) {
    throw new McpLockError('FORBIDDEN', 'the OIDC token maps to no namespace of this registry', {
      hint: 'The registry maps claims to namespaces by its configured rules (e.g. repository_owner → io.github.<owner>).',
    });
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  // Every session names its identity, so a namespace's identity rule can never miss an OIDC session.
  const oidcIdentity = parseOidcIdentity(issuer.issuer, claims);
  if (!oidcIdentity) throw unauthenticated('the OIDC token names no usable identity (job_workflow_ref, email or sub)');
  const now = deps.now();
  const token = formatToken(deps.random(32));
  const record: TokenRecord = {
    id: `tok_${Buffer.from(deps.random(8)).toString('hex')}`,
    hash: tokenHash(token),
    role: 'publisher',
    scopes: namespaces.map((n) => `${n}/*`),
    label: parseLabel(`oidc ${subject}`.slice(0, 100).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')),
    createdAt: now.toISOString(),
    revokedAt: null,
    expiresAt: new Date(now.getTime() + OIDC_SESSION_SECONDS * 1000).toISOString(),
    oidcIdentity,
  };
  await deps.store.transaction(async (tx) => {
    tx.putToken(record);
    tx.appendAudit({
      at: record.createdAt,
      action: 'token.create',
      actor: { type: 'local', tool: 'oidc exchange' },
      details: {
        id: record.id,
        role: record.role,
        issuer: issuer.issuer,
        subject: subject.slice(0, 200),
        scopes: record.scopes,
        identity: oidcIdentity.identity.slice(0, 500),
      },
    });
  });
  return { token, expiresAt: record.expiresAt!, scopes: record.scopes, subject };
}
