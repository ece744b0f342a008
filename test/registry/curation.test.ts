// Curation through inject: approve (with a countersignature that verifies offline against the registry
// key), reject, deprecate, yank, what consumers see after each, who may do it, the review queue and the
// audit log.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyBundle } from '../../adapters/sigstore/verify.ts';
import { verifyStatement } from '../../core/attestation/statement.ts';
import { canonicalDigest, sha256Hex } from '../../core/canonical/digest.ts';
import { parseManifest } from '../../core/manifest/manifest.ts';
import { expectCode } from '../helpers/expect-code.ts';
import {
  type AuditEntry,
  bearer,
  curate,
  enc,
  type Listed,
  makeRegistry,
  type Named,
  publish,
  syntheticManifest,
  type TestRegistry,
  weatherTools,
} from './helpers.ts';

let reg: TestRegistry;
const NAME = 'io.github.acme/weather';
const path = (version: string, rest = '') => `/mcp-lock/v1/servers/${enc(NAME)}/versions/${enc(version)}${rest}`;

beforeAll(async () => {
  reg = await makeRegistry();
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '2.0.0']) {
    const res = await publish(reg, syntheticManifest({ name: NAME, version, tools: weatherTools(` v${version}`) }));
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await reg.close();
});

describe('approve', () => {
  test('approving countersigns the exact manifest digest with the registry key, verifiable offline', async () => {
    const res = await curate(reg, NAME, '1.0.0', 'approve');
    expect(res.statusCode, res.body).toBe(200);
    const info = res.json();
    expect(info).toMatchObject({ status: 'approved', isLatest: true, statusReason: null });
    expect(info.approval).toMatchObject({ keyId: reg.approvalKey.keyId, curator: 'alice' });

    const keys = (await reg.app.inject({ url: '/mcp-lock/v1/keys' })).json().keys;
    expect(keys).toEqual([{ keyId: reg.approvalKey.keyId, publicKey: reg.approvalKey.publicKeyPem }]);
    const manifestBytes = (await reg.app.inject({ url: path('1.0.0', '/manifest') })).rawPayload;
    expect(`sha256:${sha256Hex(manifestBytes)}`).toBe(info.manifestDigest);
    const manifest = parseManifest(manifestBytes);
    const bundle = (await reg.app.inject({ url: path('1.0.0', '/bundles/approval') })).json();

    const verified = verifyBundle(bundle, { keys });
    expect(verified.signer).toMatchObject({ type: 'key', keyId: reg.approvalKey.keyId });
    const predicate = verifyStatement(verified.payload, verified.payloadType, manifest, 'approval');
    expect(predicate).toMatchObject({
      server: NAME,
      version: '1.0.0',
      registry: 'http://registry.test',
      curator: 'alice',
    });
    expect(predicate.approvedAt).toBe(info.approval.approvedAt);
    // The approval is not a publisher signature, and it binds only this manifest.
    expectCode(
      () => verifyStatement(verified.payload, verified.payloadType, manifest, 'publisher'),
      'SUBJECT_MISMATCH',
    );
    const other = syntheticManifest({ name: NAME, version: '1.1.0', tools: weatherTools(' v1.1.0') });
    expectCode(() => verifyStatement(verified.payload, verified.payloadType, other, 'approval'), 'SUBJECT_MISMATCH');
    // And the publisher bundle is still served unchanged.
    const publisher = (await reg.app.inject({ url: path('1.0.0', '/bundles/publisher') })).json();
    const p = verifyBundle(publisher, { keys: [{ publicKey: reg.publisherKey.publicKeyPem }] });
    verifyStatement(p.payload, p.payloadType, manifest, 'publisher');
  });

  test('consumers now see the version through /v0.1 and /v0, with both _meta blocks', async () => {
    for (const prefix of ['/v0.1', '/v0']) {
      const res = await reg.app.inject({ url: `${prefix}/servers/${enc(NAME)}/versions/latest` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.server.version).toBe('1.0.0');
      expect(body._meta['io.modelcontextprotocol.registry/official']).toMatchObject({
        status: 'active',
        isLatest: true,
      });
      expect(body._meta['dev.mcp-lock/registry']).toMatchObject({
        status: 'approved',
        manifestDigest: canonicalDigest(
          syntheticManifest({ name: NAME, version: '1.0.0', tools: weatherTools(' v1.0.0') }),
        ),
        approval: { keyId: reg.approvalKey.keyId, curator: 'alice' },
      });
    }
  });

  test('approving again changes nothing; an unknown version is 404', async () => {
    const before = await reg.store.readAudit({ limit: 1000 });
    const again = await curate(reg, NAME, '1.0.0', 'approve');
    expect(again.statusCode).toBe(200);
    expect((await reg.store.readAudit({ limit: 1000 })).length).toBe(before.length);
    const missing = await curate(reg, NAME, '9.9.9', 'approve');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  test('a newer approved version becomes latest; the older one flips isLatest and its updatedAt moves', async () => {
    const before = (await reg.app.inject({ url: path('1.0.0') })).json();
    expect((await curate(reg, NAME, '1.1.0', 'approve')).statusCode).toBe(200);
    const older = (await reg.app.inject({ url: path('1.0.0') })).json();
    expect(older.isLatest).toBe(false);
    expect(older.updatedAt > before.updatedAt).toBe(true);
    const latest = (await reg.app.inject({ url: `/v0.1/servers/${enc(NAME)}/versions/latest` })).json();
    expect(latest.server.version).toBe('1.1.0');
  });
});

describe('reject, deprecate, yank', () => {
  test('reject needs a reason, applies to pending versions only, and is final', async () => {
    const noReason = await curate(reg, NAME, '1.2.0', 'reject');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('USAGE');
    const controls = await curate(reg, NAME, '1.2.0', 'reject', { reason: 'bad\u001b[31m' });
    expect(controls.statusCode).toBe(400);
    const res = await curate(reg, NAME, '1.2.0', 'reject', { reason: 'description asks for ~/.ssh' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', statusReason: 'description asks for ~/.ssh' });
    expect((await curate(reg, NAME, '1.2.0', 'approve')).statusCode).toBe(409);
    expect((await curate(reg, NAME, '1.1.0', 'reject', { reason: 'too late' })).statusCode).toBe(409);
    // Consumers never see it.
    expect((await reg.app.inject({ url: `/v0.1/servers/${enc(NAME)}/versions/1.2.0` })).statusCode).toBe(404);
    expect((await reg.app.inject({ url: path('1.2.0', '/manifest') })).statusCode).toBe(404);
  });

  test('deprecate keeps the version listed with the official deprecated status and message', async () => {
    const res = await curate(reg, NAME, '1.0.0', 'deprecate', { reason: 'use 1.1.0' });
    expect(res.statusCode).toBe(200);
    const official = (await reg.app.inject({ url: `/v0.1/servers/${enc(NAME)}/versions/1.0.0` })).json();
    expect(official._meta['io.modelcontextprotocol.registry/official']).toMatchObject({
      status: 'deprecated',
      statusMessage: 'use 1.1.0',
    });
    const listed = (await reg.app.inject({ url: '/v0.1/servers' })).json().servers.map((s: Listed) => s.server.version);
    expect(listed).toContain('1.0.0');
    // Deprecating a pending version is not a thing.
    expect((await curate(reg, NAME, '2.0.0', 'deprecate', { reason: 'x' })).statusCode).toBe(409);
  });

  test('yank hides the version from listings, keeps it readable as deleted, and moves latest', async () => {
    const res = await curate(reg, NAME, '1.1.0', 'yank', { reason: 'compromised maintainer account' });
    expect(res.statusCode).toBe(200);
    const list = (await reg.app.inject({ url: '/v0.1/servers' })).json();
    expect(list.servers.map((s: Listed) => s.server.version)).toEqual(['1.0.0']);
    const withDeleted = (await reg.app.inject({ url: '/v0.1/servers?include_deleted=true' })).json();
    expect(withDeleted.servers.map((s: Listed) => s.server.version).sort()).toEqual(['1.0.0', '1.1.0']);
    const direct = (await reg.app.inject({ url: `/v0.1/servers/${enc(NAME)}/versions/1.1.0` })).json();
    expect(direct._meta['io.modelcontextprotocol.registry/official']).toMatchObject({
      status: 'deleted',
      statusMessage: 'compromised maintainer account',
      isLatest: false,
    });
    expect(direct._meta['dev.mcp-lock/registry'].status).toBe('yanked');
    // Only the deprecated 1.0.0 is left, so it is latest again.
    const latest = (await reg.app.inject({ url: `/v0/servers/${enc(NAME)}/versions/latest` })).json();
    expect(latest.server.version).toBe('1.0.0');
    expect((await curate(reg, NAME, '1.1.0', 'approve')).statusCode).toBe(409);
  });
});

describe('who may curate', () => {
  test('no token 401, a publisher 403, a curator of another namespace 403, an admin may', async () => {
    const anonymous = await reg.app.inject({ method: 'POST', url: path('2.0.0', '/approve') });
    expect(anonymous.statusCode).toBe(401);
    expect((await curate(reg, NAME, '2.0.0', 'approve', { token: reg.tokens.publisher })).statusCode).toBe(403);
    const other = await curate(reg, NAME, '2.0.0', 'approve', { token: reg.tokens.otherCurator });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
    const wrongBody = await reg.app.inject({
      method: 'POST',
      url: path('2.0.0', '/approve'),
      headers: { 'content-type': 'application/json', ...bearer(reg.tokens.curator) },
      payload: '{"reason":"ok","extra":true}',
    });
    expect(wrongBody.statusCode).toBe(400);
    expect(wrongBody.json().error.code).toBe('SCHEMA_INVALID');
    const dup = await reg.app.inject({
      method: 'POST',
      url: path('2.0.0', '/approve'),
      headers: { 'content-type': 'application/json', ...bearer(reg.tokens.curator) },
      payload: '{"reason":"a","reason":"b"}',
    });
    expect(dup.json().error.code).toBe('JSON_DUPLICATE_KEY');
    expect((await reg.app.inject({ url: path('2.0.0'), headers: bearer(reg.tokens.curator) })).json().status).toBe(
      'pending',
    );
  });

  test('the queue lists pending versions in scope with the version to diff against', async () => {
    const queue = await reg.app.inject({ url: '/mcp-lock/v1/queue', headers: bearer(reg.tokens.curator) });
    expect(queue.statusCode).toBe(200);
    const items = queue.json().items;
    expect(items.map((i: { version: Named }) => i.version.version)).toEqual(['2.0.0']);
    expect(items[0].previousApproved.version).toBe('1.0.0');
    const other = await reg.app.inject({ url: '/mcp-lock/v1/queue', headers: bearer(reg.tokens.otherCurator) });
    expect(other.json().items).toEqual([]);
    expect(
      (await reg.app.inject({ url: '/mcp-lock/v1/queue', headers: bearer(reg.tokens.publisher) })).statusCode,
    ).toBe(403);
    expect((await reg.app.inject({ url: '/mcp-lock/v1/queue' })).statusCode).toBe(401);
    const diff = await reg.app.inject({
      url: `/mcp-lock/v1/servers/${enc(NAME)}/diff?from=1.0.0&to=2.0.0`,
      headers: bearer(reg.tokens.curator),
    });
    expect(diff.statusCode).toBe(200);
    const change = diff
      .json()
      .changes.find((c: { kind: string; key: string }) => c.kind === 'tools' && c.key === 'get_forecast');
    expect(change.type).toBe('changed');
    expect(change.fields).toEqual([
      {
        path: '$.description',
        type: 'changed',
        before: 'Get the weather forecast for a city. v1.0.0',
        after: 'Get the weather forecast for a city. v2.0.0',
      },
    ]);
    // Without a scoped token the pending side of the diff does not exist.
    expect(
      (await reg.app.inject({ url: `/mcp-lock/v1/servers/${enc(NAME)}/diff?from=1.0.0&to=2.0.0` })).statusCode,
    ).toBe(404);
  });

  test('an admin approves; the audit log records every write in order, for admins only', async () => {
    const res = await curate(reg, NAME, '2.0.0', 'approve', { token: reg.tokens.admin });
    expect(res.statusCode).toBe(200);
    expect(res.json().approval.curator).toBe('root');
    const audit = await reg.app.inject({
      url: `/mcp-lock/v1/audit?name=${enc(NAME)}`,
      headers: bearer(reg.tokens.admin),
    });
    expect(audit.statusCode).toBe(200);
    const actions = audit.json().events.map((e: AuditEntry) => `${e.action} ${e.version}`);
    expect(actions).toEqual([
      'publish 1.0.0',
      'publish 1.1.0',
      'publish 1.2.0',
      'publish 2.0.0',
      'approve 1.0.0',
      'approve 1.1.0',
      'reject 1.2.0',
      'deprecate 1.0.0',
      'yank 1.1.0',
      'approve 2.0.0',
    ]);
    const events = audit.json().events;
    expect(events.every((e: AuditEntry, i: number) => i === 0 || e.seq > events[i - 1]!.seq)).toBe(true);
    expect(events.find((e: AuditEntry) => e.action === 'yank').reason).toBe('compromised maintainer account');
    expect(events[0].actor).toMatchObject({ type: 'token', role: 'publisher', label: 'acme-ci' });
    // Pages: two at a time, following the cursor, give the same events.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reg.app.inject({
        url: `/mcp-lock/v1/audit?name=${enc(NAME)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: bearer(reg.tokens.admin),
      });
      paged.push(...page.json().events.map((e: AuditEntry) => `${e.action} ${e.version}`));
      cursor = page.json().metadata.nextCursor;
    } while (cursor);
    expect(paged).toEqual(actions);
    const approvals = await reg.app.inject({
      url: '/mcp-lock/v1/audit?action=approve',
      headers: bearer(reg.tokens.admin),
    });
    expect(approvals.json().events.length).toBe(3);
    expect((await reg.app.inject({ url: '/mcp-lock/v1/audit', headers: bearer(reg.tokens.curator) })).statusCode).toBe(
      403,
    );
    expect(
      (await reg.app.inject({ url: '/mcp-lock/v1/audit?cursor=abc', headers: bearer(reg.tokens.admin) })).statusCode,
    ).toBe(400);
  });
});
