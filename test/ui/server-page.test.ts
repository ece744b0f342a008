// The server page is compact and small: for server-everything's real surface (captured from the wire) and a
// tree of 400 packages it is under 200 KB of HTML, with one line per item and the tree as a count; every
// full detail (an item's definition, the whole tree) is one request away, as a fragment for ui.js and as a
// page for readers without scripts, through the same principal rules as the page. Versions link their
// diff against the previous one.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { node, syntheticManifest } from '../helpers/synthetic.ts';
import { curate, makeRegistry, publish, type TestRegistry } from '../registry/helpers.ts';

const EVERYTHING = JSON.parse(
  readFileSync(
    new URL('../fixtures/scan-corpus/real-servers/server-everything@2026.8.31.json', import.meta.url),
    'utf8',
  ),
) as Record<string, JsonObject[]> & { instructions: string };

const NAME = 'io.github.acme/everything';
const TREE_SIZE = 400;

function everythingManifest(version: string): McpLockManifest {
  const pkg = '@modelcontextprotocol/server-everything';
  const tree = [
    node(pkg, version),
    ...Array.from({ length: TREE_SIZE - 1 }, (_, i) => node(`dep-${String(i).padStart(3, '0')}`, `1.${i}.0`)),
  ].sort((a, b) => (a.location < b.location ? -1 : 1));
  return syntheticManifest({
    name: NAME,
    pkg,
    version,
    tree,
    protocolVersion: '2025-11-25',
    instructions: EVERYTHING.instructions,
    tools: EVERYTHING.tools!,
    prompts: EVERYTHING.prompts!,
    resources: EVERYTHING.resources!,
    resourceTemplates: EVERYTHING.resourceTemplates!,
  });
}

let reg: TestRegistry;
let manifest: McpLockManifest;
beforeAll(async () => {
  reg = await makeRegistry();
  for (const version of ['1.0.0', '1.1.0']) {
    manifest = everythingManifest(version);
    const res = await publish(reg, manifest);
    expect(res.statusCode, res.body).toBe(201);
    expect((await curate(reg, NAME, version, 'approve')).statusCode).toBe(200);
  }
}, 60_000);
afterAll(async () => reg?.close());

const get = (url: string) => reg.app.inject({ url });
const enc = encodeURIComponent;

describe('the server page', () => {
  it('is under 200 KB for server-everything with a 400-package tree, and compact', async () => {
    const page = await get(`/ui/server?name=${enc(NAME)}`);
    expect(page.statusCode).toBe(200);
    const bytes = Buffer.byteLength(page.body);
    expect(bytes).toBeLessThan(200 * 1024);
    // Compact: one line per item, no full definition and no tree table inline.
    const tools = manifest.surface.tools.length;
    expect(tools).toBeGreaterThan(10);
    expect(page.body.match(/<li class="item-line" data-kind="tools"/g)?.length).toBe(tools);
    expect(page.body).not.toContain('<table class="tree"');
    expect(page.body).not.toContain('<pre class="json">{');
    expect(page.body).toContain(`${TREE_SIZE} packages`);
    // The section links point at sections that exist.
    const nav = /<nav class="sections"[\s\S]*?<\/nav>/.exec(page.body)?.[0] ?? '';
    const ids = [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(page.body, id).toContain(`id="${id}"`);
  });

  it('loads each detail on demand: an item in full, the whole tree', async () => {
    const v = manifest.server.version;
    const tool = manifest.surface.tools[3]!;
    const fragment = await get(`/ui/fragments/detail?name=${enc(NAME)}&version=${v}&part=tools&key=${enc(tool.key)}`);
    expect(fragment.statusCode).toBe(200);
    expect(fragment.headers['cache-control']).toBe('no-store');
    expect(fragment.body).toContain('<pre class="json">');
    expect(fragment.body).toContain(tool.digest);
    expect(fragment.body).not.toContain('<html');
    const tree = await get(`/ui/fragments/detail?name=${enc(NAME)}&version=${v}&part=tree`);
    expect(tree.body.match(/<tr><td><code>/g)?.length).toBe(TREE_SIZE);
    for (const n of manifest.package!.tree) expect(tree.body).toContain(n.integrity!);
    // The same as a page for readers without scripts, with a way back.
    const asPage = await get(
      `/ui/detail?name=${enc(NAME)}&version=${v}&part=prompts&key=${enc(manifest.surface.prompts[0]!.key)}`,
    );
    expect(asPage.statusCode).toBe(200);
    expect(asPage.body).toContain('<html');
    expect(asPage.body).toContain(`href="/ui/server?name=${enc(NAME)}&amp;version=${v}"`);
    // The page links each detail both ways.
    const page = await get(`/ui/server?name=${enc(NAME)}`);
    expect(page.body).toContain(`data-src="/ui/fragments/detail?name=${enc(NAME)}&amp;version=${v}&amp;part=tree"`);
    expect(page.body).toContain(`href="/ui/detail?name=${enc(NAME)}&amp;version=${v}&amp;part=tree"`);
  });

  it('refuses a detail that is not there, or of a version the reader may not see', async () => {
    const v = manifest.server.version;
    expect((await get(`/ui/detail?name=${enc(NAME)}&version=${v}&part=tools&key=no_such_tool`)).statusCode).toBe(404);
    expect((await get(`/ui/detail?name=${enc(NAME)}&version=${v}&part=secrets`)).statusCode).toBe(400);
    expect((await get(`/ui/detail?name=${enc(NAME)}&version=9.9.9&part=tree`)).statusCode).toBe(404);
    // A pending version's detail is for curators: anonymous readers get 404, a curator's token sees it.
    const pending = everythingManifest('2.0.0');
    expect((await publish(reg, pending)).statusCode).toBe(201);
    const url = `/ui/fragments/detail?name=${enc(NAME)}&version=2.0.0&part=tree`;
    expect((await get(url)).statusCode).toBe(404);
    const asCurator = await reg.app.inject({ url, headers: { authorization: `Bearer ${reg.tokens.curator}` } });
    expect(asCurator.statusCode).toBe(200);
  });

  it('links every version to its diff against the previous one', async () => {
    const page = await get(`/ui/server?name=${enc(NAME)}`);
    expect(page.body).toContain(`href="/ui/diff?name=${enc(NAME)}&amp;from=1.0.0&amp;to=1.1.0"`);
  });
});
