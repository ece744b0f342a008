// What the consumer CLI reads from an mcp-lock registry, over bounded HTTP with strict parsing. Nothing
// read here is trusted by itself: manifests are checked against signatures, signatures against keys
// pinned in the lock.

import type { AttestationRole } from '../../core/attestation/statement.ts';
import { McpLockError } from '../../core/errors.ts';
import type { PinnedKey } from '../../core/generated/lockfile.ts';
import { type JsonObject, type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import { keyIdOf, parsePublicKey } from '../sigstore/keys.ts';

export const REGISTRY_META_KEY = 'dev.mcp-lock/registry';

export interface RegistryVersionMeta {
  status: string;
  statusReason?: string;
  manifestDigest: string;
  signer: { type: 'key'; keyId: string; publicKey?: string } | { type: 'keyless'; identity: string; issuer: string };
  approval: { keyId: string; approvedAt: string; curator: string } | null;
}

export interface RegistryVersion {
  name: string;
  version: string;
  server: JsonObject;
  meta: RegistryVersionMeta;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A registry base URL without a trailing slash; https, or http to loopback only. */
export function normalizeRegistryUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpLockError('USAGE', `"${url}" is not a registry URL`);
  }
  if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)))) {
    throw new McpLockError('USAGE', `registry URLs must use https (http only to loopback): ${url}`);
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new McpLockError('USAGE', 'a registry URL has no query, fragment or credentials');
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

async function get(url: string, what: string, maxBytes: number, timeoutMs = 30_000): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    throw new McpLockError(
      'REGISTRY_UNAVAILABLE',
      `cannot reach the registry for ${what}: ${(error as Error).message}`,
      {
        hint: 'Check the registry URL and your network; nothing was changed.',
        cause: error,
      },
    );
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new McpLockError('NOT_FOUND', `the registry has no ${what}`, { data: { url } });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new McpLockError('REGISTRY_UNAVAILABLE', `the registry answered HTTP ${response.status} for ${what}`, {
      data: { url },
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > maxBytes) {
        throw new McpLockError('LIMIT_EXCEEDED', `the registry's ${what} is larger than ${maxBytes} bytes`);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof McpLockError) throw error;
    throw new McpLockError(
      'REGISTRY_UNAVAILABLE',
      `reading ${what} from the registry failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return Buffer.concat(chunks);
}

async function getJson(url: string, what: string, maxBytes: number): Promise<JsonValue> {
  const bytes = await get(url, what, maxBytes);
  try {
    return parseStrictJson(bytes, what, { maxBytes, maxDepth: 100 });
  } catch (error) {
    throw new McpLockError('REGISTRY_PROTOCOL', `the registry sent an invalid ${what}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const enc = encodeURIComponent;

export async function fetchApprovalKeys(registry: string): Promise<PinnedKey[]> {
  const body = (await getJson(`${registry}/mcp-lock/v1/keys`, 'approval keys', 256 * 1024)) as JsonObject;
  const keys = Array.isArray(body?.keys) ? body.keys : [];
  if (keys.length === 0) throw new McpLockError('REGISTRY_PROTOCOL', 'the registry publishes no approval key');
  return keys.slice(0, 20).map((k) => {
    const obj = k as JsonObject;
    if (typeof obj.publicKey !== 'string')
      throw new McpLockError('REGISTRY_PROTOCOL', 'an approval key has no publicKey');
    const keyId = keyIdOf(parsePublicKey(obj.publicKey, 'the registry approval key'));
    if (obj.keyId !== undefined && obj.keyId !== keyId) {
      throw new McpLockError('REGISTRY_PROTOCOL', 'the registry lists an approval key under the wrong key id');
    }
    return { keyId, publicKey: obj.publicKey };
  });
}

/** One version as the official API shows it, with our registry facts. `version` may be "latest". */
export async function fetchVersion(registry: string, name: string, version: string): Promise<RegistryVersion> {
  const body = (await getJson(
    `${registry}/v0.1/servers/${enc(name)}/versions/${enc(version)}`,
    `${name}@${version}`,
    8 * 1024 * 1024,
  )) as JsonObject;
  const server = body?.server as JsonObject | undefined;
  const meta = (body?._meta as JsonObject | undefined)?.[REGISTRY_META_KEY] as unknown as
    | RegistryVersionMeta
    | undefined;
  if (
    !server ||
    typeof server.name !== 'string' ||
    typeof server.version !== 'string' ||
    !meta ||
    typeof meta.manifestDigest !== 'string'
  ) {
    throw new McpLockError(
      'REGISTRY_PROTOCOL',
      `the registry's answer for ${name}@${version} lacks server or ${REGISTRY_META_KEY}`,
    );
  }
  if (server.name !== name || (version !== 'latest' && server.version !== version)) {
    throw new McpLockError(
      'REGISTRY_PROTOCOL',
      `asked for ${name}@${version}, the registry answered ${String(server.name)}@${String(server.version)}`,
    );
  }
  return { name, version: server.version, server, meta };
}

export async function fetchManifestBytes(registry: string, name: string, version: string): Promise<Buffer> {
  return get(
    `${registry}/mcp-lock/v1/servers/${enc(name)}/versions/${enc(version)}/manifest`,
    `manifest of ${name}@${version}`,
    32 * 1024 * 1024,
  );
}

export async function fetchBundle(
  registry: string,
  name: string,
  version: string,
  role: AttestationRole,
): Promise<JsonValue> {
  const path = role === 'publisher' ? 'publisher' : 'approval';
  return getJson(
    `${registry}/mcp-lock/v1/servers/${enc(name)}/versions/${enc(version)}/bundles/${path}`,
    `${role} bundle of ${name}@${version}`,
    1024 * 1024,
  );
}

/** The public keys a registry accepts for a namespace's publishers (to pin a key signer on first use). */
export async function fetchNamespaceSigners(registry: string, namespace: string): Promise<JsonObject[]> {
  const body = (await getJson(
    `${registry}/mcp-lock/v1/namespaces/${enc(namespace)}/signers`,
    `signers of ${namespace}`,
    512 * 1024,
  )) as JsonObject;
  const signers = Array.isArray(body?.signers) ? body.signers : [];
  return signers.filter((s): s is JsonObject => Boolean(s) && typeof s === 'object' && !Array.isArray(s)).slice(0, 100);
}
