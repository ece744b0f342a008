// Verify an OIDC ID token with jose against the issuer's JWKS (fetched over HTTP with a timeout, cached
// per issuer): signature, issuer, audience, expiry and not-before with a bounded clock skew. Every
// refusal is UNAUTHENTICATED with jose's reason; a JWKS that cannot be fetched is "could not verify".

import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { McpLockError } from '../../core/errors.ts';
import type { OidcIssuer, OidcVerifier } from '../../core/registry/oidc.ts';

/** Seconds of clock difference tolerated between the issuer and the registry. */
export const OIDC_CLOCK_SKEW_SECONDS = 60;

export function joseVerifier(options: { timeoutMs?: number; now?: () => Date } = {}): OidcVerifier {
  const sets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  return async (token: string, issuer: OidcIssuer) => {
    let jwks = sets.get(issuer.jwksUrl);
    if (!jwks) {
      jwks = createRemoteJWKSet(new URL(issuer.jwksUrl), { timeoutDuration: options.timeoutMs ?? 5000 });
      sets.set(issuer.jwksUrl, jwks);
    }
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: issuer.issuer,
        audience: issuer.audience,
        clockTolerance: OIDC_CLOCK_SKEW_SECONDS,
        algorithms: ['RS256', 'ES256', 'EdDSA'],
        requiredClaims: ['exp', 'iat', 'sub'],
        ...(options.now ? { currentDate: options.now() } : {}),
      });
      return payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) {
        throw new McpLockError('REGISTRY_UNAVAILABLE', `cannot fetch the JWKS of ${issuer.issuer}`, { cause: error });
      }
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      throw new McpLockError('UNAUTHENTICATED', `the OIDC token was refused: ${(error as Error).message}`, {
        hint:
          code === 'ERR_JWT_EXPIRED'
            ? 'The ID token expired; request a fresh one (they last minutes).'
            : 'Send an ID token from a trusted issuer whose audience is this registry.',
        data: { reason: code },
        cause: error,
      });
    }
  };
}
