// JSON Schemas of the registry API's objects: the official MCP registry shapes (ServerResponse,
// ServerList) with our `_meta` block, and mcp-lock's own endpoints. The registry validates its responses
// and request bodies with them, serves them in its OpenAPI document, and the client checks every response
// against them: one source for all three.

import { MANIFEST_SCHEMA_ID } from '../schema/validate.ts';

export const API_SCHEMA_ID = 'https://schemas.mcp-lock.dev/registry-api/v1.json';

/** `_meta` key of the official registry block, and of ours. */
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
export const REGISTRY_META_KEY = 'dev.mcp-lock/registry';

export const apiRef = (name: string) => ({ $ref: `${API_SCHEMA_ID}#/$defs/${name}` });
const manifestRef = (name?: string) => ({ $ref: name ? `${MANIFEST_SCHEMA_ID}#/$defs/${name}` : MANIFEST_SCHEMA_ID });

const timestamp = { type: 'string', format: 'date-time', maxLength: 64 } as const;
const digest = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } as const;
const keyId = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const status = { type: 'string', enum: ['pending', 'approved', 'rejected', 'deprecated', 'yanked'] } as const;
const pageMetadata = {
  type: 'object',
  additionalProperties: false,
  required: ['count'],
  properties: {
    nextCursor: {
      type: 'string',
      maxLength: 2048,
      description: 'Pass as `cursor` for the next page; absent on the last page.',
    },
    count: { type: 'integer', minimum: 0, description: 'Number of items in this page.' },
  },
} as const;

