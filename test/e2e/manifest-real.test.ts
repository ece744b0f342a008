// `mcp-lock manifest` of real servers from the npm registry records exactly the surface the official MCP
// SDK client sees from the same installed package: every tool, prompt, resource, resource template and
// the instructions, definition for definition, when both declare the same (full) client capabilities.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxInstall } from '../../adapters/npm/sandbox-install.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { INTROSPECTION_CAPABILITIES } from '../../core/introspect/client-role.ts';
import { runCli } from '../helpers/cli.ts';

const work = mkdtempSync(join(tmpdir(), 'mcp-lock-manifest-real-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function sdkSurface(spec: string, args: string[]) {
  const install = await sandboxInstall(spec);
  // A fully capable client, as introspection declares itself: servers add tools for roots, sampling, elicitation.
  const client = new Client(
    { name: 'sdk-reference', version: '1.0.0' },
    { capabilities: INTROSPECTION_CAPABILITIES as ClientCapabilities },
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [install.bin.absolute, ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'ignore',
  });
  try {
    await client.connect(transport);
    const all = async <T>(
      fn: (cursor?: string) => Promise<{ nextCursor?: string } & Record<string, unknown>>,
      key: string,
    ) => {
      const items: T[] = [];
      let cursor: string | undefined;
      do {
        const page = await fn(cursor);
        items.push(...(page[key] as T[]));
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };
    const caps = client.getServerCapabilities() ?? {};
    return {
      instructions: client.getInstructions() ?? null,
      tools: caps.tools ? await all((c) => client.listTools(c ? { cursor: c } : undefined), 'tools') : [],
      prompts: caps.prompts ? await all((c) => client.listPrompts(c ? { cursor: c } : undefined), 'prompts') : [],
      resources: caps.resources
        ? await all((c) => client.listResources(c ? { cursor: c } : undefined), 'resources')
        : [],
      resourceTemplates: caps.resources
        ? await all((c) => client.listResourceTemplates(c ? { cursor: c } : undefined), 'resourceTemplates')
        : [],
    };
  } finally {
    await client.close();
    install.cleanup();
  }
}

const KEYS = { tools: 'name', prompts: 'name', resources: 'uri', resourceTemplates: 'uriTemplate' } as const;

describe.each([
  { spec: '@modelcontextprotocol/server-everything@2026.8.31', args: [] as string[], minTools: 10 },
  { spec: '@modelcontextprotocol/server-filesystem@2026.8.31', args: [work], minTools: 10 },
])('manifest of $spec', ({ spec, args, minTools }) => {
  it('lists exactly what the official SDK client sees', async () => {
    const out = join(work, `${spec.replace(/\W/g, '_')}.json`);
    const r = await runCli(['manifest', spec, ...args.flatMap((a) => ['--arg', a]), '--out', out], {
      cwd: work,
      timeoutMs: 180_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(out, 'utf8')) as McpLockManifest;
    const sdk = await sdkSurface(spec, args);
    expect(manifest.surface.tools.length).toBeGreaterThanOrEqual(minTools);
    expect(manifest.surface.instructions?.text ?? null).toBe(sdk.instructions);
    for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) {
      const seen = new Map((sdk[kind] as Record<string, unknown>[]).map((item) => [String(item[KEYS[kind]]), item]));
      expect(
        manifest.surface[kind].map((i) => i.key),
        kind,
      ).toEqual([...seen.keys()].sort());
      for (const item of manifest.surface[kind])
        expect(item.definition, `${kind} ${item.key}`).toEqual(seen.get(item.key));
    }
    expect(manifest.package?.tree.every((n) => n.integrity?.startsWith('sha512-'))).toBe(true);
    expect(manifest.server.packages?.[0]?.packageArguments ?? []).toEqual(
      args.map((value) => ({ type: 'positional', value })),
    );
  });
});
