// Verify Sigstore bundles fully offline with @sigstore/verify: a local-key bundle against pinned public
// keys, a keyless bundle against a pinned trusted root (Fulcio CA, CT log, Rekor, TSA) plus an exact
// identity and issuer. sigstore treats identities as regular expressions; we compare strings exactly.

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Bundle, bundleFromJSON, isBundleWithDsseEnvelope } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { type TrustMaterial, toSignedEntity, toTrustMaterial, VerificationError, Verifier } from '@sigstore/verify';
import { McpLockError } from '../../core/errors.ts';
import { type JsonValue, parseStrictJson } from '../../core/json/strict-json.ts';
import { keyIdOf, parsePublicKey } from './keys.ts';

export type { SerializedBundle } from '@sigstore/bundle';

export const BUNDLE_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 16 };

export type VerifiedSigner =
  | { type: 'key'; keyId: string; publicKey: string }
  | { type: 'keyless'; identity: string; issuer: string };

export interface VerifiedBundle {
  signer: VerifiedSigner;
  payload: Buffer;
  payloadType: string;
}

export interface TrustedKey {
  keyId?: string;
  publicKey: string; // SPKI PEM
}

export interface KeylessIdentity {
  identity: string;
  issuer: string;
}

export interface TrustPolicy {
  /** Public keys any of which may have signed. */
  keys?: readonly TrustedKey[];
  /** Exact keyless identities any of which may have signed. */
  identities?: readonly KeylessIdentity[];
  /** Trusted root JSON for keyless bundles; defaults to the pinned Sigstore public-good root. */
  trustedRoot?: unknown;
}

/** Read a bundle from bytes: strict JSON, then the Sigstore bundle format. */
export function parseBundle(bytes: string | Uint8Array, what = 'bundle'): { json: JsonValue; bundle: Bundle } {
  let json: JsonValue;
  try {
    json = parseStrictJson(bytes, what, BUNDLE_LIMITS);
  } catch (error) {
    // One code for "this is not a bundle we can read", whatever the JSON-level reason; keep that reason.
    if (!(error instanceof McpLockError)) throw error;
    throw new McpLockError('BUNDLE_MALFORMED', error.message, {
      hint: error.hint,
      data: { ...error.data, jsonCode: error.code },
      cause: error,
    });
  }
  return { json, bundle: toBundle(json, what) };
}

export function toBundle(json: unknown, what = 'bundle'): Bundle {
  try {
    return bundleFromJSON(json);
  } catch (error) {
    const fields = (error as { fields?: string[] }).fields;
    throw new McpLockError(
      'BUNDLE_MALFORMED',
      `${what} is not a valid Sigstore bundle${fields ? ` (${fields.join(', ')})` : ''}`,
      {
        hint: 'Pass the .sigstore.json file written by `mcp-lock sign`.',
        cause: error,
      },
    );
  }
}

let publicGoodRoot: unknown;
/** The Sigstore public-good trusted root pinned with this release of mcp-lock. */
export function publicGoodTrustedRoot(): unknown {
  publicGoodRoot ??= JSON.parse(readFileSync(new URL('./public-good-trusted-root.json', import.meta.url), 'utf8'));
  return publicGoodRoot;
}

const TRUSTED_ROOT_HINT = 'Pass a trusted_root.json (mediaType application/vnd.dev.sigstore.trustedroot+json).';
const TRUSTED_ROOT_LISTS = ['tlogs', 'certificateAuthorities', 'ctlogs', 'timestampAuthorities'];

export function trustMaterialFromRoot(rootJson: unknown): TrustMaterial {
  // TrustedRoot.fromJSON accepts anything (`{}`, a string) as an empty root; without this check a wrong
  // --trusted-root file would surface as "signature verification failed" instead of bad input.
  const root = rootJson as Record<string, unknown> | null;
  const shapeOk =
    typeof root === 'object' &&
    root !== null &&
    !Array.isArray(root) &&
    typeof root.mediaType === 'string' &&
    root.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot') &&
    TRUSTED_ROOT_LISTS.every((list) => root[list] === undefined || Array.isArray(root[list]));
  if (!shapeOk) {
    throw new McpLockError('BUNDLE_MALFORMED', 'the trusted root is not a Sigstore trusted_root.json', {
      hint: TRUSTED_ROOT_HINT,
    });
  }
  try {
    return toTrustMaterial(TrustedRoot.fromJSON(rootJson));
  } catch (error) {
    throw new McpLockError('BUNDLE_MALFORMED', 'the trusted root is not a valid Sigstore trusted_root.json', {
      hint: TRUSTED_ROOT_HINT,
      cause: error,
    });
  }
}

// Parsing a PEM and hashing its SPKI is the costly part of verifying many bundles signed by one key.
const parsedKeys = new Map<string, { key: KeyObject; keyId: string }>();
function parsedKey(pem: string): { key: KeyObject; keyId: string } {
  let entry = parsedKeys.get(pem);
  if (!entry) {
    const key = parsePublicKey(pem);
    entry = { key, keyId: keyIdOf(key) };
    if (parsedKeys.size < 1000) parsedKeys.set(pem, entry);
  }
  return entry;
}

