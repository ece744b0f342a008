// The HTTP client of an mcp-lock registry: publish and curate now, and every read the consumer CLI needs
// (official API, manifests, bundles, keys, signers). Every response is parsed strictly and checked
// against the same API schema the registry serves; errors map to codes (unreachable and 5xx → exit 3,
// 404 → NOT_FOUND, 401/403 → UNAUTHENTICATED/FORBIDDEN, 409 → CONFLICT). The token is never printed.

import { type ErrorCode, errorCategory, isErrorCode, McpLockError } from '../../core/errors.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import type { ApiDefName } from '../../core/registry/api-schema.ts';
import { apiProblem } from '../../core/registry/api-validate.ts';
import type { ServerResponse, VersionInfo } from '../../core/registry/response.ts';
import type { CurationAction } from '../../core/registry/status.ts';
import { boundedRequest, DEFAULT_HTTP_LIMITS, type HttpLimits, type HttpResponse } from './http.ts';

export interface RegistryClientOptions {
  /** Base URL: https, or http to loopback only; may have a path prefix. */
  url: string;
  token?: string;
  limits?: Partial<HttpLimits>;
  userAgent?: string;
  signal?: AbortSignal;
}

export interface ServerListParams {
  cursor?: string;
  limit?: number;
  search?: string;
  updatedSince?: string;
  version?: string;
  includeDeleted?: boolean;
}

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

const FALLBACK_HINTS: Partial<Record<ErrorCode, string>> = {
  REGISTRY_UNAVAILABLE: 'Retry later; nothing was changed.',
  UNAUTHENTICATED: 'Check --token or MCP_LOCK_TOKEN.',
  FORBIDDEN: 'The token lacks the role or scope for this.',
  NOT_FOUND: 'Check the name and version.',
  CONFLICT: 'Published versions are immutable.',
  RATE_LIMITED: 'Too many failed attempts; wait and check the token.',
};

/**
 * The code a registry's error response means for the client: the inverse of the registry's
 * httpStatusFor. 5xx is always "could not verify"; the codes HTTP names by status map back by status;
 * otherwise the server's own code counts when it is known and not "could not verify" (a registry cannot
 * make a client error look like "could not verify", or the reverse).
 */
export function errorCodeForResponse(status: number, serverCode: string | undefined): ErrorCode {
  if (status >= 500) return 'REGISTRY_UNAVAILABLE';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && serverCode && isErrorCode(serverCode) && errorCategory(serverCode) !== 'unverifiable')
    return serverCode;
  return 'REGISTRY_PROTOCOL';
}
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const enc = encodeURIComponent;
const MESSAGE_MAX = 500;

/** Check and normalize a registry base URL. */
export function registryBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpLockError('USAGE', `${JSON.stringify(url)} is not a registry URL`, {
      hint: 'For example https://registry.example.com or http://127.0.0.1:8787.',
    });
  }
  const loopback = LOOPBACK.has(parsed.hostname) || /^127\./.test(parsed.hostname);
  if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback))) {
    throw new McpLockError('USAGE', `registry URLs use https (plain http only to this machine): ${parsed.origin}`, {
      hint: 'Tokens and statuses must not travel in clear text; put the registry behind TLS.',
    });
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new McpLockError('USAGE', 'a registry URL has no query, fragment or credentials');
  }
  parsed.pathname = parsed.pathname.replace(/\/+$/, '');
  return parsed;
}

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
    if (response.status < 200 || response.status > 299) throw this.httpError(response, what);
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
    const value = this.parse(response, what);
    const problem = apiProblem(def, value);
    if (problem) {
      throw new McpLockError('REGISTRY_PROTOCOL', `the registry's answer for ${what} is malformed: ${problem}`, {
        hint: 'The registry does not speak the mcp-lock registry API this client expects.',
      });
    }
    return value as T;
  }

  private parse(response: HttpResponse, what: string): JsonValue {
    if (!/^application\/json\b/i.test(response.contentType)) {
      throw new McpLockError(
        'REGISTRY_PROTOCOL',
        `the registry answered ${what} with ${response.contentType || 'no content type'}, not JSON`,
      );
    }
    try {
      return parseStrictJson(response.body, `registry answer for ${what}`, {
        maxBytes: this.limits.maxResponseBytes,
        maxDepth: 128,
      });
    } catch (error) {
      throw new McpLockError(
        'REGISTRY_PROTOCOL',
        `the registry's answer for ${what} is not strict JSON: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  private httpError(response: HttpResponse, what: string): McpLockError {
    const { status } = response;
    let serverCode: string | undefined;
    let message: string | undefined;
    let hint: string | undefined;
    try {
      const body = parseStrictJson(response.body, 'error body', { maxBytes: 1024 * 1024, maxDepth: 16 }) as {
        error?: unknown;
        code?: unknown;
        hint?: unknown;
      };
      const e = body?.error;
      if (e && typeof e === 'object' && !Array.isArray(e)) {
        const o = e as { code?: unknown; message?: unknown; hint?: unknown };
        if (typeof o.code === 'string') serverCode = o.code;
        if (typeof o.message === 'string') message = o.message;
        if (typeof o.hint === 'string') hint = o.hint;
      } else if (typeof e === 'string') {
        message = e;
        if (typeof body.code === 'string') serverCode = body.code;
        if (typeof body.hint === 'string') hint = body.hint;
      }
    } catch {
      // Not JSON: the status alone decides.
    }
    const text = `${what}: ${(message ?? `HTTP ${status}`).slice(0, MESSAGE_MAX)}`;
    const code = errorCodeForResponse(status, serverCode);
    const fallbackHint = FALLBACK_HINTS[code] ?? 'See the registry’s message.';
    const full =
      code === 'REGISTRY_UNAVAILABLE'
        ? `the registry failed on ${text}`
        : code === 'REGISTRY_PROTOCOL'
          ? `unexpected HTTP ${status} for ${text}`
          : text;
    return new McpLockError(code, full, { hint: (hint ?? fallbackHint).slice(0, MESSAGE_MAX), data: { status } });
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
    const value = this.parse(
      await this.exchange('POST', '/mcp-lock/v1/auth/oidc', what, { body: { token: idToken } }),
      what,
    );
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
    return this.parse(response, what);
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
    return this.parse(await this.exchange('GET', `/mcp-lock/v1/tuf/${version}.root.json`, what), what);
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
