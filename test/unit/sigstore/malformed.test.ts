// Bundles that are not what mcp-lock signs are refused as BUNDLE_MALFORMED (bad input, exit 2) before any
// signature is looked at: not JSON, ambiguous JSON, missing parts, message signatures, several signatures.
// Statements that are not in-toto manifest statements, and broken trusted roots, likewise.

import { createHash, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, parsePrivateKey } from '../../../adapters/sigstore/keys.ts';
import { signWithKey } from '../../../adapters/sigstore/sign.ts';
import { parseBundle, verifyBundle } from '../../../adapters/sigstore/verify.ts';
import {
  buildStatement,
  IN_TOTO_PAYLOAD_TYPE,
  statementBytes,
  verifyStatement,
} from '../../../core/attestation/statement.ts';
import { errorCategory } from '../../../core/errors.ts';
import { expectCode } from '../../helpers/expect-code.ts';
import { remoteManifest } from '../../helpers/synthetic.ts';

const pair = generateKeyPair('ecdsa-p256');
const privateKey = parsePrivateKey(pair.privateKeyPem);
const keys = [{ publicKey: pair.publicKeyPem }];
const manifest = remoteManifest('a');
const good = await signWithKey(statementBytes(buildStatement(manifest, 'publisher')), privateKey);
const goodText = JSON.stringify(good);

/** A copy of the good bundle with the value at `path` replaced, or removed when `value` is omitted. */
function edit(path: (string | number)[], ...value: unknown[]): unknown {
  const copy = structuredClone(good) as unknown as Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce((node, key) => node[key] as Record<string | number, unknown>, copy);
  const last = path[path.length - 1]!;
  if (value.length === 0) delete parent[last];
  else parent[last] = value[0];
  return copy;
}