export const apiSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: API_SCHEMA_ID,
  title: 'mcp-lock registry API objects',
  $defs: {
    ServerDetail: {
      ...manifestRef('ServerDetail'),
      description: 'The official server.json, from the signed manifest.',
    },
    OfficialMeta: {
      type: 'object',
      description: 'The official MCP registry block (io.modelcontextprotocol.registry/official).',
      additionalProperties: false,
      required: ['status', 'publishedAt', 'updatedAt', 'isLatest'],
      properties: {
        status: { type: 'string', enum: ['active', 'deprecated', 'deleted'] },
        statusMessage: { type: 'string', maxLength: 500 },
        publishedAt: timestamp,
        updatedAt: timestamp,
        isLatest: { type: 'boolean' },
      },
    },
    SignerRef: {
      description: 'Who signed the publisher bundle: a registered key, or an exact keyless identity.',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'keyId'],
          properties: { type: { const: 'key' }, keyId, publicKey: { type: 'string', maxLength: 4096 } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'identity', 'issuer'],
          properties: {
            type: { const: 'keyless' },
            identity: { type: 'string', maxLength: 2048 },
            issuer: { type: 'string', maxLength: 2048 },
          },
        },
      ],
    },
    ApprovalRef: {
      type: 'object',
      description: 'The curator approval: the registry key that countersigned, when, and by whom.',
      additionalProperties: false,
      required: ['keyId', 'approvedAt', 'curator'],
      properties: { keyId, approvedAt: timestamp, curator: { type: 'string', maxLength: 200 } },
    },
    RegistryMeta: {
      type: 'object',
      description: 'mcp-lock registry facts (dev.mcp-lock/registry).',
      additionalProperties: false,
      required: ['status', 'statusChangedAt', 'manifestDigest', 'publishedAt', 'updatedAt', 'signer', 'approval'],
      properties: {
        status,
        statusReason: { type: 'string', maxLength: 500 },
        statusChangedAt: timestamp,
        manifestDigest: digest,
        publishedAt: timestamp,
        updatedAt: timestamp,
        signer: apiRef('SignerRef'),
        approval: { oneOf: [{ type: 'null' }, apiRef('ApprovalRef')] },
      },
    },
    ServerResponse: {
      type: 'object',
      description: 'One server version as the official MCP registry API returns it.',
      additionalProperties: false,
      required: ['server', '_meta'],
      properties: {
        server: apiRef('ServerDetail'),
        _meta: {
          type: 'object',
          additionalProperties: false,
          required: [OFFICIAL_META_KEY, REGISTRY_META_KEY],
          properties: { [OFFICIAL_META_KEY]: apiRef('OfficialMeta'), [REGISTRY_META_KEY]: apiRef('RegistryMeta') },
        },
      },
    },
    ServerList: {
      type: 'object',
      additionalProperties: false,
      required: ['servers', 'metadata'],
      properties: {
        servers: { type: 'array', maxItems: 100, items: apiRef('ServerResponse') },
        metadata: pageMetadata,
      },
    },
    VersionInfo: {
      type: 'object',
      description: 'One version with every registry fact, whatever its status (mcp-lock API).',
      additionalProperties: false,
      required: [
        'name',
        'version',
        'status',
        'statusReason',
        'statusChangedAt',
        'manifestDigest',
        'publishedAt',
        'updatedAt',
        'isLatest',
        'signer',
        'approval',
        'server',
        'findings',
      ],
      properties: {
        findings: {
          type: 'array',
          maxItems: 200,
          description: 'Lint findings recorded when the version was published (mcp-lock scan rules).',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['rule', 'severity', 'item', 'path', 'message', 'excerpt'],
            properties: {
              rule: { type: 'string', maxLength: 100 },
              severity: { type: 'string', enum: ['info', 'low', 'medium', 'high', 'critical'] },
              item: { type: 'string', maxLength: 2200 },
              path: { type: 'string', maxLength: 2000 },
              message: { type: 'string', maxLength: 2000 },
              excerpt: { type: 'string', maxLength: 2000 },
            },
          },
        },
        name: manifestRef('ServerName'),
        version: { type: 'string', maxLength: 255 },
        status,
        statusReason: { type: ['string', 'null'], maxLength: 500 },
        statusChangedAt: timestamp,
        manifestDigest: digest,
        publishedAt: timestamp,
        updatedAt: timestamp,
        isLatest: { type: 'boolean' },
        signer: apiRef('SignerRef'),
        approval: { oneOf: [{ type: 'null' }, apiRef('ApprovalRef')] },
        server: apiRef('ServerDetail'),
      },
    },
    VersionList: {
      type: 'object',
      additionalProperties: false,
      required: ['versions', 'metadata'],
      properties: { versions: { type: 'array', maxItems: 1000, items: apiRef('VersionInfo') }, metadata: pageMetadata },
    },
    PublishResult: {
      type: 'object',
      additionalProperties: false,
      required: ['created', 'version'],
      properties: {
        created: { type: 'boolean', description: 'false when an identical manifest was already published' },
        version: apiRef('VersionInfo'),
      },
    },
    PublishBody: {
      type: 'object',
      description:
        'A manifest and its publisher Sigstore bundle. Read as raw bytes and parsed strictly (duplicate keys, ' +
        '__proto__, lone surrogates and inexact numbers are refused); nothing is defaulted, coerced or removed.',
      additionalProperties: false,
      required: ['manifest', 'bundle'],
      properties: { manifest: manifestRef(), bundle: { type: 'object', description: 'Sigstore bundle v0.3 (DSSE)' } },
    },
    CurationBody: {
      type: 'object',
      additionalProperties: false,
      properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
    },
    QueueItem: {
      type: 'object',
      additionalProperties: false,
      required: ['version', 'previousApproved'],
      properties: {
        version: apiRef('VersionInfo'),
        previousApproved: {
          description: 'The newest approved version of the same server, to diff against.',
          oneOf: [{ type: 'null' }, apiRef('VersionInfo')],
        },
      },
    },
    QueueResponse: {
      type: 'object',
      additionalProperties: false,
      required: ['items', 'metadata'],
      properties: { items: { type: 'array', maxItems: 100, items: apiRef('QueueItem') }, metadata: pageMetadata },
    },
    PublicKey: {
      type: 'object',
      additionalProperties: false,
      required: ['keyId', 'publicKey'],
      properties: { keyId, publicKey: { type: 'string', maxLength: 4096, description: 'SPKI PEM' } },
    },
    NamespaceSigner: {
      description: 'A key or exact keyless identity allowed to sign for a namespace.',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'namespace', 'type', 'keyId', 'publicKey', 'label', 'addedAt'],
          properties: {
            id: { type: 'string' },
            namespace: { type: 'string' },
            type: { const: 'key' },
            keyId,
            publicKey: { type: 'string', maxLength: 4096, description: 'SPKI PEM' },
            label: { type: 'string' },
            addedAt: timestamp,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'namespace', 'type', 'identity', 'issuer', 'label', 'addedAt'],
          properties: {
            id: { type: 'string' },
            namespace: { type: 'string' },
            type: { const: 'keyless' },
            identity: { type: 'string', maxLength: 2048 },
            issuer: { type: 'string', maxLength: 2048 },
            label: { type: 'string' },
            addedAt: timestamp,
          },
        },
      ],
    },
    SignersResponse: {
      type: 'object',
      additionalProperties: false,
      required: ['namespace', 'signers'],
      properties: {
        namespace: { type: 'string' },
        signers: { type: 'array', maxItems: 1000, items: apiRef('NamespaceSigner') },
      },
    },
    KeysResponse: {
      type: 'object',
      additionalProperties: false,
      required: ['keys'],
      properties: { keys: { type: 'array', maxItems: 16, items: apiRef('PublicKey') } },
    },
    InfoResponse: {
      type: 'object',
      additionalProperties: false,
      required: ['registry', 'apiVersion', 'keys'],
      properties: {
        registry: { type: 'string', maxLength: 2048, description: 'The id approvals name (the public URL).' },
        apiVersion: { type: 'string' },
        keys: { type: 'array', maxItems: 16, items: apiRef('PublicKey') },
      },
    },
    AuditEvent: {
      type: 'object',
      additionalProperties: false,
      required: ['seq', 'at', 'action', 'actor'],
      properties: {
        seq: { type: 'integer', minimum: 1 },
        at: timestamp,
        action: { type: 'string', maxLength: 64 },
        actor: {
          type: 'object',
          additionalProperties: false,
          required: ['type'],
          properties: {
            type: { type: 'string', enum: ['token', 'local'] },
            tokenId: { type: 'string' },
            role: { type: 'string' },
            label: { type: 'string' },
            tool: { type: 'string' },
          },
        },
        name: { type: 'string' },
        version: { type: 'string' },
        namespace: { type: 'string' },
        digest: { type: 'string' },
        reason: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
    AuditResponse: {
      type: 'object',
      additionalProperties: false,
      required: ['events', 'metadata'],
      properties: { events: { type: 'array', maxItems: 1000, items: apiRef('AuditEvent') }, metadata: pageMetadata },
    },
    SurfaceChange: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'key', 'type'],
      properties: {
        kind: {
          type: 'string',
          enum: ['instructions', 'tools', 'prompts', 'resources', 'resourceTemplates', 'server', 'package'],
        },
        key: { type: 'string' },
        type: { type: 'string', enum: ['added', 'removed', 'changed'] },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'type'],
            properties: {
              path: { type: 'string' },
              type: { type: 'string', enum: ['added', 'removed', 'changed'] },
              before: {},
              after: {},
            },
          },
        },
      },
    },
    DiffResponse: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'from', 'to', 'changes'],
      properties: {
        name: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        changes: { type: 'array', items: apiRef('SurfaceChange') },
      },
    },
    ErrorBody: {
      type: 'object',
      description: 'Every mcp-lock API error.',
      additionalProperties: false,
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'message', 'hint'],
          properties: {
            code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
            message: { type: 'string' },
            hint: { type: 'string', description: 'What to do about it; every error carries one.' },
            data: { type: 'object', additionalProperties: true },
          },
        },
      },
    },
    OfficialErrorBody: {
      type: 'object',
      description: 'Errors on the official API routes: the official `{error: string}` plus our code and hint.',
      additionalProperties: false,
      required: ['error', 'code', 'hint'],
      properties: {
        error: { type: 'string' },
        code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
        hint: { type: 'string', description: 'What to do about it; every error carries one.' },
      },
    },
  },
} as const;

export type ApiDefName = keyof typeof apiSchema.$defs;
