// Local-key signatures end to end at the adapter level: sign a manifest's in-toto statement with ECDSA P-256
// or Ed25519, verify the bundle offline against the public key, then bind it to the manifest in hand.
// Every tampering (payload, signature, manifest, key, role, another manifest) must fail with the right code.

import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  type KeyAlgorithm,
  keyIdOf,
  parsePrivateKey,
  parsePublicKey,
} from '../../../adapters/sigstore/keys.ts';
import { type SerializedBundle, signWithKey } from '../../../adapters/sigstore/sign.ts';
import { verifyBundle } from '../../../adapters/sigstore/verify.ts';
import {
  type AttestationRole,
  buildStatement,
  IN_TOTO_PAYLOAD_TYPE,
  PREDICATE_TYPES,
  statementBytes,
  verifyStatement,
} from '../../../core/attestation/statement.ts';
import { type McpLockManifest, manifestSha256Hex } from '../../../core/manifest/manifest.ts';
import { expectCode } from '../../helpers/expect-code.ts';
import { remoteManifest } from '../../helpers/synthetic.ts';

type Mutable = Record<string, unknown> | unknown[];

const clone = <T>(value: T): T => structuredClone(value);

async function signManifest(manifest: McpLockManifest, key: KeyObject, role: AttestationRole = 'publisher') {
  return signWithKey(statementBytes(buildStatement(manifest, role)), key);
}

/** Verify a bundle the way `verify-manifest` does: signature and signer first, then the subject. */
function verifyFor(
  bundle: unknown,
  manifest: McpLockManifest,
  publicKeyPem: string,
  role: AttestationRole = 'publisher',
) {
  const verified = verifyBundle(bundle, { keys: [{ publicKey: publicKeyPem }] });
  verifyStatement(verified.payload, verified.payloadType, manifest, role);
  return verified;
}

