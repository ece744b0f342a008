// Generates core/generated/*.ts from schemas/*.schema.json (the schemas are the source of truth).
// `node scripts/gen-types.ts --check` fails when the committed types differ from what the schemas give.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as standalone from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';
import { AJV_OPTIONS } from '../core/schema/ajv-options.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const targets = [
  { schema: 'schemas/manifest.schema.json', out: 'core/generated/manifest.ts', name: 'McpLockManifest' },
  { schema: 'schemas/mcp-lock.schema.json', out: 'core/generated/lockfile.ts', name: 'McpLockFile' },
  { schema: 'schemas/policy.schema.json', out: 'core/generated/policy.ts', name: 'McpLockPolicy' },
];

// Our schemas refer to each other by $id; resolve those locally, never over the network.
const byId = new Map<string, string>();
for (const t of targets) {
  const text = readFileSync(join(root, t.schema), 'utf8');
  byId.set(JSON.parse(text).$id, text);
}
const localResolver = {
  order: 1,
  canRead: (file: { url: string }) => byId.has(file.url.split('#')[0]!),
  read: (file: { url: string }) => byId.get(file.url.split('#')[0]!)!,
};

let stale = false;
for (const t of targets) {
  const schema = JSON.parse(readFileSync(join(root, t.schema), 'utf8'));
  const banner = `// Generated from ${t.schema} by scripts/gen-types.ts. Do not edit: change the schema and run npm run gen.`;
  const ts = await compile(schema, t.name, {
    bannerComment: banner,
    additionalProperties: false,
    unreachableDefinitions: true,
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true, printWidth: 120 },
    $refOptions: { resolve: { http: false, file: false, mcpLock: localResolver } as never },
  });
  const path = join(root, t.out);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {}
  if (current === ts) continue;
  if (check) {
    console.error(`${t.out} is out of date with ${t.schema}. Run: npm run gen`);
    stale = true;
  } else {
    writeFileSync(path, ts);
    console.log(`wrote ${t.out}`);
  }
}
// Precompiled validators for the documents every command reads (Ajv would otherwise compile the
// schemas at each start, ~100 ms): the options of core/schema/ajv-options.ts, as at run time.
{
  const ajv = new Ajv2020({
    ...AJV_OPTIONS,
    code: { source: true, esm: true, lines: false },
  });
  const ids: Record<string, string> = {};
  for (const [key, t] of [
    ['manifest', targets[0]!],
    ['lock', targets[1]!],
    ['policy', targets[2]!],
  ] as const) {
    const schema = JSON.parse(readFileSync(join(root, t.schema), 'utf8'));
    ajv.addSchema(schema);
    ids[key] = schema.$id;
  }
  // Ajv's standalone output still require()s its one runtime helper; make it an ESM import.
  // CommonJS from ESM: the function is the module itself and also its `default`.
  const standaloneCode = standalone.default as unknown as (ajv: Ajv2020, refs: Record<string, string>) => string;
  const code = standaloneCode(ajv, ids).replace(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, 'ucs2length');
  if (code.includes('require(')) throw new Error('unexpected require() in standalone validators');
  const js = `// Generated from schemas/*.schema.json by scripts/gen-types.ts (Ajv standalone). Do not edit.\n${code.replace('"use strict";', '"use strict";import ucs2lengthModule from "ajv/dist/runtime/ucs2length.js";const ucs2length = ucs2lengthModule.default ?? ucs2lengthModule;')}\n`;
  const path = join(root, 'core/generated/validators.js');
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {}
  if (current !== js) {
    if (check) {
      console.error('core/generated/validators.js is out of date with the schemas. Run: npm run gen');
      stale = true;
    } else {
      writeFileSync(path, js);
      console.log('wrote core/generated/validators.js');
    }
  }
}
if (stale) process.exit(1);
