// Canonical bytes and digests: RFC 8785 (JCS) over I-JSON values, SHA-256 of the UTF-8 bytes.
// Every digest mcp-lock records or signs is made here, so there is exactly one definition of "the same".

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { McpLockError } from '../errors.ts';
import { DEFAULT_JSON_LIMITS, formatPath, type JsonValue } from '../json/strict-json.ts';

/** A digest as written in manifests and locks: `sha256:` followed by 64 lowercase hex digits. */
export type Digest = `sha256:${string}`;

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_PATTERN.test(value);
}

/** The RFC 8785 canonical form of a value that has passed the I-JSON checks. */
export function canonicalJson(value: unknown, maxDepth = DEFAULT_JSON_LIMITS.maxDepth): string {
  assertIJson(value, maxDepth);
  const text = canonicalize(value);
  if (typeof text !== 'string') {
    throw new McpLockError('JSON_NOT_CANONICALIZABLE', 'the value has no JSON form', {
      hint: 'Only JSON values (objects, arrays, strings, finite numbers, booleans, null) can be hashed.',
    });
  }
  return text;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function canonicalDigest(value: unknown): Digest {
  return `sha256:${sha256Hex(Buffer.from(canonicalJson(value), 'utf8'))}`;
}

/** Text is handed to the hash in pieces of about this many UTF-16 units. */
const HASH_CHUNK = 64 * 1024;

/**
 * Hex SHA-256 of the canonical JSON, as used for in-toto subject digests (a whole manifest). The same
 * bytes as canonicalJson, but fed to the hash in 64 KiB pieces as they are written, so a manifest of
 * 20,000 tools never exists as one string: that string and its intermediate pieces were most of the
 * proxy's and verify's peak memory. RFC 8785 over an I-JSON value (assertIJson first) is: literals and
 * numbers as ECMAScript serialises them (JSON.stringify of a finite number), strings as JSON.stringify
 * escapes them (it escapes exactly what JCS does), object keys sorted by UTF-16 code units (the default
 * sort), no whitespace. A piece is flushed only between complete tokens, so no character is split.
 */
export function canonicalSha256Hex(value: unknown, maxDepth = DEFAULT_JSON_LIMITS.maxDepth): string {
  assertIJson(value, maxDepth);
  const hash = createHash('sha256');
  let text = '';
  const write = (v: JsonValue): void => {
    if (v === null || typeof v !== 'object') {
      text += JSON.stringify(v);
    } else if (Array.isArray(v)) {
      text += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) text += ',';
        write(v[i]!);
      }
      text += ']';
    } else {
      text += '{';
      const keys = Object.keys(v).sort();
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) text += ',';
        text += `${JSON.stringify(keys[i])}:`;
        write(v[keys[i]!]!);
      }
      text += '}';
    }
    if (text.length >= HASH_CHUNK) {
      hash.update(text, 'utf8');
      text = '';
    }
  };
  write(value);
  hash.update(text, 'utf8');
  return hash.digest('hex');
}

/**
 * Reject what RFC 8785 would otherwise silently change or what I-JSON forbids: non-plain objects,
 * undefined, functions, non-finite numbers, -0, lone surrogates, forbidden keys, excessive depth.
 * Values from parseStrictJson always pass. Recursion is bounded by maxDepth; one shared path array
 * keeps this allocation-free on the hot path (verify hashes every pinned definition).
 */
export function assertIJson(value: unknown, maxDepth = DEFAULT_JSON_LIMITS.maxDepth): asserts value is JsonValue {
  const path: (string | number)[] = [];
  const fail = (
    reason: string,
    code: 'JSON_NOT_CANONICALIZABLE' | 'JSON_LONE_SURROGATE' | 'JSON_TOO_DEEP' = 'JSON_NOT_CANONICALIZABLE',
  ): never => {
    const at = formatPath(path);
    throw new McpLockError(code, `cannot hash: ${reason} at ${at}`, {
      data: { path: at },
      hint: 'Hashed values must be I-JSON (RFC 7493).',
    });
  };
  const check = (v: unknown, depth: number): void => {
    if (v === null || typeof v === 'boolean') return;
    if (typeof v === 'string') {
      if (hasLoneSurrogate(v)) fail('unpaired surrogate in a string', 'JSON_LONE_SURROGATE');
      return;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail('non-finite number');
      if (Object.is(v, -0)) fail('negative zero');
      return;
    }
    if (typeof v !== 'object') fail(`a ${typeof v} is not JSON`);
    if (depth + 1 > maxDepth) fail(`nesting deeper than ${maxDepth}`, 'JSON_TOO_DEEP');
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        check(v[i], depth + 1);
        path.pop();
      }
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) fail('not a plain object');
    for (const key of Object.keys(v as object)) {
      path.push(key);
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') fail(`forbidden key "${key}"`);
      if (hasLoneSurrogate(key)) fail('unpaired surrogate in a key', 'JSON_LONE_SURROGATE');
      const child = (v as Record<string, unknown>)[key];
      if (child === undefined) fail(`undefined value for "${key}"`);
      check(child, depth + 1);
      path.pop();
    }
  };
  check(value, 0);
}

export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return true;
  }
  return false;
}
