// The argument check fails closed on a schema it cannot enforce, so it must enforce the schemas real
// servers publish: every tool of the 43 real npm servers in the benign corpus (captured by
// scripts/collect-benign.ts) compiles, and a call with an empty object gets a verdict, not an error.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentChecker } from '../../core/guard/argument-check.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';

const DIR = join(import.meta.dirname, '../fixtures/benign-servers/servers');

describe('the inputSchemas of real servers', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  it('the corpus is there', () => expect(files.length).toBeGreaterThanOrEqual(40));
  for (const file of files) {
    it(`every tool of ${file.replace(/\.json$/, '')} can be enforced`, () => {
      const tools = (JSON.parse(readFileSync(join(DIR, file), 'utf8')).tools ?? []) as JsonObject[];
      const checker = new ArgumentChecker(new Map(tools.map((t) => [String(t.name), t])));
      const unenforceable = tools
        .map((t) => ({ tool: String(t.name), problems: checker.check(String(t.name), {}) }))
        .filter((r) => r.problems.some((p) => /cannot be enforced|has no inputSchema/.test(p.message)));
      expect(unenforceable).toEqual([]);
    });
  }
});