function keyTrustMaterial(keys: readonly TrustedKey[]): TrustMaterial {
  const byId = new Map<string, KeyObject>();
  for (const k of keys) {
    const { key, keyId } = parsedKey(k.publicKey);
    byId.set(keyId, key);
  }
  return {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: (hint: string) => {
      const key = byId.get(hint);
      if (!key) {
        throw new McpLockError(
          'SIGNER_UNTRUSTED',
          `the bundle was signed by key ${hint.slice(0, 16)}…, which is not trusted here`,
          {
            hint: 'Verify with the publisher’s public key, or check that this is the signer you expect.',
            data: { keyId: hint },
          },
        );
      }
      return { publicKey: key, validFor: () => true };
    },
  };
}

function mapVerifyError(error: unknown): McpLockError {
  if (error instanceof McpLockError) return error;
  if (error instanceof VerificationError) {
    const code = error.code === 'PUBLIC_KEY_ERROR' ? 'SIGNER_UNTRUSTED' : 'SIGNATURE_INVALID';
    return new McpLockError(code, `signature verification failed: ${error.message}`, {
      hint: 'The bundle does not verify: it was altered, or signed by another key or identity.',
      data: { sigstoreCode: error.code },
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new McpLockError('BUNDLE_MALFORMED', `the bundle could not be read: ${message}`, { cause: error });
}

/**
 * Verify a DSSE bundle offline and return who signed it and the signed payload. Does not look at the
 * payload: the caller must check the statement's subject against the document it holds.
 */
export function verifyBundle(bundleJson: unknown, policy: TrustPolicy): VerifiedBundle {
  const bundle = toBundle(bundleJson);
  if (!isBundleWithDsseEnvelope(bundle)) {
    throw new McpLockError('BUNDLE_MALFORMED', 'the bundle has no DSSE envelope', {
      hint: 'mcp-lock signs in-toto statements in DSSE envelopes; message-signature bundles are not accepted.',
    });
  }
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType === '') {
    // bundleFromJSON turns a missing payloadType into ''; that is a broken bundle, not a bad signature.
    throw new McpLockError('BUNDLE_MALFORMED', 'the DSSE envelope has no payloadType');
  }
  if (envelope.signatures.length !== 1) {
    throw new McpLockError(
      'BUNDLE_MALFORMED',
      `the DSSE envelope has ${envelope.signatures.length} signatures; exactly one is required`,
    );
  }
  const material = bundle.verificationMaterial.content;
  try {
    if (material.$case === 'publicKey') {
      if (!policy.keys || policy.keys.length === 0) {
        throw new McpLockError('SIGNER_UNTRUSTED', 'the bundle is signed with a key, but no public key is trusted', {
          hint: 'Pass --key <public.pem>.',
        });
      }
      const verifier = new Verifier(keyTrustMaterial(policy.keys), {
        tlogThreshold: 0,
        ctlogThreshold: 0,
        timestampThreshold: 0,
      });
      verifier.verify(toSignedEntity(bundle));
      // The verifier found the key by the bundle's hint, which is its key id: report that trusted key.
      const keyId = material.publicKey.hint;
      const trusted = policy.keys.find((k) => parsedKey(k.publicKey).keyId === keyId)!;
      const publicKey = parsedKey(trusted.publicKey).key.export({ type: 'spki', format: 'pem' }).toString();
      return {
        signer: { type: 'key', keyId, publicKey },
        payload: envelope.payload,
        payloadType: envelope.payloadType,
      };
    }
    if (!policy.identities || policy.identities.length === 0) {
      throw new McpLockError('SIGNER_UNTRUSTED', 'the bundle is signed keyless, but no identity is trusted', {
        hint: 'Pass --identity <exact identity> and --issuer <exact issuer URL>.',
      });
    }
    const verifier = new Verifier(trustMaterialFromRoot(policy.trustedRoot ?? publicGoodTrustedRoot()));
    const signer = verifier.verify(toSignedEntity(bundle));
    const identity = signer.identity?.subjectAlternativeName ?? '';
    const issuer = signer.identity?.extensions?.issuer ?? '';
    const match = policy.identities.find((p) => p.identity === identity && p.issuer === issuer);
    if (!match) {
      throw new McpLockError(
        'SIGNER_UNTRUSTED',
        `signed by ${identity} (issuer ${issuer}), which is not a trusted identity`,
        {
          hint: 'Identities and issuers are compared exactly; check --identity and --issuer.',
          data: { identity, issuer },
        },
      );
    }
    return {
      signer: { type: 'keyless', identity, issuer },
      payload: envelope.payload,
      payloadType: envelope.payloadType,
    };
  } catch (error) {
    throw mapVerifyError(error);
  }
}

/** Who signed a bundle, read without verifying (for display and trust-on-first-use prompts). */
export function claimedSigner(bundleJson: unknown): { keyId?: string; certificate?: true } {
  const bundle = toBundle(bundleJson);
  const material = bundle.verificationMaterial.content;
  if (material.$case === 'publicKey') return { keyId: material.publicKey.hint };
  return { certificate: true };
}
