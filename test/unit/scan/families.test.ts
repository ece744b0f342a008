// The lint on the families issue 17 found missing (test/fixtures/scan-families): recall per family on the
// tuning set (written to shape the rules), the hold-out set (written before any rule, in other words) and
// the blind set (written after the rules in yet other words), and false positives per severity on the large benign set of real npm servers
// (test/fixtures/benign-servers, collected by scripts/collect-benign.ts). Prints both tables; fails below
// recall 0.90 on either poisoned set, or above 1 % high or 3 % medium false positives on the benign set.
// "Flagged" means a finding at high or above on the item under test; an item's severity is its worst finding.

import { describe, expect, it } from 'vitest';
import { type ServerSurface, scanServers, scanSurface } from '../../../core/scan/scan.ts';
import { type Severity, severityAtLeast } from '../../../core/scan/severity.ts';
import type { ScanFinding } from '../../../core/scan/types.ts';
import { visible } from '../../../core/text/hidden-chars.ts';
import { type CollectedServer, collectedServers, familyCases, type LabelledCase } from './corpus.ts';

const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const high = (f: ScanFinding) => severityAtLeast(f.severity, 'high');

/** Findings on the case's own item, with the other servers the client sees alongside. */
function findingsOf(c: LabelledCase): ScanFinding[] {
  const servers: ServerSurface[] = [{ server: c.server, surface: c.surface }, ...c.others];
  return scanServers(servers).filter((f) => f.server === c.server && f.item === c.item);
}

interface FamilyRow {
  total: number;
  caught: number;
  missed: string[];
}

function recallTable(cases: LabelledCase[]): { rows: Map<string, FamilyRow>; caught: number } {
  const rows = new Map<string, FamilyRow>();
  let caught = 0;
  for (const c of cases) {
    const row = rows.get(c.family) ?? { total: 0, caught: 0, missed: [] };
    row.total++;
    if (findingsOf(c).some(high)) {
      row.caught++;
      caught++;
    } else row.missed.push(c.file);
    rows.set(c.family, row);
  }
  return { rows, caught };
}

function printRecall(title: string, cases: LabelledCase[]): number {
  const { rows, caught } = recallTable(cases);
  const lines = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([name, r]) =>
        `  ${name.padEnd(22)} ${String(r.caught).padStart(3)}/${String(r.total).padEnd(3)} ${pct(r.caught / r.total)}`,
    );
  const missed = [...rows.values()].flatMap((r) => r.missed);
  console.log(
    [
      `${title}: recall ${caught}/${cases.length} = ${pct(caught / cases.length)}`,
      ...lines,
      ...missed.map((m) => `  missed: ${m}`),
    ].join('\n'),
  );
  return caught / cases.length;
}

function itemCount(s: CollectedServer): number {
  const x = s.surface;
  return (
    (x.tools?.length ?? 0) +
    (x.prompts?.length ?? 0) +
    (x.resources?.length ?? 0) +
    (x.resourceTemplates?.length ?? 0) +
    (x.instructions ? 1 : 0)
  );
}

/** Each item's worst severity over the benign servers, scanned one server at a time. */
function benignSeverities(servers: CollectedServer[]): {
  items: number;
  worst: Map<string, Severity>;
  by: Map<string, ScanFinding[]>;
} {
  const worst = new Map<string, Severity>();
  const by = new Map<string, ScanFinding[]>();
  let items = 0;
  for (const s of servers) {
    items += itemCount(s);
    for (const f of scanSurface(s.server, s.surface)) {
      const key = `${s.server} ${f.item}`;
      const old = worst.get(key);
      if (!old || severityAtLeast(f.severity, old)) worst.set(key, f.severity);
      by.set(key, [...(by.get(key) ?? []), f]);
    }
  }
  return { items, worst, by };
}

describe('issue 17 families', () => {
  const tuning = familyCases('tuning', 'poisoned');
  const holdout = familyCases('holdout', 'poisoned');
  const blind = familyCases('blind', 'poisoned');
  const twins = (['tuning', 'holdout', 'blind'] as const).flatMap((split) => familyCases(split, 'benign'));
  const benign = collectedServers();

  it('holds the nine families in both sets, with every placement', () => {
    const families = (cases: LabelledCase[]) => new Set(cases.map((c) => c.family));
    const nine = [
      'argument-rewrite',
      'authority-label',
      'chaining',
      'command-exec',
      'cross-server-redefine',
      'deprecation-redirect',
      'endpoint-redirect',
      'name-variant',
      'self-promotion',
    ];
    expect([...families(tuning)].sort()).toEqual(nine);
    expect([...families(holdout)].sort()).toEqual(nine);
    expect([...families(blind)].sort()).toEqual(nine);
    const placements = new Set([...tuning, ...holdout].map((c) => c.file.replace(/^.*-([a-z]+)\.json$/, '$1')));
    for (const p of ['description', 'param', 'title', 'default', 'enum', 'prompt']) expect(placements).toContain(p);
  });

  it('recall ≥ 0.90 per family on the tuning, hold-out and blind sets', () => {
    const t = printRecall('tuning set', tuning);
    const h = printRecall('hold-out set', holdout);
    const b = printRecall('blind set', blind);
    for (const cases of [tuning, holdout, blind]) {
      for (const [family, row] of recallTable(cases).rows) {
        expect(row.caught / row.total, `${family}: missed ${row.missed.join(', ')}`).toBeGreaterThanOrEqual(0.9);
      }
    }
    expect(t).toBeGreaterThanOrEqual(0.9);
    expect(h).toBeGreaterThanOrEqual(0.9);
    expect(b).toBeGreaterThanOrEqual(0.9);
  });

  it('the benign set is real and large: ≥ 40 npm servers, ≥ 1,000 tools, each with package, version and licence field', () => {
    expect(benign.length).toBeGreaterThanOrEqual(40);
    expect(benign.reduce((n, s) => n + (s.surface.tools?.length ?? 0), 0)).toBeGreaterThanOrEqual(1000);
    for (const s of benign) {
      expect(s.server).toMatch(/^(?:@[a-z0-9._-]+\/)?[a-z0-9._-]+$/);
      expect(s.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(s.license === null || s.license.length > 0).toBe(true);
    }
  });

  it('the benign twins are never flagged high', () => {
    const flagged = twins.filter((c) => findingsOf(c).some(high)).map((c) => c.file);
    expect(flagged).toEqual([]);
  });

  it('false positives on the real benign servers: ≤ 1 % high, ≤ 3 % medium', () => {
    const { items, worst, by } = benignSeverities(benign);
    const at = (s: Severity) => [...worst.entries()].filter(([, v]) => v === s).map(([k]) => k);
    const highs = at('high').concat(at('critical'));
    const mediums = at('medium');
    const tools = benign.reduce((n, s) => n + (s.surface.tools?.length ?? 0), 0);
    const show = (key: string) =>
      `    ${visible(key)}: ${(by.get(key) ?? [])
        .filter((f) => severityAtLeast(f.severity, 'medium'))
        .map((f) => `${f.rule} ${f.path} ${visible(f.message).slice(0, 100)}`)
        .join('; ')}`;
    console.log(
      [
        `benign set: ${benign.length} servers, ${tools} tools, ${items} items`,
        `  high:   ${highs.length} = ${pct(highs.length / items)}`,
        ...highs.map(show),
        `  medium: ${mediums.length} = ${pct(mediums.length / items)}`,
        ...mediums.map(show),
      ].join('\n'),
    );
    expect(highs.length / items).toBeLessThanOrEqual(0.01);
    expect(mediums.length / items).toBeLessThanOrEqual(0.03);
  });
});
