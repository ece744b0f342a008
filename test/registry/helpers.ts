// Shared setup for registry tests: real signatures, and a registry app on a fresh data directory with
// tokens and a registered signer. Manifests come from the one synthetic builder (test/helpers/synthetic.ts),
// re-exported here.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateKeyPair, type KeyPairPem, parsePrivateKey } from '../../adapters/sigstore/keys.ts';
import { type SerializedBundle, signWithKey } from '../../adapters/sigstore/sign.ts';
import { verifyBundle } from '../../adapters/sigstore/verify.ts';
import { type AttestationRole, buildStatement, statementBytes } from '../../core/attestation/statement.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { addSigner, createToken } from '../../core/registry/admin.ts';
import type { RegistryStore } from '../../core/registry/ports.ts';
import { type PublishPolicy, RegistryService, type RegistryServiceDeps } from '../../core/registry/service.ts';
import { keySigner } from '../../core/registry/signers.ts';
import type { Role } from '../../core/registry/tokens.ts';
import { DEFAULT_TUF_EXPIRIES, type TufExpiries } from '../../core/registry/tuf/metadata.ts';
import type { TufRepository } from '../../core/registry/tuf/repository.ts';
import { buildRegistryApp } from '../../registry/app.ts';
import { loadOrCreateApprovalKey } from '../../registry/keys/approval-key.ts';
import { openTufRepository } from '../../registry/keys/tuf-keys.ts';
import { FileRegistryStore } from '../../registry/store/file-store.ts';

export { integrityOf, syntheticManifest, weatherTools } from '../helpers/synthetic.ts';

export async function sign(
  manifest: McpLockManifest,
  key: KeyPairPem,
  role: AttestationRole = 'publisher',
): Promise<SerializedBundle> {
  return signWithKey(statementBytes(buildStatement(manifest, role)), parsePrivateKey(key.privateKeyPem));
}

export function publishBody(manifest: unknown, bundle: unknown): string {
  return JSON.stringify({ manifest, bundle });
}

export interface TestRegistry {
  app: FastifyInstance;
  service: RegistryService;
  store: FileRegistryStore;
  tuf: TufRepository;
  dataDir: string;
  approvalKey: { keyId: string; publicKeyPem: string };
  /** Signs for io.github.acme (registered). */
  publisherKey: KeyPairPem;
  tokens: Record<'publisher' | 'curator' | 'admin' | 'otherPublisher' | 'otherCurator', string>;
  token(role: Role, scopes: string[], label?: string): Promise<string>;
  reopen(): Promise<TestRegistry>;
  close(): Promise<void>;
}

export const NOW = () => new Date();

/** Register `key` as a signer of a namespace (io.github.acme unless told). */
export async function registerPublisherKey(
  store: RegistryStore,
  key: KeyPairPem,
  namespace = 'io.github.acme',
): Promise<void> {
  await addSigner(
    store,
    keySigner({
      namespace,
      keyId: key.keyId,
      publicKey: key.publicKeyPem,
      now: new Date().toISOString(),
    }),
  );
}

export async function newToken(
  store: RegistryStore,
  role: Role,
  scopes: string[],
  label: string = role,
): Promise<string> {
  const { token } = await createToken(store, {
    role,
    scopes,
    label,
    secret: randomBytes(32),
    idBytes: randomBytes(8),
    now: new Date().toISOString(),
  });
  return token;
}

export interface RegistryOptions {
  trustedRoot?: unknown;
  publishPolicy?: PublishPolicy;
  curatorsRequired?: Record<string, number>;
  tufExpiries?: TufExpiries;
  now?: () => Date;
  oidc?: RegistryServiceDeps['oidc'];
  oidcIdentityRequired?: RegistryServiceDeps['oidcIdentityRequired'];
}

