// The embedded store's in-memory index of version records, so that a list, a search or a deep keyset page
// does not scan every version. Records are kept in sorted lists per status (and per status of latest
// versions), in name-then-version order: a page starts by binary search at its cursor and merges those
// lists, so the last page costs what the first does. Search is a trigram index over the distinct search
// texts (many versions of a server share one description): the rarest trigram of the query names a few
// texts, each checked by substring, and their records are sorted; a common query scans the merged lists
// in order and stops at the page's end. `updatedSince` uses a list sorted by update time the same way.
// Records are never removed (published versions are immutable; curation replaces a record).

import type { VersionQuery } from '../../core/registry/ports.ts';
import { compareKeys, type VersionRecord } from '../../core/registry/records.ts';

/** Candidate sets up to this many records are filtered and sorted; larger ones are scanned in order. */
const CANDIDATE_MAX = 4096;
/** Texts checked by substring for one search before it falls back to an ordered scan. */
const TEXT_CHECK_MAX = 20_000;

/** An array kept sorted by `compare`: binary search, splice on insert and remove. */
export class SortedList<T> {
  readonly items: T[] = [];
  private readonly compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    this.compare = compare;
  }

  /** The first index whose item is greater than `probe` (or ≥ when `inclusive`). */
  bound(probe: T, inclusive = false): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(this.items[mid]!, probe);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(item: T): void {
    this.items.splice(this.bound(item, true), 0, item);
  }

  remove(item: T): void {
    const at = this.bound(item, true);
    if (at < this.items.length && this.compare(this.items[at]!, item) === 0) this.items.splice(at, 1);
  }

  /** Load many items at once: one sort instead of a splice each. */
  bulk(items: readonly T[]): void {
    this.items.push(...items);
    this.items.sort(this.compare);
  }
}

interface Entry {
  record: VersionRecord;
  text: number;
}

const key = (name: string, version: string) => `${name}\n${version}`;
const byKey = (a: Entry, b: Entry) => compareKeys(a.record, b.record);
const byUpdate = (a: Entry, b: Entry) =>
  a.record.updatedAt < b.record.updatedAt ? -1 : a.record.updatedAt > b.record.updatedAt ? 1 : byKey(a, b);
const partitionOf = (r: VersionRecord) => (r.isLatest ? `${r.status}\tlatest` : r.status);

function searchText(r: VersionRecord): string {
  return `${r.name}\n${r.server.description}\n${r.server.title ?? ''}`.toLowerCase();
}

function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i++) out.add(text.slice(i, i + 3));
  return out;
}

export interface IndexLimits {
  candidateMax: number;
  textCheckMax: number;
}

export class VersionIndex {
  private readonly limits: IndexLimits;
  private readonly entries = new Map<string, Entry>();
  private readonly names = new Map<string, Map<string, Entry>>();
  /** Per status (`approved`) and per status of latest versions (`approved\tlatest`). */
  private readonly partitions = new Map<string, SortedList<Entry>>();
  private readonly updates = new SortedList<Entry>(byUpdate);
  private readonly texts: string[] = [];
  private readonly textIds = new Map<string, number>();
  /** Records per text id. */
  private readonly textEntries: Entry[][] = [];
  /** Trigram → ascending text ids. */
  private readonly grams = new Map<string, number[]>();

  constructor(limits: IndexLimits = { candidateMax: CANDIDATE_MAX, textCheckMax: TEXT_CHECK_MAX }) {
    this.limits = limits;
  }

  get size(): number {
    return this.entries.size;
  }

  get(name: string, version: string): VersionRecord | undefined {
    return this.entries.get(key(name, version))?.record;
  }

  versionsOf(name: string): VersionRecord[] {
    return [...(this.names.get(name)?.values() ?? [])].map((e) => e.record).sort(compareKeys);
  }

  serverNames(): string[] {
    return [...this.names.keys()].sort();
  }

  /** Every record in name-then-version order. */
  all(): VersionRecord[] {
    return [...this.entries.values()].map((e) => e.record).sort(compareKeys);
  }

  private partition(name: string): SortedList<Entry> {
    const list = this.partitions.get(name) ?? new SortedList<Entry>(byKey);
    this.partitions.set(name, list);
    return list;
  }

