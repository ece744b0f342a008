// Every input `npm run fuzz` ever found (test/fixtures/fuzz-regressions/, one JSON file each: the target,
// what went wrong, and the input's parts) is replayed here and must now pass its target's check.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FuzzTargets, fuzzTargets, type Part } from './targets.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'fuzz-regressions');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

let all: FuzzTargets;
beforeAll(async () => {
  all = await fuzzTargets();
});
afterAll(async () => {
  await all.close();
});

describe('fuzz regressions', () => {
  test('the fixtures are there to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('%s', async (file) => {
    const fixture = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { target: string; parts: Part[] };
    const target = all.targets.find((t) => t.name === fixture.target);
    expect(target, `no fuzz target ${fixture.target}`).toBeDefined();
    await target!.check(fixture.parts);
  });
});