/** Every path to a leaf (string, number, boolean, null, empty container) of a JSON value. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((v, i) => leafPaths(v, [...path, i]));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
}

function changeLeaf(root: unknown, path: (string | number)[]): void {
  const parent = path
    .slice(0, -1)
    .reduce<Mutable>((node, key) => (node as Record<string, Mutable>)[key]!, root as Mutable);
  const key = path[path.length - 1]!;
  const target = parent as Record<string | number, unknown>;
  const old = target[key];
  if (typeof old === 'string') target[key] = `${old}x`;
  else if (typeof old === 'number') target[key] = old + 1;
  else if (typeof old === 'boolean') target[key] = !old;
  else if (old === null) target[key] = '';
  else if (Array.isArray(old)) old.push(null);
  else (old as Record<string, unknown>).added = true;
}

function reverseKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeysDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeysDeep(v)]),
    );
  }
  return value;
}

function withPayload(bundle: SerializedBundle, payload: Buffer): SerializedBundle {
  const copy = clone(bundle);
  copy.dsseEnvelope!.payload = payload.toString('base64');
  return copy;
}

for (const algorithm of ['ecdsa-p256', 'ed25519'] as KeyAlgorithm[]) {
  describe(`local key ${algorithm}`, async () => {
    const pair = generateKeyPair(algorithm);
    const privateKey = parsePrivateKey(pair.privateKeyPem);
    const manifest = remoteManifest('a');
    const bundle = await signManifest(manifest, privateKey);
    const payload = Buffer.from(bundle.dsseEnvelope!.payload, 'base64');
    const signature = Buffer.from(bundle.dsseEnvelope!.signatures[0]!.sig, 'base64');

    it('signs a v0.3 DSSE bundle over the statement, naming the key by its SPKI hash', () => {
      expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(bundle.verificationMaterial.publicKey?.hint).toBe(pair.keyId);
      expect(bundle.verificationMaterial.tlogEntries ?? []).toEqual([]);
      expect(bundle.dsseEnvelope?.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
      expect(bundle.dsseEnvelope?.signatures).toHaveLength(1);
      const statement = JSON.parse(payload.toString('utf8'));
      expect(statement.subject).toEqual([
        { name: 'io.github.acme/weather@1.0.0', digest: { sha256: manifestSha256Hex(manifest) } },
      ]);
      expect(statement.predicateType).toBe(PREDICATE_TYPES.publisher);
    });

    it('round trips: verifies offline against the public key and binds to the manifest', () => {
      const verified = verifyFor(bundle, manifest, pair.publicKeyPem);
      expect(verified.signer).toEqual({
        type: 'key',
        keyId: pair.keyId,
        publicKey: pair.publicKeyPem,
      });
      expect(verified.payload.equals(payload)).toBe(true);
      expect(keyIdOf(parsePublicKey(pair.publicKeyPem))).toBe(pair.keyId);
    });

    it('verifies when the right key is one of several trusted keys', () => {
      const other = generateKeyPair(algorithm);
      const verified = verifyBundle(bundle, {
        keys: [{ publicKey: other.publicKeyPem }, { publicKey: pair.publicKeyPem }],
      });
      expect(verified.signer).toMatchObject({ type: 'key', keyId: pair.keyId });
    });

    it('rejects the payload with any single byte flipped (SIGNATURE_INVALID)', () => {
      for (let i = 0; i < payload.length; i++) {
        const tampered = Buffer.from(payload);
        tampered[i]! ^= 0x01;
        expectCode(
          () => verifyBundle(withPayload(bundle, tampered), { keys: [{ publicKey: pair.publicKeyPem }] }),
          'SIGNATURE_INVALID',
        );
      }
    });

    it('rejects the signature with any single byte flipped, or truncated (SIGNATURE_INVALID)', () => {
      const variants: Buffer[] = [
        signature.subarray(0, signature.length - 1),
        Buffer.concat([signature, Buffer.of(0)]),
      ];
      for (let i = 0; i < signature.length; i++) {
        const tampered = Buffer.from(signature);
        tampered[i]! ^= 0x01;
        variants.push(tampered);
      }
      for (const sig of variants) {
        const copy = clone(bundle);
        copy.dsseEnvelope!.signatures[0]!.sig = sig.toString('base64');
        expectCode(() => verifyBundle(copy, { keys: [{ publicKey: pair.publicKeyPem }] }), 'SIGNATURE_INVALID');
      }
    });

    it('rejects a changed payload type: DSSE signs it too (SIGNATURE_INVALID)', () => {
      const copy = clone(bundle);
      copy.dsseEnvelope!.payloadType = 'application/json';
      expectCode(() => verifyBundle(copy, { keys: [{ publicKey: pair.publicKeyPem }] }), 'SIGNATURE_INVALID');
    });

    it('rejects the signed statement swapped for one about another manifest (SIGNATURE_INVALID)', () => {
      const other = statementBytes(buildStatement(remoteManifest('b'), 'publisher'));
      expectCode(
        () => verifyBundle(withPayload(bundle, other), { keys: [{ publicKey: pair.publicKeyPem }] }),
        'SIGNATURE_INVALID',
      );
    });

    it('rejects any field of the manifest changed after signing (SUBJECT_MISMATCH)', () => {
      const verified = verifyBundle(bundle, { keys: [{ publicKey: pair.publicKeyPem }] });
      const paths = leafPaths(manifest);
      expect(paths.length).toBeGreaterThan(20);
      for (const path of paths) {
        const changed = clone(manifest);
        changeLeaf(changed, path);
        expectCode(
          () => verifyStatement(verified.payload, verified.payloadType, changed, 'publisher'),
          'SUBJECT_MISMATCH',
        );
      }
      const extra = { ...clone(manifest), extra: 1 } as McpLockManifest;
      expectCode(() => verifyStatement(verified.payload, verified.payloadType, extra, 'publisher'), 'SUBJECT_MISMATCH');
      const { generator: _dropped, ...rest } = { ...clone(manifest), generator: 'x' };
      const removed = clone(rest) as McpLockManifest;
      delete (removed.surface as { serverInfo?: unknown }).serverInfo;
      delete (removed.surface as { instructions?: unknown }).instructions;
      expectCode(
        () => verifyStatement(verified.payload, verified.payloadType, removed, 'publisher'),
        'SUBJECT_MISMATCH',
      );
    });

    it('accepts the same manifest with its keys in another order (benign twin: canonical digest)', () => {
      const reordered = reverseKeysDeep(manifest) as McpLockManifest;
      expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(manifest));
      expect(verifyFor(bundle, reordered, pair.publicKeyPem).signer.type).toBe('key');
    });

    it('rejects a bundle made for another manifest (SUBJECT_MISMATCH)', async () => {
      const otherContent = remoteManifest('b');
      const otherVersion = remoteManifest('a', '1.0.1');
      const otherBundle = await signManifest(otherContent, privateKey);
      expectCode(() => verifyFor(otherBundle, manifest, pair.publicKeyPem), 'SUBJECT_MISMATCH');
      expectCode(() => verifyFor(bundle, otherContent, pair.publicKeyPem), 'SUBJECT_MISMATCH');
      expectCode(() => verifyFor(bundle, otherVersion, pair.publicKeyPem), 'SUBJECT_MISMATCH');
      // Benign twin: the other manifest's own bundle does verify for it.
      expect(verifyFor(otherBundle, otherContent, pair.publicKeyPem).signer.type).toBe('key');
    });

    it('rejects a bundle signed by another key (SIGNER_UNTRUSTED), or with no key trusted', () => {
      const stranger = generateKeyPair(algorithm);
      const otherAlgorithm = generateKeyPair(algorithm === 'ed25519' ? 'ecdsa-p256' : 'ed25519');
      expectCode(() => verifyBundle(bundle, { keys: [{ publicKey: stranger.publicKeyPem }] }), 'SIGNER_UNTRUSTED');
      expectCode(
        () => verifyBundle(bundle, { keys: [{ publicKey: otherAlgorithm.publicKeyPem }] }),
        'SIGNER_UNTRUSTED',
      );
      expectCode(() => verifyBundle(bundle, { keys: [] }), 'SIGNER_UNTRUSTED');
      expectCode(() => verifyBundle(bundle, {}), 'SIGNER_UNTRUSTED');
      // A keyless identity policy does not admit a key-signed bundle.
      expectCode(
        () =>
          verifyBundle(bundle, {
            identities: [
              { identity: 'https://github.com/acme', issuer: 'https://token.actions.githubusercontent.com' },
            ],
          }),
        'SIGNER_UNTRUSTED',
      );
    });

    it('rejects a stranger’s signature that claims the trusted key’s hint (SIGNATURE_INVALID)', async () => {
      const stranger = generateKeyPair(algorithm);
      const forged = await signManifest(manifest, parsePrivateKey(stranger.privateKeyPem));
      forged.verificationMaterial.publicKey!.hint = pair.keyId;
      forged.dsseEnvelope!.signatures[0]!.keyid = pair.keyId;
      expectCode(() => verifyBundle(forged, { keys: [{ publicKey: pair.publicKeyPem }] }), 'SIGNATURE_INVALID');
    });

    it('keeps the roles apart: an approval is not a publisher signature, nor the reverse (SUBJECT_MISMATCH)', async () => {
      const approval = await signManifest(manifest, privateKey, 'approval');
      expectCode(() => verifyFor(approval, manifest, pair.publicKeyPem, 'publisher'), 'SUBJECT_MISMATCH');
      expectCode(() => verifyFor(bundle, manifest, pair.publicKeyPem, 'approval'), 'SUBJECT_MISMATCH');
      // Benign twins: each verifies in its own role.
      expect(verifyFor(approval, manifest, pair.publicKeyPem, 'approval').signer.type).toBe('key');
      expect(verifyFor(bundle, manifest, pair.publicKeyPem, 'publisher').signer.type).toBe('key');
    });
  });
}
