// Compatibility with the official MCP registry OpenAPI (2025-12-01), using the copy of the parts we rely
// on in test/fixtures/registry: the same read paths and parameters (under /v0.1 and /v0), response
// schemas that promise at least what the official ones require, and real responses that validate
// against the official schemas, errors included.

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isRfc3339 } from '../../core/registry/api-validate.ts';
import { curate, enc, type Listed, makeRegistry, publish, syntheticManifest, type TestRegistry } from './helpers.ts';

const official = JSON.parse(
  readFileSync(new URL('../fixtures/registry/official-openapi-2025-12-01.json', import.meta.url), 'utf8'),
);
const OFFICIAL_ID: string = official.$id;

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });
ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
ajv.addSchema(official);
const officialSchema = (name: string) => ajv.getSchema(`${OFFICIAL_ID}#/components/schemas/${name}`)!;
const official404 = ajv.compile(
  official.paths['/v0.1/servers/{serverName}/versions/{version}'].get.responses['404'].content['application/json']
    .schema,
);

function expectValid(validate: ReturnType<typeof ajv.compile>, value: unknown, what: string): void {
  const ok = validate(value);
  expect(ok, `${what}: ${JSON.stringify(validate.errors, null, 1)}`).toBe(true);
}

let reg: TestRegistry;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is untyped JSON walked by keys
let ours: any;
const NAME = 'io.github.acme/weather';

beforeAll(async () => {
  reg = await makeRegistry();
  const manifest = syntheticManifest({ name: NAME, version: '1.0.0' });
  manifest.server.title = 'Weather';
  manifest.server.websiteUrl = 'https://example.com/weather';
  manifest.server.repository = { url: 'https://github.com/acme/weather', source: 'github', id: '123456' };
  manifest.server._meta = { 'io.modelcontextprotocol.registry/publisher-provided': { tool: 'mcp-lock' } };
  expect((await publish(reg, manifest)).statusCode).toBe(201);
  expect((await curate(reg, NAME, '1.0.0', 'approve')).statusCode).toBe(200);
  expect((await publish(reg, syntheticManifest({ name: NAME, version: '1.1.0' }))).statusCode).toBe(201);
  expect((await curate(reg, NAME, '1.1.0', 'approve')).statusCode).toBe(200);
  expect((await curate(reg, NAME, '1.1.0', 'deprecate', { reason: 'Please use 1.0.0' })).statusCode).toBe(200);
  expect((await publish(reg, syntheticManifest({ name: 'io.github.acme/gone', version: '0.1.0' }))).statusCode).toBe(
    201,
  );
  expect((await curate(reg, 'io.github.acme/gone', '0.1.0', 'approve')).statusCode).toBe(200);
  expect((await curate(reg, 'io.github.acme/gone', '0.1.0', 'yank', { reason: 'malicious' })).statusCode).toBe(200);
  ours = (await reg.app.inject({ url: '/openapi.json' })).json();
});
afterAll(async () => {
  await reg.close();
});

const officialPaths = Object.keys(official.paths);

interface Param {
  name: string;
  in: string;
  required: boolean;
  schema: { type?: string; format?: string };
}

describe('paths and parameters', () => {
  test.each(
    officialPaths.flatMap((p) => [
      [p, p],
      [p, p.replace('/v0.1/', '/v0/')],
    ]),
  )('%s is served as %s with the same parameters', (officialPath, ourPath) => {
    const theirs = official.paths[officialPath].get;
    const mine = ours.paths[ourPath]?.get;
    expect(mine, `${ourPath} GET`).toBeDefined();
    const byName = new Map<string, Param>(mine.parameters.map((p: Param) => [p.name, p]));
    for (const param of theirs.parameters) {
      const m = byName.get(param.name);
      if (!m) throw new Error(`${ourPath} lacks the parameter ${param.name}`);
      expect(m.in).toBe(param.in);
      expect(m.required).toBe(param.required);
      expect(m.schema.type).toBe(param.schema.type);
      if (param.schema.format) expect(m.schema.format).toBe(param.schema.format);
    }
    // No required parameter the official API does not have.
    const officialNames = new Set(theirs.parameters.map((p: Param) => p.name));
    for (const m of mine.parameters) if (m.required) expect(officialNames.has(m.name), m.name).toBe(true);
  });

  test('the response schemas promise at least what the official ones require', () => {
    const pairs = [
      ['/v0.1/servers', 'ServerList'],
      ['/v0.1/servers/{serverName}/versions', 'ServerList'],
      ['/v0.1/servers/{serverName}/versions/{version}', 'ServerResponse'],
    ] as const;
    for (const [path, name] of pairs) {
      expect(ours.paths[path].get.responses['200'].content['application/json'].schema).toEqual({
        $ref: `#/components/schemas/${name}`,
      });
      const theirs = official.components.schemas[name];
      const mine = ours.components.schemas[name];
      for (const required of theirs.required) expect(mine.required).toContain(required);
      for (const prop of Object.keys(theirs.properties)) expect(Object.keys(mine.properties)).toContain(prop);
    }
    const theirBlock =
      official.components.schemas.ServerResponse.properties._meta.properties[
        'io.modelcontextprotocol.registry/official'
      ];
    const ourBlock = ours.components.schemas.OfficialMeta;
    expect(ourBlock.additionalProperties).toBe(false);
    for (const [prop, schema] of Object.entries<{ type: string; enum?: string[] }>(ourBlock.properties)) {
      expect(theirBlock.properties[prop], prop).toBeDefined();
      expect(schema.type).toBe(theirBlock.properties[prop].type);
      if (theirBlock.properties[prop].enum) expect(schema.enum).toEqual(theirBlock.properties[prop].enum);
    }
    const metaList = ours.components.schemas.ServerList.properties.metadata.properties;
    expect(metaList.nextCursor.type).toBe('string');
    expect(metaList.count.type).toBe('integer');
  });
});