describe('malformed bundles', () => {
  it('benign twin: the well-formed bundle parses and verifies, whitespace and key order do not matter', () => {
    expect(verifyBundle(parseBundle(goodText).json, { keys }).signer.type).toBe('key');
    const pretty = JSON.stringify(JSON.parse(goodText), null, 2);
    expect(verifyBundle(parseBundle(pretty).json, { keys }).signer.type).toBe('key');
    const reordered = `{"dsseEnvelope":${JSON.stringify(good.dsseEnvelope)},"verificationMaterial":${JSON.stringify(good.verificationMaterial)},"mediaType":"${good.mediaType}"}`;
    expect(verifyBundle(parseBundle(reordered).json, { keys }).signer.type).toBe('key');
  });

  it('refuses bytes that are not JSON, or ambiguous JSON', () => {
    const inputs = [
      'not json',
      '',
      '{',
      `${goodText}garbage`,
      Buffer.from([0xff, 0xfe, 0x00]),
      `\ufeff${goodText}`,
      // duplicate keys: which mediaType or payload wins depends on the parser
      goodText.replace('{"mediaType":', '{"mediaType":"x","mediaType":'),
      goodText.replace('"payloadType":', '"payloadType":"text/plain","payloadType":'),
      goodText.replace('{"mediaType":', '{"__proto__":{},"mediaType":'),
    ];
    for (const input of inputs) {
      const error = expectCode(() => parseBundle(input), 'BUNDLE_MALFORMED');
      expect(error.category).toBe('usage');
    }
  });

  it('refuses JSON that is not a Sigstore bundle or lacks a required part', () => {
    const docs: unknown[] = [
      null,
      42,
      'bundle',
      [],
      {},
      edit(['mediaType']),
      edit(['mediaType'], 'application/json'),
      edit(['verificationMaterial']),
      edit(['verificationMaterial', 'publicKey']),
      edit(['dsseEnvelope']),
      edit(['dsseEnvelope', 'payload']),
      edit(['dsseEnvelope', 'payloadType']),
      edit(['dsseEnvelope', 'signatures']),
      edit(['dsseEnvelope', 'signatures'], []),
      edit(['dsseEnvelope', 'signatures', 0, 'sig'], ''),
      edit(['dsseEnvelope', 'signatures', 0, 'sig']),
    ];
    for (const doc of docs) {
      expectCode(() => verifyBundle(doc, { keys }), 'BUNDLE_MALFORMED');
      expectCode(() => verifyBundle(parseBundle(JSON.stringify(doc)).json, { keys }), 'BUNDLE_MALFORMED');
    }
  });

  it('refuses a message-signature bundle, even one with a valid signature', () => {
    const blob = Buffer.from(statementBytes(buildStatement(manifest, 'publisher')));
    const digest = createHash('sha256').update(blob).digest();
    const signature = sign('sha256', blob, privateKey);
    const message = bundleToJSON(
      toMessageSignatureBundle({ digest, signature, keyHint: pair.keyId, certificateChain: false }),
    );
    expect(message.messageSignature).toBeDefined();
    const error = expectCode(() => verifyBundle(message, { keys }), 'BUNDLE_MALFORMED');
    expect(error.message).toMatch(/DSSE/);
  });

  it('refuses a DSSE envelope with two signatures, even if both are valid', async () => {
    const second = await signWithKey(statementBytes(buildStatement(manifest, 'publisher')), privateKey);
    const two = edit(
      ['dsseEnvelope', 'signatures'],
      [good.dsseEnvelope!.signatures[0], second.dsseEnvelope!.signatures[0]],
    );
    expectCode(() => verifyBundle(two, { keys }), 'BUNDLE_MALFORMED');
    expectCode(() => parseBundle(JSON.stringify(two)), 'BUNDLE_MALFORMED');
  });

  it('refuses a bundle over the size cap before parsing it', () => {
    const huge = `{"mediaType":"${'x'.repeat(1024 * 1024)}"}`;
    expect(errorCategory(expectCode(() => parseBundle(huge), 'BUNDLE_MALFORMED').code)).toBe('usage');
  });

  it('refuses a trusted root that is not a trusted_root.json', () => {
    const keyless = JSON.parse(
      readFileSync(new URL('../../fixtures/sigstore-public-good/bundleV03-dsse.sigstore', import.meta.url), 'utf8'),
    );
    const identities = [{ identity: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' }];
    const root = JSON.parse(
      readFileSync(
        new URL('../../fixtures/sigstore-public-good/public-good-trusted_root.json', import.meta.url),
        'utf8',
      ),
    );
    // Benign twin: the real root is accepted.
    expect(verifyBundle(keyless, { identities, trustedRoot: root }).signer.type).toBe('keyless');
    for (const trustedRoot of [
      {},
      'x',
      [],
      { mediaType: 'application/json' },
      { tlogs: [] },
      { ...root, tlogs: 'x' },
    ]) {
      expectCode(() => verifyBundle(keyless, { identities, trustedRoot }), 'BUNDLE_MALFORMED');
    }
  });
});

describe('signed payloads that are not manifest statements', () => {
  it('refuses a payload type other than in-toto (BUNDLE_MALFORMED)', () => {
    const payload = statementBytes(buildStatement(manifest, 'publisher'));
    expectCode(() => verifyStatement(payload, 'application/json', manifest, 'publisher'), 'BUNDLE_MALFORMED');
    expect(verifyStatement(payload, IN_TOTO_PAYLOAD_TYPE, manifest, 'publisher')).toBeTruthy();
  });

  it('refuses a validly signed payload that is not an in-toto Statement v1', async () => {
    for (const text of ['{"hello":"world"}', '{"_type":"https://in-toto.io/Statement/v0.1","subject":[]}']) {
      const bundle = await signWithKey(Buffer.from(text), privateKey);
      const verified = verifyBundle(bundle, { keys });
      expectCode(
        () => verifyStatement(verified.payload, verified.payloadType, manifest, 'publisher'),
        'BUNDLE_MALFORMED',
      );
    }
  });

  it('refuses a statement with two subjects, even if one is this manifest (SUBJECT_MISMATCH)', async () => {
    const statement = buildStatement(manifest, 'publisher');
    const other = buildStatement(remoteManifest('b'), 'publisher');
    const both = { ...statement, subject: [statement.subject[0], other.subject[0]] };
    const bundle = await signWithKey(Buffer.from(JSON.stringify(both)), privateKey);
    const verified = verifyBundle(bundle, { keys });
    expectCode(
      () => verifyStatement(verified.payload, verified.payloadType, manifest, 'publisher'),
      'SUBJECT_MISMATCH',
    );
  });
});