  private textId(r: VersionRecord): number {
    const text = searchText(r);
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.texts.push(text) - 1;
      this.textIds.set(text, id);
      this.textEntries.push([]);
      for (const g of trigrams(text)) {
        const list = this.grams.get(g);
        if (list) list.push(id);
        else this.grams.set(g, [id]);
      }
    }
    return id;
  }

  private add(record: VersionRecord): Entry {
    const entry: Entry = { record, text: this.textId(record) };
    this.entries.set(key(record.name, record.version), entry);
    const versions = this.names.get(record.name) ?? new Map<string, Entry>();
    this.names.set(record.name, versions);
    versions.set(record.version, entry);
    this.textEntries[entry.text]!.push(entry);
    return entry;
  }

  /** Insert or replace one record. */
  put(record: VersionRecord): void {
    const old = this.entries.get(key(record.name, record.version));
    if (old) {
      this.partition(partitionOf(old.record)).remove(old);
      this.updates.remove(old);
      old.record = record;
      // A published server part never changes; should a record's text change anyway, it moves texts.
      const text = this.textId(record);
      if (text !== old.text) {
        const list = this.textEntries[old.text]!;
        list.splice(list.indexOf(old), 1);
        this.textEntries[text]!.push(old);
        old.text = text;
      }
      this.partition(partitionOf(record)).insert(old);
      this.updates.insert(old);
      return;
    }
    const entry = this.add(record);
    this.partition(partitionOf(record)).insert(entry);
    this.updates.insert(entry);
  }

  /** Load records into an empty index (start-up): sorts once per list. */
  load(records: Iterable<VersionRecord>): void {
    const groups = new Map<string, Entry[]>();
    const all: Entry[] = [];
    for (const r of records) {
      const entry = this.add(r);
      all.push(entry);
      const p = partitionOf(r);
      groups.get(p)?.push(entry) ?? groups.set(p, [entry]);
    }
    for (const [p, list] of groups) this.partition(p).bulk(list);
    this.updates.bulk(all);
  }

  query(q: VersionQuery): VersionRecord[] {
    if (q.limit <= 0) return [];
    const search = q.search?.toLowerCase();
    const candidates = this.candidates(q, search);
    const keep = (e: Entry) => matches(e, q, search, this.texts);
    if (candidates) {
      return candidates
        .filter(keep)
        .sort(byKey)
        .slice(0, q.limit)
        .map((e) => e.record);
    }
    const out: VersionRecord[] = [];
    for (const e of this.ordered(q)) {
      if (!keep(e)) continue;
      out.push(e.record);
      if (out.length >= q.limit) break;
    }
    return out;
  }

  /** A small set of entries that holds every match, when an index finds one; undefined: scan in order. */
  private candidates(q: VersionQuery, search: string | undefined): Entry[] | undefined {
    if (q.names) {
      return q.names.flatMap((n) => [...(this.names.get(n)?.values() ?? [])]);
    }
    let best: Entry[] | undefined;
    if (q.updatedSince !== undefined) {
      const probe = { record: { updatedAt: q.updatedSince, name: '\u{10FFFF}', version: '' } } as Entry;
      const from = this.updates.bound(probe);
      if (this.updates.items.length - from <= this.limits.candidateMax) best = this.updates.items.slice(from);
    }
    if (search !== undefined && search.length >= 3 && !best) {
      let rarest: number[] | undefined;
      for (const g of trigrams(search)) {
        const list = this.grams.get(g);
        if (!list) return [];
        if (!rarest || list.length < rarest.length) rarest = list;
      }
      if (rarest!.length <= this.limits.textCheckMax) {
        const found: Entry[] = [];
        for (const id of rarest!) {
          if (!this.texts[id]!.includes(search)) continue;
          found.push(...this.textEntries[id]!);
          if (found.length > this.limits.candidateMax) return undefined;
        }
        best = found;
      }
    }
    return best;
  }

  /** Entries of the query's statuses after its cursor, in name-then-version order (a k-way merge). */
  private *ordered(q: VersionQuery): Generator<Entry> {
    const latest = q.version !== undefined && 'latest' in q.version;
    const lists = q.statuses
      .map((s) => this.partitions.get(latest ? `${s}\tlatest` : s))
      .filter((l): l is SortedList<Entry> => l !== undefined);
    // Without `latest`, the latest versions are in their own lists too.
    if (!latest) {
      for (const s of q.statuses) {
        const l = this.partitions.get(`${s}\tlatest`);
        if (l) lists.push(l);
      }
    }
    const probe = q.after ? ({ record: q.after } as Entry) : undefined;
    const at = lists.map((l) => (probe ? l.bound(probe) : 0));
    for (;;) {
      let pick = -1;
      for (let i = 0; i < lists.length; i++) {
        const head = lists[i]!.items[at[i]!];
        if (head && (pick < 0 || byKey(head, lists[pick]!.items[at[pick]!]!) < 0)) pick = i;
      }
      if (pick < 0) return;
      yield lists[pick]!.items[at[pick]!++]!;
    }
  }
}

function matches(e: Entry, q: VersionQuery, search: string | undefined, texts: readonly string[]): boolean {
  const r = e.record;
  if (q.after && compareKeys(r, q.after) <= 0) return false;
  if (!q.statuses.includes(r.status)) return false;
  if (q.names && !q.names.includes(r.name)) return false;
  if (q.version && ('latest' in q.version ? !r.isLatest : r.version !== q.version.exact)) return false;
  if (q.updatedSince !== undefined && !(r.updatedAt > q.updatedSince)) return false;
  if (search !== undefined && !texts[e.text]!.includes(search)) return false;
  return true;
}

/** Whether one record matches a query (for records not in an index, e.g. a transaction's own writes). */
export function recordMatches(r: VersionRecord, q: VersionQuery): boolean {
  const search = q.search?.toLowerCase();
  return matches({ record: r, text: 0 }, q, search, search === undefined ? [] : [searchText(r)]);
}