describe('real responses validate against the official schemas', () => {
  test.each(['/v0.1', '/v0'])('%s listings and versions', async (prefix) => {
    const urls = [
      `${prefix}/servers`,
      `${prefix}/servers?limit=1`,
      `${prefix}/servers?version=latest`,
      `${prefix}/servers?search=weather&include_deleted=true`,
      `${prefix}/servers?updated_since=2000-01-01T00:00:00Z`,
      `${prefix}/servers/${enc(NAME)}/versions`,
      `${prefix}/servers/${enc('io.github.acme/gone')}/versions?include_deleted=true`,
    ];
    for (const url of urls) {
      const res = await reg.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      const body = res.json();
      expect(body.servers.length, url).toBeGreaterThan(0);
      expectValid(officialSchema('ServerList'), body, url);
    }
    for (const url of [
      `${prefix}/servers/${enc(NAME)}/versions/1.0.0`,
      `${prefix}/servers/${enc(NAME)}/versions/1.1.0`,
      `${prefix}/servers/${enc(NAME)}/versions/latest`,
      `${prefix}/servers/${enc('io.github.acme/gone')}/versions/0.1.0`,
    ]) {
      const res = await reg.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expectValid(officialSchema('ServerResponse'), res.json(), url);
    }
  });

  test('a first page with a next cursor and the deprecated and deleted statuses are in the official shape', async () => {
    const page = (await reg.app.inject({ url: '/v0.1/servers?limit=1&include_deleted=true' })).json();
    expect(typeof page.metadata.nextCursor).toBe('string');
    const statuses = (await reg.app.inject({ url: '/v0.1/servers?include_deleted=true' }))
      .json()
      .servers.map((s: Listed) => s._meta['io.modelcontextprotocol.registry/official']?.status)
      .sort();
    expect(statuses).toEqual(['active', 'deleted', 'deprecated']);
  });

  test('the official _meta block carries only official fields; when the status changed is in ours', async () => {
    const listed = (await reg.app.inject({ url: '/v0.1/servers?include_deleted=true' })).json().servers as Listed[];
    const one = (await reg.app.inject({ url: `/v0/servers/${enc(NAME)}/versions/1.1.0` })).json() as Listed;
    expect(listed).toHaveLength(3);
    // The fields both official descriptions agree on: the OpenAPI 2025-12-01 block and the registry's own
    // response model (pkg/api/v0 RegistryExtensions), plus the OpenAPI's statusMessage.
    const officialFields = ['status', 'statusMessage', 'publishedAt', 'updatedAt', 'isLatest'];
    for (const response of [...listed, one]) {
      const block = response._meta['io.modelcontextprotocol.registry/official'] ?? {};
      expect(block.status).toBeDefined();
      for (const key of Object.keys(block)) expect(officialFields, key).toContain(key);
      const ours = response._meta['dev.mcp-lock/registry'] as unknown as {
        statusChangedAt: string;
        publishedAt: string;
      };
      expect(isRfc3339(ours.statusChangedAt), ours.statusChangedAt).toBe(true);
      expect(Date.parse(ours.statusChangedAt)).toBeGreaterThanOrEqual(Date.parse(ours.publishedAt));
    }
  });

  test('404s carry the official {error: string} shape', async () => {
    for (const url of [
      `/v0.1/servers/${enc('io.github.acme/none')}/versions`,
      `/v0.1/servers/${enc(NAME)}/versions/9.9.9`,
      `/v0/servers/${enc(NAME)}/versions/9.9.9`,
    ]) {
      const res = await reg.app.inject({ url });
      expect(res.statusCode).toBe(404);
      expectValid(official404, res.json(), url);
      expect(typeof res.json().error).toBe('string');
    }
  });

  test('every server.json a manifest can carry is a valid official ServerDetail', () => {
    const m = syntheticManifest({ name: 'io.github.acme/shape', version: '3.1.4' });
    expectValid(officialSchema('ServerDetail'), m.server, 'server.json');
  });
});
