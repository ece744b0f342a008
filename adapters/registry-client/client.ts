// The HTTP client of an mcp-lock registry: publish and curate now, and every read the consumer CLI needs
// (official API, manifests, bundles, keys, signers). Every response is parsed strictly and checked
// against the same API schema the registry serves; errors map to codes (responses.ts). The token is never
// printed.

import { McpLockError } from '../../core/errors.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import type { JsonValue } from '../../core/json/strict-json.ts';
import type { ApiDefName } from '../../core/registry/api-schema.ts';
import { apiProblem } from '../../core/registry/api-validate.ts';
import type { ServerResponse, VersionInfo } from '../../core/registry/response.ts';
import type { OfficialListQuery } from '../../core/registry/service/reads.ts';
import type { CurationAction } from '../../core/registry/status.ts';
import { boundedRequest, DEFAULT_HTTP_LIMITS, type HttpLimits, type HttpResponse } from './http.ts';
import { errorOfResponse, parseAnswer, registryBaseUrl } from './responses.ts';

export { errorCodeForResponse, registryBaseUrl } from './responses.ts';

export interface RegistryClientOptions {
  /** Base URL: https, or http to loopback only; may have a path prefix. */
  url: string;
  token?: string;
  limits?: Partial<HttpLimits>;
  userAgent?: string;
  signal?: AbortSignal;
}

/** The official list's query: the same parameters the registry's service reads. */
export type ServerListParams = OfficialListQuery;

export interface ServerList {
  servers: ServerResponse[];
  metadata: { count: number; nextCursor?: string };
}

export interface NamespaceSigner {
  id: string;
  namespace: string;
  type: 'key' | 'keyless';
  keyId?: string;
  publicKey?: string;
  identity?: string;
  issuer?: string;
  label: string;
  addedAt: string;
}

const enc = encodeURIComponent;

export class RegistryClient {
  readonly baseUrl: URL;
  private readonly token: string | undefined;
  private readonly limits: HttpLimits;
  private readonly userAgent: string;
  private readonly signal: AbortSignal | undefined;

  constructor(options: RegistryClientOptions) {
    this.baseUrl = registryBaseUrl(options.url);
    this.token = options.token;
    this.limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
    this.userAgent = options.userAgent ?? 'mcp-lock';
    this.signal = options.signal;
  }

