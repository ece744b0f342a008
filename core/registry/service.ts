// The registry's use cases behind one facade: authenticate, publish, curate (approve with a
// countersignature, reject, deprecate, yank), and every read. Route handlers call these methods and
// translate HTTP; each use case lives in its own module under service/, sharing the store port.

import type { OidcSession } from './oidc.ts';
import type { VersionRecord } from './records.ts';
import { authenticate, exchangeOidc } from './service/authenticate.ts';
import { type RegistryServiceDeps, serviceContext } from './service/context.ts';
import { curateVersion } from './service/curate-version.ts';
import { publishVersion } from './service/publish-version.ts';
import { RegistryReads } from './service/reads.ts';
import type { CurationAction } from './status.ts';
import type { Principal } from './tokens.ts';

export { DEFAULT_PUBLISH_POLICY, type PublishPolicy, type RegistryServiceDeps } from './service/context.ts';
export { relabelLatest } from './service/curate-version.ts';
export { type OfficialListQuery, type OwnListQuery, type Page, parseStatuses } from './service/reads.ts';

export class RegistryService extends RegistryReads {
  constructor(deps: RegistryServiceDeps) {
    super(serviceContext(deps));
  }

  authenticate(authorization: string | undefined): Promise<Principal> {
    return authenticate(this.ctx, authorization);
  }

  /** No header: anonymous. A header: it must be valid (a bad token is never silently ignored). */
  async optionalPrincipal(authorization: string | undefined): Promise<Principal | null> {
    return authorization === undefined ? null : this.authenticate(authorization);
  }

  /** Exchange a CI's OIDC ID token for a short-lived publisher token (core/registry/oidc.ts). */
  exchangeOidc(idToken: string): Promise<OidcSession> {
    return exchangeOidc(this.ctx, idToken);
  }

  publish(principal: Principal, body: Uint8Array): Promise<{ created: boolean; record: VersionRecord }> {
    return publishVersion(this.ctx, principal, body);
  }

  curate(
    principal: Principal,
    name: string,
    version: string,
    action: CurationAction,
    reasonInput?: string,
  ): Promise<VersionRecord> {
    return curateVersion(this.ctx, principal, name, version, action, reasonInput);
  }
}
