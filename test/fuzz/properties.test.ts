// The fuzz properties, a bounded share on every `npm test` (29,600 inputs in all); `npm run fuzz`
// runs the same targets for a million and more. Each property shrinks a failure to a small input.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type FuzzTarget, type FuzzTargets, fuzzTargets } from './targets.ts';

/** Inputs per target in `npm test`; the slow ones (a signature check, an inject) get fewer. */
const RUNS: Record<string, number> = {
  'json-clean': 6_000,
  'json-ambiguous': 6_000,
  'json-bytes': 6_000,
  manifest: 2_000,
  lock: 2_000,
  bundle: 2_000,
  publish: 600,
  http: 1_000,
  guard: 4_000,
};

let all: FuzzTargets;
beforeAll(async () => {
  all = await fuzzTargets();
});
afterAll(async () => {
  await all.close();
});

const target = (name: string): FuzzTarget => all.targets.find((t) => t.name === name)!;

describe('fuzz properties (bounded share)', () => {
  test.each(Object.entries(RUNS))('%s: %i inputs', async (name, numRuns) => {
    const t = target(name);
    await fc.assert(
      fc.asyncProperty(t.arbitrary, async (parts) => {
        await t.check(parts);
      }),
      { numRuns },
    );
  });
});
