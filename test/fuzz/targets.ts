// Fuzz targets shared by the bounded property tests (test/fuzz/*.test.ts, run by `npm test`) and the long
// run (`npm run fuzz`, scripts/fuzz.ts). Each target generates inputs and checks one property; a check
// throws FuzzFailure when the property breaks: an exception that is not our typed McpLockError, a strict
// parse that disagrees with JSON.parse, an ambiguity accepted, a 5xx or an error body without a code and
// hint. Inputs are plain parts (text or bytes) so a failing one can be saved and replayed as a fixture.

import fc from 'fast-check';
import { generateKeyPair } from '../../adapters/sigstore/keys.ts';
import { parseBundle, verifyBundle } from '../../adapters/sigstore/verify.ts';
import { verifyStatement } from '../../core/attestation/statement.ts';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { Guard } from '../../core/guard/guard.ts';
import { pinnedSurface } from '../../core/guard/pinned-surface.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import {
  checkEntryAgainstManifest,
  emptyLock,
  entryFromManifest,
  formatLock,
  parseLock,
} from '../../core/lockfile/lockfile.ts';
import { parseManifest } from '../../core/manifest/manifest.ts';
import { makeRegistry, publishBody, sign, syntheticManifest, type TestRegistry } from '../registry/helpers.ts';
import { guardSession } from './guard-session.ts';
import { ambiguousDocument, cleanText } from './json-arbitraries.ts';
import { type Json, mutatedDocument } from './mutate.ts';
import { bytesPart, FuzzFailure, type FuzzTarget, partValue, textPart } from './parts.ts';

export { FuzzFailure, type FuzzTarget, type Part, partValue } from './parts.ts';

