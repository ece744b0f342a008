// A namespace may require that whoever signs a publish keyless is the same CI identity that published it.
// The OIDC exchange remembers the verified identity of its ID token (never the token) with the session, as
// the keyless Sigstore identity that token's job would get from Fulcio for the same issuer:
//   - GitHub Actions (a `job_workflow_ref` claim): https://github.com/<job_workflow_ref>, Fulcio's SAN;
//   - other issuers: the `email` claim when `email_verified` is true (Fulcio's email issuers), else `sub`.
// On publish to such a namespace the bundle's verified signer must be keyless with exactly that issuer
// and identity. Mode "all" also refuses long-lived tokens (fail closed); "oidc-sessions" checks sessions
// only and lets long-lived tokens publish as before (say, a human's emergency release).

import { McpLockError } from '../errors.ts';
import type { SignerRef } from './records.ts';
import type { Principal } from './tokens.ts';

/** The keyless Sigstore identity an OIDC session stands for. */
export interface OidcIdentity {
  issuer: string;
  identity: string;
}

export const OIDC_IDENTITY_MODES = ['all', 'oidc-sessions'] as const;
export type OidcIdentityMode = (typeof OIDC_IDENTITY_MODES)[number];

const WORKFLOW_REF = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}\/[^\s@]{1,500}@[^\s]{1,300}$/;
const PLAIN = /^[^\u0000-\u001f\u007f-\u009f]{1,1000}$/;

/**
 * The keyless identity the claims name (see the mapping above), or undefined when they name none usable:
 * the exchange then refuses the token, so every OIDC session has one.
 */
export function parseOidcIdentity(issuer: string, claims: Record<string, unknown>): OidcIdentity | undefined {
  const { job_workflow_ref: ref, email, email_verified: verified, sub } = claims;
  let identity: string | undefined;
  if (typeof ref === 'string') identity = WORKFLOW_REF.test(ref) ? `https://github.com/${ref}` : undefined;
  else if (typeof email === 'string' && verified === true) identity = email;
  else if (typeof sub === 'string') identity = sub;
  return identity !== undefined && PLAIN.test(identity) ? { issuer, identity } : undefined;
}

/** A namespace's mode: its own entry, else `*`, else none (no identity is required). */
export function oidcIdentityModeFor(
  namespace: string,
  required: Readonly<Record<string, OidcIdentityMode>>,
): OidcIdentityMode | undefined {
  return required[namespace] ?? required['*'];
}

const refused = (message: string, reason: string, hint: string, data: Record<string, unknown> = {}) =>
  new McpLockError('FORBIDDEN', message, { hint, data: { reason, ...data } });

/** Refuse a publisher that is not an OIDC session when the mode is "all" (before any signature work). */
export function assertOidcSessionAllowed(
  mode: OidcIdentityMode | undefined,
  principal: Principal,
  namespace: string,
): void {
  if (mode === 'all' && !principal.oidcIdentity) {
    throw refused(
      `${namespace} accepts publishes only from an OIDC session whose identity signed the manifest`,
      'OIDC_SESSION_REQUIRED',
      'Publish from CI with `mcp-lock publish --oidc` and sign keyless (`mcp-lock sign --keyless`) in the same job.',
      { namespace },
    );
  }
}

/** Refuse a bundle whose verified signer is not the session's own keyless identity. */
export function assertSignerIsPublisher(
  mode: OidcIdentityMode | undefined,
  principal: Principal,
  signer: SignerRef,
  namespace: string,
): void {
  const session = principal.oidcIdentity;
  if (mode === undefined || !session) return;
  const hint =
    'Sign keyless in the same CI job that publishes (`mcp-lock sign --keyless`, then `publish --oidc`): the ' +
    "registry compares the bundle's Fulcio identity and issuer with the OIDC token's (GitHub: https://github.com/<job_workflow_ref>).";
  if (signer.type !== 'keyless') {
    throw refused(`${namespace} requires a keyless signature by the publishing identity`, 'SIGNER_NOT_KEYLESS', hint, {
      expected: session,
    });
  }
  if (signer.issuer !== session.issuer || signer.identity !== session.identity) {
    throw refused(`the bundle was signed by another identity than the one publishing`, 'IDENTITY_MISMATCH', hint, {
      expected: session,
      signer: { issuer: signer.issuer, identity: signer.identity },
    });
  }
}
