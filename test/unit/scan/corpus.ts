// Loads the lint corpus for the measurement test: labelled poisoned and benign tool definitions from
// test/fixtures/scan-corpus (copied from the shared corpus, see its README) and test/fixtures/scan-extra
// (our own variants), plus the real npm servers' surfaces. Docker's compact tools.json shapes are adapted
// to MCP Tool objects here, in the test, not in the lint: the lint reads what MCP servers send.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject, JsonValue } from '../../../core/json/strict-json.ts';
import { parseStrictJson } from '../../../core/json/strict-json.ts';
import type { ScanSurface } from '../../../core/scan/types.ts';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
export const CORPUS = join(FIXTURES, 'scan-corpus');
export const EXTRA = join(FIXTURES, 'scan-extra');
export const FAMILIES = join(FIXTURES, 'scan-families');
export const BENIGN_SERVERS = join(FIXTURES, 'benign-servers', 'servers');

export interface LabelledCase {
  file: string;
  family: string;
  server: string;
  /** The surface the case describes: its item plus any sibling tools it provides for context. */
  surface: ScanSurface;
  /** The item under test ('tools/<name>', 'prompts/<name>', 'resources/<uri>' or 'instructions'). */
  item: string;
  /** Other servers the same client sees (`otherServers` in the wrapper), for cross-server cases. */
  others: { server: string; surface: ScanSurface }[];
}

function readJson(path: string): JsonValue {
  return parseStrictJson(readFileSync(path), path);
}

/**
 * The wrapper shape of the corpus README ({case, source, attack, tool}); our extra cases may carry a
 * `prompt`, `resource` or `instructions` instead of a `tool`, and `siblings` (other tools of the server).
 */
function wrapped(dir: string, label: string): LabelledCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const doc = readJson(join(dir, f)) as JsonObject;
      const family = String(doc.case).split('/')[0]!;
      const siblings = Array.isArray(doc.siblings) ? (doc.siblings as JsonObject[]) : [];
      const server = `io.example/${f.replace(/\.json$/, '')}`;
      const file = `${label}/${f}`;
      const others = (Array.isArray(doc.otherServers) ? (doc.otherServers as JsonObject[]) : []).map((o) => ({
        server: String(o.server),
        surface: { tools: o.tools as JsonObject[] },
      }));
      const base = { file, family, server, others };
      if (doc.tool) {
        const tool = doc.tool as JsonObject;
        return { ...base, surface: { tools: [tool, ...siblings] }, item: `tools/${String(tool.name)}` };
      }
      if (doc.prompt) {
        const prompt = doc.prompt as JsonObject;
        return {
          ...base,
          surface: { tools: siblings, prompts: [prompt] },
          item: `prompts/${String(prompt.name)}`,
        };
      }
      if (doc.resource) {
        const resource = doc.resource as JsonObject;
        return {
          ...base,
          surface: { tools: siblings, resources: [resource] },
          item: `resources/${String(resource.uri)}`,
        };
      }
      return {
        ...base,
        surface: { tools: siblings, instructions: String(doc.instructions) },
        item: 'instructions',
      };
    });
}

export function poisonedCases(): LabelledCase[] {
  return [
    ...wrapped(join(CORPUS, 'poisoned'), 'scan-corpus/poisoned'),
    ...wrapped(join(EXTRA, 'poisoned'), 'scan-extra/poisoned'),
  ];
}

/**
 * The issue-17 families: `split` is 'tuning' (written to shape the rules), 'holdout' (written before any
 * rule) or 'blind' (written after the rules, first measured before any change; see the folder's README).
 */
export function familyCases(split: 'tuning' | 'holdout' | 'blind', label: 'poisoned' | 'benign'): LabelledCase[] {
  return wrapped(join(FAMILIES, split, label), `scan-families/${split}/${label}`);
}

export function trickyBenignCases(): LabelledCase[] {
  return [
    ...wrapped(join(CORPUS, 'benign', 'tricky'), 'scan-corpus/benign/tricky'),
    ...wrapped(join(EXTRA, 'benign'), 'scan-extra/benign'),
  ];
}

/** Docker's compact `arguments: [{name, type, desc, optional}]` as an MCP inputSchema. */
function adaptDockerTool(tool: JsonObject): JsonObject {
  if (!Array.isArray(tool.arguments)) return tool;
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const arg of tool.arguments as JsonObject[]) {
    const name = String(arg.name);
    const schema: JsonObject = { type: (arg.type as JsonValue) ?? 'string' };
    if (typeof arg.desc === 'string') schema.description = arg.desc;
    if (arg.items !== undefined) schema.items = arg.items;
    properties[name] = schema;
    if (arg.optional !== true) required.push(name);
  }
  const { arguments: _dropped, ...rest } = tool;
  return { ...rest, inputSchema: { type: 'object', properties, required } };
}

export interface BenignServer {
  server: string;
  surface: ScanSurface;
}

export function dockerServers(): BenignServer[] {
  const dir = join(CORPUS, 'benign', 'docker-mcp-registry');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tools.json'))
    .sort()
    .map((f) => ({
      server: `io.docker/${f.replace(/\.tools\.json$/, '')}`,
      surface: { tools: (readJson(join(dir, f)) as JsonObject[]).map(adaptDockerTool) },
    }));
}

/** A captured server file (real-servers/ or benign-servers/): its package and surface as listed on the wire. */
function capturedServer(doc: JsonObject): BenignServer {
  return {
    server: String(doc.package),
    surface: {
      instructions: typeof doc.instructions === 'string' ? doc.instructions : null,
      tools: doc.tools as JsonObject[],
      prompts: doc.prompts as JsonObject[],
      resources: doc.resources as JsonObject[],
      resourceTemplates: doc.resourceTemplates as JsonObject[],
    },
  };
}

export interface CollectedServer extends BenignServer {
  version: string;
  license: string | null;
}

/** The large benign set: real npm servers' surfaces, collected by scripts/collect-benign.ts. */
export function collectedServers(): CollectedServer[] {
  return readdirSync(BENIGN_SERVERS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const doc = readJson(join(BENIGN_SERVERS, f)) as JsonObject;
      return {
        ...capturedServer(doc),
        version: String(doc.version),
        license: typeof doc.license === 'string' ? doc.license : null,
      };
    });
}

export function realServers(): BenignServer[] {
  const dir = join(CORPUS, 'real-servers');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => capturedServer(readJson(join(dir, f)) as JsonObject));
}
