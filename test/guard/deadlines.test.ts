// The proxy's deadlines: one timer for every pending request. A deadline fires once, on time and never
// early, in the order deadlines fall due; clearing or moving one touches only the map; a cleared one
// never fires (the benign twin of a timeout).

import { describe, expect, it } from 'vitest';
import { Deadlines } from '../../adapters/proxy/deadlines.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadlines', () => {
  it('fires each due deadline once, in order, not before it is due', async () => {
    const fired: [string, number][] = [];
    const started = performance.now();
    const d = new Deadlines((key) => fired.push([key, performance.now() - started]));
    d.set('late', 120);
    d.set('early', 40);
    d.set('middle', 80);
    await sleep(250);
    expect(fired.map(([k]) => k)).toEqual(['early', 'middle', 'late']);
    expect(fired[0]![1]).toBeGreaterThanOrEqual(40);
    expect(fired[2]![1]).toBeGreaterThanOrEqual(120);
    expect(d.size).toBe(0);
  });

  it('a cleared deadline never fires; a moved one fires at its new time', async () => {
    const fired: string[] = [];
    const d = new Deadlines((key) => fired.push(key));
    d.set('answered', 30);
    d.set('progress', 30);
    d.set('other', 60);
    d.clear('answered');
    await sleep(15);
    d.set('progress', 100); // progress restarts the clock
    await sleep(80);
    expect(fired).toEqual(['other']);
    await sleep(80);
    expect(fired).toEqual(['other', 'progress']);
  });

  it('many pending deadlines cost one timer, and clearAll stops it', async () => {
    const fired: string[] = [];
    const d = new Deadlines((key) => fired.push(key));
    for (let i = 0; i < 10_000; i++) d.set(`k${i}`, 600_000);
    for (let i = 0; i < 10_000; i++) d.clear(`k${i}`);
    d.set('soon', 20);
    d.clearAll();
    await sleep(60);
    expect(fired).toEqual([]);
    expect(d.size).toBe(0);
  });
});
