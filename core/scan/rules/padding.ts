// MCPL013: padding and length. Blank runs push text below what a UI or a reviewer shows; very long
// strings bury an instruction at the end. Judged on the raw string.

import type { Hit, StringContext } from '../context.ts';
import { isBlank } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

export function paddingRule(raw: string, ctx: StringContext): Hit[] {
  const hits: Hit[] = [];
  let bestRun = { start: -1, length: 0, breaks: 0, followed: false };
  let i = 0;
  while (i < raw.length) {
    const cp = raw.codePointAt(i)!;
    // Printable ASCII other than the space: the common case, and never blank.
    if (cp > 0x20 && cp < 0x7f) {
      i++;
      continue;
    }
    if (!isBlank(cp) || (cp === 0x20 && !isBlank(raw.codePointAt(i + 1) ?? 0))) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    let breaks = 0;
    let length = 0;
    while (i < raw.length) {
      const c = raw.codePointAt(i)!;
      if (!isBlank(c)) break;
      if (c === 0x0a || c === 0x2028 || c === 0x2029 || c === 0x85) breaks++;
      length++;
      i += c > 0xffff ? 2 : 1;
    }
    if (length > bestRun.length || breaks > bestRun.breaks) {
      bestRun = { start, length, breaks, followed: raw.slice(i).trim().length > 0 };
    }
  }
  if (bestRun.start >= 0) {
    const { start, length, breaks, followed } = bestRun;
    const big = length >= 100 || breaks >= 12;
    if (big && followed) {
      hits.push({
        rule: RULES.padding,
        severity: 'high',
        message: `hides text after ${length} blank characters (${breaks} line breaks)`,
        start,
        end: Math.min(raw.length, start + length + 80),
      });
    } else if (big || length >= 40 || breaks >= 8) {
      hits.push({
        rule: RULES.padding,
        severity: 'low',
        message: `contains a run of ${length} blank characters (${breaks} line breaks)`,
        start,
        end: start + Math.min(length, 40),
      });
    }
  }
  const repeated = raw.length >= 200 ? /([^\s])\1{199,}/u.exec(raw) : null;
  if (repeated) {
    hits.push({
      rule: RULES.padding,
      severity: 'low',
      message: `repeats one character ${repeated[0].length} times`,
      start: repeated.index,
      end: repeated.index + 40,
    });
  }
  const prose = ctx.entry.role === 'description' || ctx.entry.role === 'instructions';
  if (raw.length > 20_000) {
    hits.push({
      rule: RULES.padding,
      severity: 'medium',
      message: `is ${raw.length} characters long`,
      start: raw.length - 120,
      end: raw.length,
    });
  } else if (prose && raw.length > 6_000) {
    hits.push({
      rule: RULES.padding,
      severity: 'low',
      message: `is ${raw.length} characters long`,
      start: raw.length - 120,
      end: raw.length,
    });
  }
  return hits;
}
