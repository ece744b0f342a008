// The in-toto Statement v1 a Sigstore bundle signs for a manifest. DSSE verification proves who signed
// the payload, not what it is about: the subject digest must be checked against the manifest in hand
// (the role too, so a publisher signature can never pass for a curator approval or the reverse).

import { McpLockError } from '../errors.ts';
import type { McpLockManifest } from '../generated/manifest.ts';
import { type JsonObject, parseStrictJson } from '../json/strict-json.ts';
import { manifestSha256Hex } from '../manifest/manifest.ts';

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export type AttestationRole = 'publisher' | 'approval';

export const PREDICATE_TYPES: Record<AttestationRole, string> = {
  publisher: 'https://schemas.mcp-lock.dev/attestation/publish/v1',
  approval: 'https://schemas.mcp-lock.dev/attestation/approve/v1',
};

export interface ManifestStatement {
  _type: typeof IN_TOTO_STATEMENT_V1;
  subject: [{ name: string; digest: { sha256: string } }];
  predicateType: string;
  predicate: JsonObject;
}

/** The subject name: the server and version the manifest is for. */
export function subjectName(manifest: McpLockManifest): string {
  return `${manifest.server.name}@${manifest.server.version}`;
}

export function buildStatement(
  manifest: McpLockManifest,
  role: AttestationRole,
  predicate: JsonObject = {},
): ManifestStatement {
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: subjectName(manifest), digest: { sha256: manifestSha256Hex(manifest) } }],
    predicateType: PREDICATE_TYPES[role],
    predicate: { server: manifest.server.name, version: manifest.server.version, ...predicate },
  };
}

export function statementBytes(statement: ManifestStatement): Buffer {
  return Buffer.from(JSON.stringify(statement), 'utf8');
}

/**
 * Check a signed payload against the manifest: an in-toto v1 statement with exactly one subject, whose
 * name and sha256 are those of this manifest, with the predicate type of the expected role.
 * Returns the predicate. Throws SUBJECT_MISMATCH (verification failed) or BUNDLE_MALFORMED.
 */
export function verifyStatement(
  payload: Uint8Array,
  payloadType: string,
  manifest: McpLockManifest,
  role: AttestationRole,
): JsonObject {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new McpLockError('BUNDLE_MALFORMED', `the bundle signs a ${payloadType} payload, not an in-toto statement`);
  }
  const value = parseStrictJson(payload, 'signed statement', { maxBytes: 1024 * 1024, maxDepth: 32 });
  const statement = value as unknown as Partial<ManifestStatement> | null;
  if (!statement || typeof statement !== 'object' || statement._type !== IN_TOTO_STATEMENT_V1) {
    throw new McpLockError('BUNDLE_MALFORMED', 'the signed payload is not an in-toto Statement v1');
  }
  if (statement.predicateType !== PREDICATE_TYPES[role]) {
    throw new McpLockError(
      'SUBJECT_MISMATCH',
      `the bundle is not ${role === 'approval' ? 'an approval' : 'a publisher'} attestation (predicate ${String(statement.predicateType)})`,
      {
        hint:
          role === 'approval'
            ? 'An approval must be made by the registry with `approve`.'
            : 'Sign the manifest with `mcp-lock sign`.',
      },
    );
  }
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  const expectedDigest = manifestSha256Hex(manifest);
  const expectedName = subjectName(manifest);
  if (subjects.length !== 1) {
    throw new McpLockError(
      'SUBJECT_MISMATCH',
      `the statement has ${subjects.length} subjects; exactly one is required`,
    );
  }
  const subject = subjects[0]!;
  if (subject.digest?.sha256 !== expectedDigest) {
    throw new McpLockError('SUBJECT_MISMATCH', 'the signature is for another manifest (subject digest differs)', {
      hint: 'The manifest changed after signing, or the bundle belongs to another manifest.',
      data: {
        expected: `sha256:${expectedDigest}`,
        found: subject.digest?.sha256 ? `sha256:${subject.digest.sha256}` : null,
      },
    });
  }
  if (subject.name !== expectedName) {
    throw new McpLockError('SUBJECT_MISMATCH', `the signature names ${String(subject.name)}, not ${expectedName}`);
  }
  const predicate = statement.predicate;
  if (!predicate || typeof predicate !== 'object' || Array.isArray(predicate)) {
    throw new McpLockError('BUNDLE_MALFORMED', 'the statement has no predicate object');
  }
  if (predicate.server !== manifest.server.name || predicate.version !== manifest.server.version) {
    throw new McpLockError('SUBJECT_MISMATCH', 'the statement predicate names another server or version');
  }
  return predicate;
}
