// Registry server configuration: defaults, then a JSON config file, then MCP_LOCK_REGISTRY_* environment
// variables, then command-line flags (later wins). Everything is validated before the server starts, and
// an error names the source and the setting. Reading the file is the caller's job; this is pure.

import { dirname, isAbsolute, resolve } from 'node:path';
import { McpLockError } from '../core/errors.ts';
import { parseStrictJson } from '../core/json/strict-json.ts';
import { DEFAULT_NPM_REGISTRY } from '../core/manifest/check-tree.ts';
import type { OidcIssuer } from '../core/registry/oidc.ts';
import { OIDC_IDENTITY_MODES, type OidcIdentityMode } from '../core/registry/oidc-identity.ts';
import { DEFAULT_TUF_EXPIRIES, EXPIRY_BOUNDS, type TufExpiries } from '../core/registry/tuf/metadata.ts';
import { isSeverity, SEVERITIES, type Severity } from '../core/scan/severity.ts';
import { DEFAULT_APP_LIMITS } from './app.ts';

export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerLimits {
  publishBodyBytes: number;
  jsonBodyBytes: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  connectionTimeoutMs: number;
  keepAliveTimeoutMs: number;
  authFailuresPerWindow: number;
  authFailureWindowMs: number;
}

export interface RegistryConfig {
  host: string;
  port: number;
  dataDir: string;
  /**
   * PostgreSQL connection URL: versions, tokens, signers and the audit log live there (any number of
   * replicas may share it); the data directory then holds only the approval key. Null: the file store.
   */
  databaseUrl: string | null;
  /** The URL clients use; named in approvals. Defaults to the listening address. */
  publicUrl: string | null;
  /**
   * The path prefix the registry (API and UI) is served under behind a reverse proxy, e.g. "/mcp/";
   * always starts and ends with "/" ("/" at the root).
   */
  basePath: string;
  logLevel: LogLevel;
  /** Sigstore trusted_root.json for keyless publisher bundles (default: the public-good root). */
  trustedRoot: string | null;
  /** npm registries whose tarballs published manifests may pin (default: registry.npmjs.org). */
  npmRegistries: string[];
  /** Refuse publishes whose lint findings reach this severity ('none': record them for curators only). */
  refuseFindings: Severity | 'none';
  /** How long each TUF role is valid after signing, in seconds (the server re-signs at half-life). */
  tufExpiries: TufExpiries;
  /** Distinct curators (other than the publisher) an approval needs, per namespace; `*` is the default. */
  curatorsRequired: Record<string, number>;
  /** OIDC issuers whose ID tokens may publish (CI without long-lived tokens), with claim → namespace rules. */
  oidcIssuers: OidcIssuer[];
  /**
   * Namespaces (`*`: every one) whose publishes must be signed keyless by the OIDC identity publishing them:
   * "all" also refuses long-lived tokens there, "oidc-sessions" checks OIDC sessions only.
   */
  oidcIdentityRequired: Record<string, OidcIdentityMode>;
  limits: ServerLimits;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_DATA_DIR = '.mcp-lock-registry';

export const DEFAULT_LIMITS: ServerLimits = {
  publishBodyBytes: DEFAULT_APP_LIMITS.publishBodyBytes,
  jsonBodyBytes: DEFAULT_APP_LIMITS.jsonBodyBytes,
  maxConnections: 1024,
  maxConnectionsPerAddress: 64,
  requestTimeoutMs: DEFAULT_APP_LIMITS.requestTimeoutMs,
  headersTimeoutMs: 5_000,
  connectionTimeoutMs: DEFAULT_APP_LIMITS.connectionTimeoutMs,
  keepAliveTimeoutMs: DEFAULT_APP_LIMITS.keepAliveTimeoutMs,
  authFailuresPerWindow: DEFAULT_APP_LIMITS.authFailuresPerWindow,
  authFailureWindowMs: DEFAULT_APP_LIMITS.authFailureWindowMs,
};

/** Bounds of each limit: [min, max]. */
const LIMIT_BOUNDS: Record<keyof ServerLimits, [number, number]> = {
  publishBodyBytes: [64 * 1024, 64 * 1024 * 1024],
  jsonBodyBytes: [1024, 1024 * 1024],
  maxConnections: [1, 100_000],
  maxConnectionsPerAddress: [1, 100_000],
  requestTimeoutMs: [1_000, 600_000],
  headersTimeoutMs: [1_000, 600_000],
  connectionTimeoutMs: [1_000, 3_600_000],
  keepAliveTimeoutMs: [100, 600_000],
  authFailuresPerWindow: [1, 1_000_000],
  authFailureWindowMs: [1_000, 86_400_000],
};

export const ENV = {
  host: 'MCP_LOCK_REGISTRY_HOST',
  port: 'MCP_LOCK_REGISTRY_PORT',
  dataDir: 'MCP_LOCK_REGISTRY_DATA',
  databaseUrl: 'MCP_LOCK_REGISTRY_DATABASE_URL',
  publicUrl: 'MCP_LOCK_REGISTRY_PUBLIC_URL',
  basePath: 'MCP_LOCK_REGISTRY_BASE_PATH',
  logLevel: 'MCP_LOCK_REGISTRY_LOG_LEVEL',
  trustedRoot: 'MCP_LOCK_REGISTRY_TRUSTED_ROOT',
  npmRegistries: 'MCP_LOCK_REGISTRY_NPM_REGISTRIES',
  refuseFindings: 'MCP_LOCK_REGISTRY_REFUSE_FINDINGS',
  timestampExpiry: 'MCP_LOCK_REGISTRY_TIMESTAMP_EXPIRY',
  config: 'MCP_LOCK_REGISTRY_CONFIG',
} as const;

export interface ConfigFlags {
  host?: string;
  port?: string;
  data?: string;
  databaseUrl?: string;
  publicUrl?: string;
  basePath?: string;
  logLevel?: string;
  trustedRoot?: string;
  npmRegistry?: string[];
  refuseFindings?: string;
  timestampExpiry?: string;
}

export interface ConfigSources {
  flags: ConfigFlags;
  env: Record<string, string | undefined>;
  /** The config file's path and content, when one was given. */
  file?: { path: string; content: string | Uint8Array };
  cwd: string;
}

/** Which file to read, if any: --config, then MCP_LOCK_REGISTRY_CONFIG. */
export function configFilePath(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string | null {
  const path = flag ?? env[ENV.config];
  return path ? resolve(cwd, path) : null;
}

function invalid(source: string, setting: string, problem: string): McpLockError {
  return new McpLockError('CONFIG_INVALID', `${setting} from ${source} ${problem}`, {
    hint: 'See `mcp-lock registry serve --help` for the settings and their sources.',
    data: { source, setting },
  });
}

function checkHost(value: unknown, source: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || /[\s/]/.test(value)) {
    throw invalid(source, 'host', 'must be a host name or IP address');
  }
  return value;
}

/** Flags and environment variables are text; a config file must say a number. */
function checkPort(value: unknown, source: string, fromText = true): number {
  const n = fromText && typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw invalid(source, 'port', `must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return n;
}

function checkPath(value: unknown, source: string, setting: string, base: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096 || value.includes('\0')) {
    throw invalid(source, setting, 'must be a path');
  }
  return isAbsolute(value) ? value : resolve(base, value);
}

function checkUrl(value: unknown, source: string): string {
  if (typeof value !== 'string' || !URL.canParse(value)) throw invalid(source, 'publicUrl', 'must be a URL');
  const url = new URL(value);
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw invalid(source, 'publicUrl', 'must be an http(s) URL without credentials, query or fragment');
  }
  return value.replace(/\/+$/, '');
}

/**
 * A path prefix: segments of URL-safe characters (no "." or ".." segment, no empty one, nothing to
 * percent-encode), normalised to start and end with "/". It goes into links and redirects verbatim.
 */
export function parseBasePath(value: unknown, source: string): string {
  const path = typeof value === 'string' ? value.trim() : value;
  if (typeof path !== 'string' || path.length > 200 || !path.startsWith('/')) {
    throw invalid(source, 'basePath', 'must be a path starting with "/", e.g. /mcp/ (at most 200 characters)');
  }
  const segments = path.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  for (const segment of segments) {
    if (!/^[A-Za-z0-9._~-]+$/.test(segment) || segment === '.' || segment === '..') {
      throw invalid(
        source,
        'basePath',
        `has the segment ${JSON.stringify(segment)}: use letters, digits and . _ ~ - (no "..", no empty segment)`,
      );
    }
  }
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

/** A postgres:// URL. Errors never repeat it: it may hold a password. */
function checkDatabaseUrl(value: unknown, source: string): string {
  const url = typeof value === 'string' && value.length <= 4096 && URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
    throw invalid(source, 'databaseUrl', 'must be a postgres:// URL, e.g. postgres://user:password@host:5432/registry');
  }
  return value as string;
}

function checkLogLevel(value: unknown, source: string): LogLevel {
  if (typeof value !== 'string' || !(LOG_LEVELS as readonly string[]).includes(value)) {
    throw invalid(source, 'logLevel', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return value as LogLevel;
}

const LOOPBACK_HTTP = /^http:\/\/(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(?::\d+)?(?:\/|$)/;

function checkNpmRegistries(value: unknown, source: string): string[] {
  const list =
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value;
  if (!Array.isArray(list) || list.length === 0 || list.length > 20) {
    throw invalid(source, 'npmRegistries', 'must be a list of 1 to 20 registry URLs');
  }
  return list.map((v) => {
    if (typeof v !== 'string' || !URL.canParse(v))
      throw invalid(source, 'npmRegistries', `has a value that is not a URL`);
    const url = v.replace(/\/+$/, '');
    if (!url.startsWith('https://') && !LOOPBACK_HTTP.test(url)) {
      throw invalid(source, 'npmRegistries', `must use https (plain http only to loopback): ${url}`);
    }
    return url;
  });
}

function checkRefuseFindings(value: unknown, source: string): Severity | 'none' {
  if (value === 'none' || isSeverity(value)) return value;
  throw invalid(source, 'refuseFindings', `must be none, ${SEVERITIES.join(', ')}`);
}

/** A duration: seconds, or a number with s, m, h or d. */
function checkDuration(value: unknown, source: string, setting: string, bounds: [number, number]): number {
  const m = typeof value === 'string' ? /^(\d{1,9})([smhd]?)$/.exec(value) : null;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 } as const;
  const seconds = m ? Number(m[1]) * unit[m[2] as keyof typeof unit] : value;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < bounds[0] || seconds > bounds[1]) {
    throw invalid(source, setting, `must be a duration from ${bounds[0]}s to ${bounds[1]}s (e.g. 86400, 12h, 1d)`);
  }
  return seconds;
}

function checkTufExpiries(value: unknown, source: string, into: TufExpiries): void {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw invalid(source, 'tufExpiries', 'must be an object');
  for (const [key, v] of Object.entries(value)) {
    const bounds = EXPIRY_BOUNDS[key as keyof TufExpiries];
    if (!bounds) throw invalid(source, `tufExpiries.${key}`, 'is not a TUF role (root, targets, snapshot, timestamp)');
    into[key as keyof TufExpiries] = checkDuration(
      typeof v === 'number' ? String(v) : v,
      source,
      `tufExpiries.${key}`,
      bounds,
    );
  }
}

function checkCuratorsRequired(value: unknown, source: string): Record<string, number> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(source, 'curatorsRequired', 'must be an object of namespace → number of curators');
  }
  const out: Record<string, number> = {};
  for (const [namespace, n] of Object.entries(value)) {
    if (namespace !== '*' && !/^[a-zA-Z0-9.-]{1,200}$/.test(namespace)) {
      throw invalid(source, `curatorsRequired.${namespace}`, 'is not a namespace or "*"');
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
      throw invalid(source, `curatorsRequired.${namespace}`, 'must be an integer from 1 to 10');
    }
    out[namespace] = n;
  }
  return out;
}

function checkOidcIdentityRequired(value: unknown, source: string): Record<string, OidcIdentityMode> {
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 1000) {
    throw invalid(source, 'oidcIdentityRequired', 'must be an object of namespace → "all" or "oidc-sessions"');
  }
  const out: Record<string, OidcIdentityMode> = {};
  for (const [namespace, mode] of Object.entries(value)) {
    if (namespace !== '*' && !/^[a-zA-Z0-9.-]{1,200}$/.test(namespace)) {
      throw invalid(source, `oidcIdentityRequired.${namespace}`, 'is not a namespace or "*"');
    }
    if (!(OIDC_IDENTITY_MODES as readonly unknown[]).includes(mode)) {
      throw invalid(source, `oidcIdentityRequired.${namespace}`, `must be one of ${OIDC_IDENTITY_MODES.join(', ')}`);
    }
    out[namespace] = mode as OidcIdentityMode;
  }
  return out;
}

function checkOidcIssuers(value: unknown, source: string): OidcIssuer[] {
  if (!Array.isArray(value) || value.length > 10)
    throw invalid(source, 'oidcIssuers', 'must be a list of up to 10 issuers');
  return value.map((entry, i) => {
    const at = `oidcIssuers[${i}]`;
    const e = entry as Record<string, unknown>;
    if (!e || typeof e !== 'object') throw invalid(source, at, 'must be an object');
    const url = (key: string) => {
      const v = e[key];
      if (typeof v !== 'string' || !URL.canParse(v) || !(v.startsWith('https://') || LOOPBACK_HTTP.test(v))) {
        throw invalid(source, `${at}.${key}`, 'must be an https URL (plain http only to loopback)');
      }
      return v;
    };
    if (typeof e.audience !== 'string' || e.audience.length === 0 || e.audience.length > 500) {
      throw invalid(source, `${at}.audience`, 'must be the audience tokens name (this registry)');
    }
    const rules = e.namespaces;
    if (!Array.isArray(rules) || rules.length === 0 || rules.length > 10) {
      throw invalid(
        source,
        `${at}.namespaces`,
        'must list rules like {"claim": "repository_owner", "namespace": "io.github.{value}"}',
      );
    }
    return {
      issuer: url('issuer'),
      audience: e.audience,
      jwksUrl: url('jwksUrl'),
      rules: rules.map((r, j) => {
        const rule = r as Record<string, unknown>;
        if (
          typeof rule?.claim !== 'string' ||
          !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(rule.claim) ||
          typeof rule.namespace !== 'string' ||
          !/^[a-z0-9.-]*\{value\}[a-z0-9.-]*$/.test(rule.namespace)
        ) {
          throw invalid(source, `${at}.namespaces[${j}]`, 'needs a claim name and a namespace with {value}');
        }
        return { claim: rule.claim, namespace: rule.namespace };
      }),
    };
  });
}

function checkLimits(value: unknown, source: string, into: ServerLimits): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(source, 'limits', 'must be an object');
  for (const [key, v] of Object.entries(value)) {
    const bounds = LIMIT_BOUNDS[key as keyof ServerLimits];
    if (!bounds) throw invalid(source, `limits.${key}`, 'is not a known limit');
    if (typeof v !== 'number' || !Number.isInteger(v) || v < bounds[0] || v > bounds[1]) {
      throw invalid(source, `limits.${key}`, `must be an integer from ${bounds[0]} to ${bounds[1]}`);
    }
    into[key as keyof ServerLimits] = v;
  }
}

const FILE_KEYS = new Set([
  'host',
  'port',
  'dataDir',
  'databaseUrl',
  'publicUrl',
  'basePath',
  'logLevel',
  'trustedRoot',
  'npmRegistries',
  'refuseFindings',
  'tufExpiries',
  'curatorsRequired',
  'oidcIssuers',
  'oidcIdentityRequired',
  'limits',
]);

/** Merge and validate every source into one configuration. */
export function resolveRegistryConfig(sources: ConfigSources): RegistryConfig {
  const config: RegistryConfig = {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    dataDir: resolve(sources.cwd, DEFAULT_DATA_DIR),
    databaseUrl: null,
    publicUrl: null,
    basePath: '/',
    logLevel: 'info',
    trustedRoot: null,
    npmRegistries: [DEFAULT_NPM_REGISTRY],
    refuseFindings: 'none',
    tufExpiries: { ...DEFAULT_TUF_EXPIRIES },
    curatorsRequired: { '*': 1 },
    oidcIssuers: [],
    oidcIdentityRequired: {},
    limits: { ...DEFAULT_LIMITS },
  };

  if (sources.file) {
    const source = `the config file ${sources.file.path}`;
    let value: unknown;
    try {
      value = parseStrictJson(sources.file.content, 'config file', { maxBytes: 64 * 1024, maxDepth: 8 });
    } catch (error) {
      throw new McpLockError('CONFIG_INVALID', `${source} is not valid JSON: ${(error as Error).message}`, {
        hint: 'The config file is JSON, e.g. {"port": 8787, "dataDir": "./data"}.',
        cause: error,
      });
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw invalid(source, 'the file', 'must be an object');
    const base = dirname(sources.file.path);
    for (const [key, v] of Object.entries(value)) {
      if (!FILE_KEYS.has(key)) throw invalid(source, key, `is not a setting (known: ${[...FILE_KEYS].join(', ')})`);
      if (key === 'host') config.host = checkHost(v, source);
      if (key === 'port') config.port = checkPort(v, source, false);
      if (key === 'dataDir') config.dataDir = checkPath(v, source, 'dataDir', base);
      if (key === 'databaseUrl') config.databaseUrl = checkDatabaseUrl(v, source);
      if (key === 'publicUrl') config.publicUrl = checkUrl(v, source);
      if (key === 'basePath') config.basePath = parseBasePath(v, source);
      if (key === 'logLevel') config.logLevel = checkLogLevel(v, source);
      if (key === 'trustedRoot') config.trustedRoot = checkPath(v, source, 'trustedRoot', base);
      if (key === 'npmRegistries') config.npmRegistries = checkNpmRegistries(v, source);
      if (key === 'refuseFindings') config.refuseFindings = checkRefuseFindings(v, source);
      if (key === 'limits') checkLimits(v, source, config.limits);
      if (key === 'tufExpiries') checkTufExpiries(v, source, config.tufExpiries);
      if (key === 'oidcIssuers') config.oidcIssuers = checkOidcIssuers(v, source);
      if (key === 'oidcIdentityRequired') config.oidcIdentityRequired = checkOidcIdentityRequired(v, source);
      if (key === 'curatorsRequired') config.curatorsRequired = { '*': 1, ...checkCuratorsRequired(v, source) };
    }
  }

  const env = sources.env;
  const fromEnv = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const e = (name: string) => `the environment (${name})`;
  if (fromEnv(ENV.host) !== undefined) config.host = checkHost(env[ENV.host], e(ENV.host));
  if (fromEnv(ENV.port) !== undefined) config.port = checkPort(env[ENV.port], e(ENV.port));
  if (fromEnv(ENV.dataDir) !== undefined)
    config.dataDir = checkPath(env[ENV.dataDir], e(ENV.dataDir), 'dataDir', sources.cwd);
  if (fromEnv(ENV.databaseUrl) !== undefined) {
    config.databaseUrl = checkDatabaseUrl(env[ENV.databaseUrl], e(ENV.databaseUrl));
  }
  if (fromEnv(ENV.publicUrl) !== undefined) config.publicUrl = checkUrl(env[ENV.publicUrl], e(ENV.publicUrl));
  if (fromEnv(ENV.basePath) !== undefined) config.basePath = parseBasePath(env[ENV.basePath], e(ENV.basePath));
  if (fromEnv(ENV.logLevel) !== undefined) config.logLevel = checkLogLevel(env[ENV.logLevel], e(ENV.logLevel));
  if (fromEnv(ENV.trustedRoot) !== undefined) {
    config.trustedRoot = checkPath(env[ENV.trustedRoot], e(ENV.trustedRoot), 'trustedRoot', sources.cwd);
  }

  if (fromEnv(ENV.npmRegistries) !== undefined) {
    config.npmRegistries = checkNpmRegistries(env[ENV.npmRegistries], e(ENV.npmRegistries));
  }
  if (fromEnv(ENV.refuseFindings) !== undefined) {
    config.refuseFindings = checkRefuseFindings(env[ENV.refuseFindings], e(ENV.refuseFindings));
  }

  if (fromEnv(ENV.timestampExpiry) !== undefined) {
    config.tufExpiries.timestamp = checkDuration(
      env[ENV.timestampExpiry],
      e(ENV.timestampExpiry),
      'timestampExpiry',
      EXPIRY_BOUNDS.timestamp,
    );
  }

  const f = sources.flags;
  if (f.host !== undefined) config.host = checkHost(f.host, '--host');
  if (f.port !== undefined) config.port = checkPort(f.port, '--port');
  if (f.data !== undefined) config.dataDir = checkPath(f.data, '--data', 'dataDir', sources.cwd);
  if (f.databaseUrl !== undefined) config.databaseUrl = checkDatabaseUrl(f.databaseUrl, '--database-url');
  if (f.publicUrl !== undefined) config.publicUrl = checkUrl(f.publicUrl, '--public-url');
  if (f.basePath !== undefined) config.basePath = parseBasePath(f.basePath, '--base-path');
  if (f.logLevel !== undefined) config.logLevel = checkLogLevel(f.logLevel, '--log-level');
  if (f.trustedRoot !== undefined)
    config.trustedRoot = checkPath(f.trustedRoot, '--trusted-root', 'trustedRoot', sources.cwd);
  if (f.npmRegistry !== undefined) config.npmRegistries = checkNpmRegistries(f.npmRegistry, '--npm-registry');
  if (f.refuseFindings !== undefined)
    config.refuseFindings = checkRefuseFindings(f.refuseFindings, '--refuse-findings');
  if (f.timestampExpiry !== undefined) {
    config.tufExpiries.timestamp = checkDuration(
      f.timestampExpiry,
      '--timestamp-expiry',
      'timestampExpiry',
      EXPIRY_BOUNDS.timestamp,
    );
  }
  return config;
}

/** True when the host only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