async function openApp(dataDir: string, registryId: string, options: RegistryOptions) {
  const store = await FileRegistryStore.open(dataDir);
  const { signer } = await loadOrCreateApprovalKey(dataDir);
  const { repository: tuf } = await openTufRepository(store, dataDir, options.tufExpiries ?? DEFAULT_TUF_EXPIRIES);
  const { trustedRoot, publishPolicy } = options;
  const service = new RegistryService({
    store,
    verify: (bundle, trust) => verifyBundle(bundle, { ...trust, ...(trustedRoot ? { trustedRoot } : {}) }),
    approvalSigner: signer,
    registryId: () => registryId,
    tuf,
    ...(publishPolicy ? { publishPolicy } : {}),
    ...(options.curatorsRequired ? { curatorsRequired: options.curatorsRequired } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.oidc ? { oidc: options.oidc } : {}),
    ...(options.oidcIdentityRequired ? { oidcIdentityRequired: options.oidcIdentityRequired } : {}),
  });
  const app = await buildRegistryApp({ service });
  return { store, signer, service, app, tuf };
}

/** A registry on a fresh data directory, with tokens for io.github.acme and a registered publisher key. */
export async function makeRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-lock-registry-'));
  const publisherKey = generateKeyPair();
  const { store, signer, service, app, tuf } = await openApp(dataDir, 'http://registry.test', options);
  await registerPublisherKey(store, publisherKey);
  const tokens = {
    publisher: await newToken(store, 'publisher', ['io.github.acme/*'], 'acme-ci'),
    curator: await newToken(store, 'curator', ['io.github.acme/*'], 'alice'),
    admin: await newToken(store, 'admin', ['*'], 'root'),
    otherPublisher: await newToken(store, 'publisher', ['io.github.other/*'], 'other-ci'),
    otherCurator: await newToken(store, 'curator', ['io.github.other/*'], 'bob'),
  };
  const make = (parts: Awaited<ReturnType<typeof openApp>>): TestRegistry => ({
    app: parts.app,
    service: parts.service,
    store: parts.store,
    tuf: parts.tuf,
    dataDir,
    approvalKey: { keyId: parts.signer.keyId, publicKeyPem: parts.signer.publicKeyPem },
    publisherKey,
    tokens,
    token: (role, scopes, label) => newToken(parts.store, role, scopes, label),
    async reopen() {
      await parts.app.close();
      await parts.store.close();
      return make(await openApp(dataDir, 'http://registry.test', options));
    },
    async close() {
      await parts.app.close();
      await parts.store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
  return make({ store, signer, service, app, tuf });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const json = { 'content-type': 'application/json' };

/** Publish through the API; returns the inject response. */
export async function publish(
  reg: TestRegistry,
  manifest: McpLockManifest,
  options: { token?: string; bundle?: unknown } = {},
) {
  const bundle = options.bundle !== undefined ? await options.bundle : await sign(manifest, reg.publisherKey);
  return reg.app.inject({
    method: 'POST',
    url: '/mcp-lock/v1/publish',
    headers: { ...json, ...bearer(options.token ?? reg.tokens.publisher) },
    payload: publishBody(manifest, bundle),
  });
}

export async function curate(
  reg: TestRegistry,
  name: string,
  version: string,
  action: 'approve' | 'reject' | 'deprecate' | 'yank',
  options: { token?: string; reason?: string } = {},
) {
  return reg.app.inject({
    method: 'POST',
    url: `/mcp-lock/v1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/${action}`,
    headers: { ...json, ...bearer(options.token ?? reg.tokens.curator) },
    payload: JSON.stringify(options.reason === undefined ? {} : { reason: options.reason }),
  });
}

export const enc = encodeURIComponent;

/** Shapes read back from JSON responses in tests. */
export interface Listed {
  server: { name: string; version: string };
  _meta: Record<string, { status?: string }>;
}
export interface Named {
  name: string;
  version: string;
}
export interface AuditEntry {
  seq: number;
  action: string;
  version?: string;
  reason?: string;
}