  private urlOf(path: string, query?: Record<string, string | number | boolean | undefined>): URL {
    const url = new URL(this.baseUrl.href);
    // A base without a path reads back as "/" from URL; join without doubling the slash.
    url.pathname = `${this.baseUrl.pathname.replace(/\/+$/, '')}${path}`;
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private async exchange(
    method: 'GET' | 'POST',
    path: string,
    what: string,
    options: { body?: unknown; auth?: boolean; query?: Record<string, string | number | boolean | undefined> } = {},
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (options.auth) {
      if (!this.token) {
        throw new McpLockError('USAGE', `${what} needs a registry token`, {
          hint: 'Pass --token or set MCP_LOCK_TOKEN.',
        });
      }
      headers.authorization = `Bearer ${this.token}`;
    }
    let body: Buffer | undefined;
    if (options.body !== undefined) {
      body = Buffer.from(JSON.stringify(options.body), 'utf8');
      headers['content-type'] = 'application/json';
    }
    const response = await boundedRequest({
      method,
      url: this.urlOf(path, options.query),
      headers,
      ...(body ? { body } : {}),
      limits: this.limits,
      ...(this.signal ? { signal: this.signal } : {}),
    });
    if (response.status < 200 || response.status > 299) throw errorOfResponse(response, what);
    return response;
  }

  /** A JSON answer, parsed strictly and checked against its API schema. */
  private async json<T>(
    method: 'GET' | 'POST',
    path: string,
    def: ApiDefName,
    what: string,
    options: { body?: unknown; auth?: boolean; query?: Record<string, string | number | boolean | undefined> } = {},
  ): Promise<T> {
    const response = await this.exchange(method, path, what, options);
    const value = parseAnswer(response, what, this.limits.maxResponseBytes);
    const problem = apiProblem(def, value);
    if (problem) {
      throw new McpLockError('REGISTRY_PROTOCOL', `the registry's answer for ${what} is malformed: ${problem}`, {
        hint: 'The registry does not speak the mcp-lock registry API this client expects.',
      });
    }
    return value as T;
  }

  // ── Writes ──────────────────────────────────────────────────────────────────────────────────

  /** Publish a manifest with its publisher bundle. `created` is false for an identical re-publish. */
  async publish(manifest: McpLockManifest, bundle: unknown): Promise<{ created: boolean; version: VersionInfo }> {
    return this.json(
      'POST',
      '/mcp-lock/v1/publish',
      'PublishResult',
      `publishing ${manifest.server.name}@${manifest.server.version}`,
      {
        body: { manifest, bundle },
        auth: true,
      },
    );
  }

  /** Exchange a CI's OIDC ID token for a short-lived publisher token. */
  async exchangeOidc(idToken: string): Promise<{ token: string; expiresAt: string; scopes: string[] }> {
    const what = 'the OIDC exchange';
    const response = await this.exchange('POST', '/mcp-lock/v1/auth/oidc', what, { body: { token: idToken } });
    const value = parseAnswer(response, what, this.limits.maxResponseBytes);
    const v = value as { token?: unknown; expiresAt?: unknown; scopes?: unknown };
    if (typeof v?.token !== 'string' || typeof v.expiresAt !== 'string' || !Array.isArray(v.scopes)) {
      throw new McpLockError('REGISTRY_PROTOCOL', `the registry's answer for ${what} is malformed`);
    }
    return { token: v.token, expiresAt: v.expiresAt, scopes: v.scopes.map(String) };
  }

  /** The same client with another token (a publish session). */
  withToken(token: string): RegistryClient {
    return new RegistryClient({
      url: this.baseUrl.href,
      token,
      limits: this.limits,
      userAgent: this.userAgent,
      ...(this.signal ? { signal: this.signal } : {}),
    });
  }

  async curate(name: string, version: string, action: CurationAction, reason?: string): Promise<VersionInfo> {
    return this.json(
      'POST',
      `/mcp-lock/v1/servers/${enc(name)}/versions/${enc(version)}/${action}`,
      'VersionInfo',
      `${action} ${name}@${version}`,
      { body: reason === undefined ? {} : { reason }, auth: true },
    );
  }

  // ── Official API ────────────────────────────────────────────────────────────────────────────

  async listServers(params: ServerListParams = {}): Promise<ServerList> {
    return this.json('GET', '/v0.1/servers', 'ServerList', 'the server list', {
      query: {
        cursor: params.cursor,
        limit: params.limit,
        search: params.search,
        updated_since: params.updatedSince,
        version: params.version,
        include_deleted: params.includeDeleted,
      },
    });
  }

  async serverVersions(name: string, includeDeleted = false): Promise<ServerList> {
    return this.json('GET', `/v0.1/servers/${enc(name)}/versions`, 'ServerList', `the versions of ${name}`, {
      query: { include_deleted: includeDeleted || undefined },
    });
  }

  /** One version (or "latest") as the official API shows it; checks the answer is the one asked for. */
  async serverVersion(name: string, version: string): Promise<ServerResponse> {
    const response = await this.json<ServerResponse>(
      'GET',
      `/v0.1/servers/${enc(name)}/versions/${enc(version)}`,
      'ServerResponse',
      `${name}@${version}`,
    );
    if (response.server.name !== name || (version !== 'latest' && response.server.version !== version)) {
      throw new McpLockError(
        'REGISTRY_PROTOCOL',
        `asked for ${name}@${version}, the registry answered ${response.server.name}@${response.server.version}`,
      );
    }
    return response;
  }

  // ── mcp-lock API ────────────────────────────────────────────────────────────────────────────

  async version(name: string, version: string): Promise<VersionInfo> {
    const info = await this.json<VersionInfo>(
      'GET',
      `/mcp-lock/v1/servers/${enc(name)}/versions/${enc(version)}`,
      'VersionInfo',
      `${name}@${version}`,
      { auth: this.token !== undefined },
    );
    if (info.name !== name || (version !== 'latest' && info.version !== version)) {
      throw new McpLockError(
        'REGISTRY_PROTOCOL',
        `asked for ${name}@${version}, the registry answered ${info.name}@${info.version}`,
      );
    }
    return info;
  }

  /** The manifest's canonical bytes, unparsed (the caller parses and checks them against the digest). */
  async manifestBytes(name: string, version: string): Promise<Buffer> {
    const response = await this.exchange(
      'GET',
      `/mcp-lock/v1/servers/${enc(name)}/versions/${enc(version)}/manifest`,
      `the manifest of ${name}@${version}`,
      { auth: this.token !== undefined },
    );
    return response.body;
  }

  /** A bundle, strictly parsed (not verified: that is the caller's job). */
  async bundle(name: string, version: string, role: 'publisher' | 'approval'): Promise<JsonValue> {
    const what = `the ${role} bundle of ${name}@${version}`;
    const response = await this.exchange(
      'GET',
      `/mcp-lock/v1/servers/${enc(name)}/versions/${enc(version)}/bundles/${role}`,
      what,
      { auth: this.token !== undefined },
    );
    return parseAnswer(response, what, this.limits.maxResponseBytes);
  }

  async keys(): Promise<{ keyId: string; publicKey: string }[]> {
    return (
      await this.json<{ keys: { keyId: string; publicKey: string }[] }>(
        'GET',
        '/mcp-lock/v1/keys',
        'KeysResponse',
        'the approval keys',
      )
    ).keys;
  }

  /** One version of the registry's TUF root, strictly parsed (not verified: that is the caller's job). */
  async tufRoot(version = 1): Promise<JsonValue> {
    const what = `TUF root ${version}`;
    const response = await this.exchange('GET', `/mcp-lock/v1/tuf/${version}.root.json`, what);
    return parseAnswer(response, what, this.limits.maxResponseBytes);
  }

  async info(): Promise<{ registry: string; apiVersion: string; keys: { keyId: string; publicKey: string }[] }> {
    return this.json('GET', '/mcp-lock/v1/info', 'InfoResponse', 'the registry info');
  }

  async signers(namespace: string): Promise<NamespaceSigner[]> {
    const body = await this.json<{ signers: NamespaceSigner[] }>(
      'GET',
      `/mcp-lock/v1/namespaces/${enc(namespace)}/signers`,
      'SignersResponse',
      `the signers of ${namespace}`,
    );
    return body.signers;
  }

  async queue(params: { cursor?: string; limit?: number } = {}): Promise<{
    items: { version: VersionInfo; previousApproved: VersionInfo | null }[];
    metadata: { count: number; nextCursor?: string };
  }> {
    return this.json('GET', '/mcp-lock/v1/queue', 'QueueResponse', 'the review queue', { auth: true, query: params });
  }

  async audit(params: { cursor?: string; limit?: number; action?: string; name?: string } = {}): Promise<{
    events: { seq: number; at: string; action: string }[];
    metadata: { count: number; nextCursor?: string };
  }> {
    return this.json('GET', '/mcp-lock/v1/audit', 'AuditResponse', 'the audit log', { auth: true, query: params });
  }
}
