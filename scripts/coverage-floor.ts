// The coverage floor (coverage-floor.json): what `npm test` requires, and how it rises. After a full
// `npm test` (which writes coverage/coverage-summary.json), `node scripts/coverage-floor.ts --raise` moves
// each figure up to the measured one rounded down to a tenth; it never lowers one.

import { readFileSync, writeFileSync } from 'node:fs';

export const METRICS = ['lines', 'statements', 'functions', 'branches'] as const;
export type Metric = (typeof METRICS)[number];
export type Floor = Record<Metric, number>;

const FLOOR_FILE = new URL('../coverage-floor.json', import.meta.url);
const SUMMARY_FILE = new URL('../coverage/coverage-summary.json', import.meta.url);

/** The new floor: each figure raised to the measured one (rounded down to 0.1), never lowered. */
export function raisedFloor(floor: Floor, measured: Floor): Floor {
  const out = { ...floor };
  for (const m of METRICS) out[m] = Math.max(floor[m], Math.floor(measured[m] * 10) / 10);
  return out;
}

/** The metrics that fell from one floor to the next (a floor may only rise). */
export function loweredMetrics(before: Floor, after: Floor): Metric[] {
  return METRICS.filter((m) => after[m] < before[m]);
}

export function readFloor(text: string): Floor {
  const doc = JSON.parse(text) as Partial<Floor>;
  const floor = {} as Floor;
  for (const m of METRICS) {
    const value = doc[m];
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
      throw new Error(`coverage-floor.json: "${m}" must be a number from 0 to 100`);
    }
    floor[m] = value;
  }
  return floor;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] !== '--raise') {
    console.error('usage: node scripts/coverage-floor.ts --raise   (after a full npm test)');
    process.exit(2);
  }
  const total = (JSON.parse(readFileSync(SUMMARY_FILE, 'utf8')) as { total: Record<Metric, { pct: number }> }).total;
  const measured = Object.fromEntries(METRICS.map((m) => [m, total[m].pct])) as Floor;
  const text = readFileSync(FLOOR_FILE, 'utf8');
  const doc = JSON.parse(text) as Record<string, unknown>;
  const next = raisedFloor(readFloor(text), measured);
  writeFileSync(FLOOR_FILE, `${JSON.stringify({ ...doc, ...next }, null, 2)}\n`);
  console.log(`coverage floor: ${METRICS.map((m) => `${m} ${next[m]}%`).join(', ')}`);
}