/** Run `fn`; an exception other than McpLockError is a failure of the property. */
function typedOnly<T>(what: string, fn: () => T): T | McpLockError {
  try {
    return fn();
  } catch (error) {
    if (error instanceof McpLockError) return error;
    throw new FuzzFailure(
      `${what} threw ${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message ?? error}`,
    );
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return a === b;
}

// ── strict JSON ────────────────────────────────────────────────────────────────────────────────

const jsonClean: FuzzTarget = {
  name: 'json-clean',
  arbitrary: cleanText.map((text) => [textPart('doc', text)]),
  check([part]) {
    const text = partValue(part!) as string;
    const strict = typedOnly('parseStrictJson', () => parseStrictJson(text));
    if (strict instanceof McpLockError)
      throw new FuzzFailure(`a clean document was refused: ${strict.code} ${strict.message}`);
    if (!sameJson(strict, JSON.parse(text))) throw new FuzzFailure('strict parsing and JSON.parse disagree');
  },
};

const jsonAmbiguous: FuzzTarget = {
  name: 'json-ambiguous',
  arbitrary: ambiguousDocument.map((a) => [textPart('doc', a.text), textPart('codes', a.codes.join(','))]),
  check([doc, codes]) {
    const result = typedOnly('parseStrictJson', () => parseStrictJson(partValue(doc!) as string));
    const allowed = (partValue(codes!) as string).split(',');
    if (!(result instanceof McpLockError))
      throw new FuzzFailure(`an ambiguous document was accepted (want ${allowed})`);
    if (!allowed.includes(result.code)) throw new FuzzFailure(`refused with ${result.code}, want one of ${allowed}`);
    if (!result.hint) throw new FuzzFailure(`${result.code} without a hint`);
  },
};

/** Anything at all: accepted only when JSON.parse reads the same value; otherwise a JSON_* code. */
const jsonBytes: FuzzTarget = {
  name: 'json-bytes',
  arbitrary: fc
    .oneof(
      cleanText.chain((t) => mutatedDocument(JSON.parse(t) as Json)),
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'binary', maxLength: 64 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    )
    .map((bytes) => [bytesPart('doc', bytes)]),
  check([part]) {
    const bytes = partValue(part!) as Uint8Array;
    const strict = typedOnly('parseStrictJson', () => parseStrictJson(bytes));
    if (strict instanceof McpLockError) {
      if (!strict.code.startsWith('JSON_')) throw new FuzzFailure(`refused with a non-JSON code ${strict.code}`);
      return;
    }
    let loose: unknown;
    try {
      loose = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      throw new FuzzFailure('strict parsing accepted what JSON.parse refuses');
    }
    if (!sameJson(strict, loose)) throw new FuzzFailure('strict parsing and JSON.parse disagree');
  },
};

// ── documents: manifest, lock, bundle ──────────────────────────────────────────────────────────

interface Seeds {
  manifest: McpLockManifest;
  manifestJson: Json;
  lockJson: Json;
  bundleJson: Json;
  publicKeyPem: string;
}

async function makeSeeds(): Promise<Seeds> {
  const manifest = syntheticManifest();
  const key = generateKeyPair();
  const bundle = await sign(manifest, key);
  const lock = emptyLock();
  lock.servers[manifest.server.name] = entryFromManifest(manifest, {
    source: { type: 'registry', registry: 'https://registry.example' },
    signer: { type: 'key', keyId: key.keyId, publicKey: key.publicKeyPem },
    approval: null,
    files: `sha256:${'0'.repeat(64)}`,
  });
  return {
    manifest,
    manifestJson: JSON.parse(JSON.stringify(manifest)) as Json,
    lockJson: JSON.parse(formatLock(lock)) as Json,
    bundleJson: JSON.parse(JSON.stringify(bundle)) as Json,
    publicKeyPem: key.publicKeyPem,
  };
}

function documentTargets(seeds: Seeds): FuzzTarget[] {
  return [
    {
      name: 'manifest',
      arbitrary: mutatedDocument(seeds.manifestJson).map((b) => [bytesPart('doc', b)]),
      check([part]) {
        typedOnly('parseManifest', () => parseManifest(partValue(part!)));
        typedOnly('parseManifest (declared rules)', () => parseManifest(partValue(part!), 'declared'));
      },
    },
    {
      name: 'lock',
      arbitrary: mutatedDocument(seeds.lockJson).map((b) => [bytesPart('doc', b)]),
      check([part]) {
        const lock = typedOnly('parseLock', () => parseLock(partValue(part!)));
        if (lock instanceof McpLockError) return;
        for (const [name, entry] of Object.entries(lock.servers)) {
          typedOnly('checkEntryAgainstManifest', () => checkEntryAgainstManifest(name, entry, seeds.manifest));
        }
      },
    },
    {
      name: 'bundle',
      arbitrary: mutatedDocument(seeds.bundleJson).map((b) => [bytesPart('doc', b)]),
      check([part]) {
        const parsed = typedOnly('parseBundle', () => parseBundle(partValue(part!)));
        if (parsed instanceof McpLockError) return;
        const verified = typedOnly('verifyBundle', () =>
          verifyBundle(parsed.json, { keys: [{ publicKey: seeds.publicKeyPem }] }),
        );
        if (verified instanceof McpLockError) return;
        typedOnly('verifyStatement', () =>
          verifyStatement(verified.payload, verified.payloadType, seeds.manifest, 'publisher'),
        );
      },
    },
  ];
}

// ── the publish route, through inject ──────────────────────────────────────────────────────────

function publishTarget(reg: TestRegistry, seeds: Seeds, bundle: Json): FuzzTarget {
  const seed = JSON.parse(publishBody(seeds.manifestJson, bundle)) as Json;
  return {
    name: 'publish',
    arbitrary: fc
      .tuple(
        mutatedDocument(seed),
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
      )
      .map(([b, type]) => [bytesPart('body', b), textPart('content-type', type)]),
    async check([body, type]) {
      const res = await reg.app.inject({
        method: 'POST',
        url: '/mcp-lock/v1/publish',
        headers: { authorization: `Bearer ${reg.tokens.publisher}`, 'content-type': partValue(type!) as string },
        payload: Buffer.from(partValue(body!) as Uint8Array),
      });
      if (res.statusCode >= 500) throw new FuzzFailure(`publish answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      if (res.statusCode >= 400) {
        const error = (res.json() as { error?: { code?: unknown; hint?: unknown } }).error;
        if (typeof error?.code !== 'string' || typeof error.hint !== 'string') {
          throw new FuzzFailure(`publish error without code and hint: ${res.body.slice(0, 300)}`);
        }
      }
    },
  };
}

// ── any request at all, through inject ─────────────────────────────────────────────────────────

const PATHS = [
  '/v0.1/servers',
  '/v0/servers/{name}/versions',
  '/v0.1/servers/{name}/versions/{version}',
  '/mcp-lock/v1/publish',
  '/mcp-lock/v1/servers/{name}/versions/{version}/approve',
  '/mcp-lock/v1/servers/{name}/versions/{version}/yank',
  '/mcp-lock/v1/servers/{name}/versions/{version}/manifest',
  '/mcp-lock/v1/queue',
  '/mcp-lock/v1/audit',
  '/openapi.json',
  '/ui/',
  '/ui/server',
  '/ui/diff',
  '/ui/assets/{name}',
  '/{name}',
];
const segment = fc.oneof(
  fc.constantFrom('io.github.acme%2Fweather', '1.0.0', 'latest', '%', '%E0%A4%A', '%00', '..%2F..', '%2e%2e', ''),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map(encodeURIComponent),
  fc.integer({ min: 590, max: 1200 }).map((n) => 'a'.repeat(n)),
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'cursor',
          'limit',
          'search',
          'updated_since',
          'version',
          'include_deleted',
          'q',
          'name',
          'from',
          'to',
        ),
        fc.oneof(segment, fc.constantFrom('0', '-1', '1e400', 'true', 'x', '2025-08-07T13:15:04Z')),
      ),
      { maxLength: 3 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
);

function httpTarget(reg: TestRegistry): FuzzTarget {
  return {
    name: 'http',
    arbitrary: fc
      .record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD'),
        path: fc
          .tuple(fc.constantFrom(...PATHS), segment, segment)
          .map(([p, a, b]) => p.replace('{name}', a).replace('{version}', b)),
        query,
        auth: fc.constantFrom('none', 'publisher', 'curator', 'bad'),
        type: fc.constantFrom('', 'application/json', 'text/plain', '/;;', 'application/json; charset=latin1'),
        body: fc.oneof(fc.constant(''), cleanText, fc.string({ maxLength: 40 })),
      })
      .map((r) => [textPart('request', JSON.stringify(r))]),
    async check([part]) {
      const r = JSON.parse(partValue(part!) as string) as Record<string, string>;
      const token = r.auth === 'publisher' ? reg.tokens.publisher : r.auth === 'curator' ? reg.tokens.curator : 'nope';
      const res = await reg.app.inject({
        method: r.method as 'GET',
        url: `${r.path}${r.query}`,
        headers: {
          ...(r.auth === 'none' ? {} : { authorization: `Bearer ${token}` }),
          ...(r.type ? { 'content-type': r.type } : {}),
        },
        ...(r.body && r.method !== 'GET' && r.method !== 'HEAD' ? { payload: r.body } : {}),
      });
      if (res.statusCode >= 500)
        throw new FuzzFailure(`${r.method} ${r.path} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      const isJson = String(res.headers['content-type'] ?? '').startsWith('application/json');
      if (res.statusCode >= 400 && isJson && r.method !== 'HEAD') {
        const body = res.json() as { error?: unknown; code?: unknown; hint?: unknown };
        const e =
          typeof body.error === 'object' && body.error ? (body.error as { code?: unknown; hint?: unknown }) : body;
        if (typeof e.code !== 'string' || typeof e.hint !== 'string') {
          throw new FuzzFailure(`${r.method} ${r.path}: error without code and hint: ${res.body.slice(0, 300)}`);
        }
      }
    },
  };
}

// ── the guard ──────────────────────────────────────────────────────────────────────────────────

function guardTarget(): FuzzTarget {
  const { surface, lines } = guardSession();
  return {
    name: 'guard',
    arbitrary: lines,
    check(parts) {
      for (const onDrift of ['block', 'filter'] as const) {
        const guard = new Guard({ server: 'io.github.fuzz/server', surface: pinnedSurface(surface), onDrift });
        for (const part of parts) {
          const line = partValue(part);
          if (part.tag === 'client') typedOnly('Guard.fromClient', () => guard.fromClient(line));
          else if (part.tag === 'server') typedOnly('Guard.fromServer', () => guard.fromServer(line));
          else typedOnly('Guard.timeout', () => guard.timeout(String(line)));
        }
      }
    },
  };
}

// ── all of them ────────────────────────────────────────────────────────────────────────────────

export interface FuzzTargets {
  targets: FuzzTarget[];
  close(): Promise<void>;
}

/** Build every target (a registry on a fresh data directory for the publish route). */
export async function fuzzTargets(): Promise<FuzzTargets> {
  const seeds = await makeSeeds();
  const reg = await makeRegistry();
  const registered = await sign(seeds.manifest, reg.publisherKey);
  return {
    targets: [
      jsonClean,
      jsonAmbiguous,
      jsonBytes,
      ...documentTargets(seeds),
      publishTarget(reg, seeds, JSON.parse(JSON.stringify(registered)) as Json),
      httpTarget(reg),
      guardTarget(),
    ],
    close: () => reg.close(),
  };
}
