// The served /openapi.json is a valid OpenAPI 3.1 document by a real validator (@seriousme/openapi-schema-
// validator, the OpenAPI Initiative's JSON Schemas): every path, the web UI's HTML pages, fragments, assets and
// redirect included, documents what it answers. The twin: a route documented with no response at all is
// refused by the same validator, so the check could fail.

import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOpenApi } from '../../registry/plugins/openapi.ts';
import { makeRegistry, type TestRegistry } from './helpers.ts';

let reg: TestRegistry;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is untyped JSON walked by keys
let doc: any;

beforeAll(async () => {
  reg = await makeRegistry();
  const res = await reg.app.inject({ url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => {
  await reg.close();
});

async function validate(document: unknown) {
  const validator = new Validator();
  const result = await validator.validate(document as Record<string, unknown>);
  return { ...result, version: validator.version };
}

describe('the served OpenAPI document', () => {
  test('validates as OpenAPI 3.1', async () => {
    const result = await validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
  });

  test('every operation documents a success or redirect response, the UI pages as HTML', () => {
    const operations = Object.entries<Record<string, { responses: Record<string, { content?: object }> }>>(
      doc.paths,
    ).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(30);
    for (const { path, method, op } of operations)
      expect(
        Object.keys(op.responses).some((s) => /^[23]/.test(s)),
        `${method} ${path}`,
      ).toBe(true);
    const ui = operations.filter((o) => o.path.startsWith('/ui') && !o.path.includes('session'));
    expect(ui.length).toBeGreaterThanOrEqual(11);
    for (const { path, op } of ui) expect(Object.keys(op.responses['200']?.content ?? {}), path).not.toEqual([]);
    expect(doc.paths['/ui/queue'].get.responses['200'].content).toHaveProperty(['text/html']);
    expect(doc.paths['/'].get.responses).toHaveProperty('302');
    expect(doc.paths['/ui/fragments/session'].get.responses['200'].content).toHaveProperty(['application/json']);
  });

  test('a route that documents no response is refused by the same validator (the check can fail)', async () => {
    const bare = buildOpenApi([{ method: 'GET', url: '/bare', schema: {}, doc: { summary: 'nothing documented' } }], {
      version: '0.0.0',
    });
    const result = await validate(bare);
    expect(result.valid).toBe(false);
    expect(JSON.stringify(result.errors)).toContain('/paths/~1bare/get/responses');
  });
});
