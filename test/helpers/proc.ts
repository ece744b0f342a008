// Linux /proc readings the memory tests and benchmarks share: a process's peak resident set, and its live
// descendants whose command line names something (the server a proxy started, say).

import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident set (VmHWM) of a live process, in KiB. */
export function peakRssKiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN);
}

/** Live descendants of `pid` (up to 32 generations down) whose command line mentions `needle`. */
export function descendants(pid: number, needle: string): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const under = (p: number): boolean => {
    for (let q = parent.get(p), hops = 0; q !== undefined && hops < 32; q = parent.get(q), hops++)
      if (q === pid) return true;
    return false;
  };
  return [...parent.keys()].filter((p) => {
    if (!under(p)) return false;
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  });
}
