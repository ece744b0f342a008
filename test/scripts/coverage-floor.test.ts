// The coverage floor may only rise: every committed version of coverage-floor.json is at least the one
// before it, and the working copy is at least the last commit's.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Floor, loweredMetrics, raisedFloor, readFloor } from '../../scripts/coverage-floor.ts';

const root = new URL('../..', import.meta.url).pathname;
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

describe('the coverage floor', () => {
  it('never fell in the history of coverage-floor.json, nor in the working copy', () => {
    const commits = git('log', '--format=%H', '--', 'coverage-floor.json').split('\n').filter(Boolean).reverse();
    const versions = commits.map((c) => ({
      at: c.slice(0, 10),
      floor: readFloor(git('show', `${c}:coverage-floor.json`)),
    }));
    versions.push({ at: 'working copy', floor: readFloor(readFileSync(`${root}/coverage-floor.json`, 'utf8')) });
    for (let i = 1; i < versions.length; i++) {
      expect(loweredMetrics(versions[i - 1]!.floor, versions[i]!.floor), `at ${versions[i]!.at}`).toEqual([]);
    }
  });

  it('raises to the measured figure rounded down, and never lowers one', () => {
    const floor: Floor = { lines: 80, statements: 80, functions: 70, branches: 75 };
    const measured: Floor = { lines: 83.47, statements: 79.9, functions: 71.06, branches: 75 };
    expect(raisedFloor(floor, measured)).toEqual({ lines: 83.4, statements: 80, functions: 71, branches: 75 });
    expect(loweredMetrics(floor, { ...floor, branches: 74.9 })).toEqual(['branches']);
    expect(loweredMetrics(floor, raisedFloor(floor, measured))).toEqual([]);
  });

  it('refuses a floor file with a missing or impossible figure', () => {
    expect(() => readFloor('{"lines": 80, "statements": 80, "functions": 80}')).toThrow(/branches/);
    expect(() => readFloor('{"lines": 180, "statements": 80, "functions": 80, "branches": 1}')).toThrow(/lines/);
  });
});
