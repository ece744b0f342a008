// What `mcp-lock audit` reports about an audit log: the calls by tool, the calls the guard refused (by
// reason code), spikes (minutes with more calls than a threshold), large outbound payloads, and secrets
// flagged (their kind and location only: the log never holds a value). Records go in one at a time, as
// the reader streams the file, and every table is bounded, so a log of any length summarises in constant
// memory. Records are untrusted data: every field is type-checked before it is counted, and text is cut
// to a bounded length (escaping it for display is the face's job). Pure.

export interface AuditSummaryOptions {
  /** A minute with more tools/call than this is a spike. */
  spikeCallsPerMinute: number;
  /** A call whose request is at least this many bytes is a large outbound payload. */
  largeRequestBytes: number;
  /** Rows per table. */
  top: number;
}

export const DEFAULT_AUDIT_SUMMARY_OPTIONS: AuditSummaryOptions = {
  spikeCallsPerMinute: 120,
  largeRequestBytes: 1024 * 1024,
  top: 10,
};

export interface ToolRow {
  tool: string;
  calls: number;
  blocked: number;
  failed: number;
  /** Median and largest duration of the calls that were answered, in ms (null without durations). */
  medianMs: number | null;
  maxMs: number | null;
}

export interface AuditSummary {
  records: number;
  sessions: number;
  servers: string[];
  from: string | null;
  to: string | null;
  calls: { total: number; allowed: number; blocked: number };
  tools: ToolRow[];
  blockedCalls: { code: string; reason: string; count: number }[];
  /** Other refusals and stops (lists, handshakes, responses, limits), by event and code. */
  otherBlocked: { event: string; code: string; count: number }[];
  spikes: { minute: string; calls: number; topTool: string }[];
  largePayloads: { time: string | null; tool: string; requestBytes: number; decision: string }[];
  secrets: { kind: string; location: string; tool: string; direction: string; decision: string; count: number }[];
}

/** Distinct keys kept per table; more are counted under OTHER. */
const MAX_KEYS = 10_000;
/** Distinct minutes kept for spike detection (about a week of minutes). */
const MAX_MINUTES = 10_080;
/** Durations kept per tool for the median (a reservoir would be fairer; the first ones are enough here). */
const MAX_DURATIONS = 2_000;
const MAX_TEXT = 200;
const OTHER = '(other)';
const MINUTE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):\d{2}(?:\.\d+)?Z$/;

type Rec = Record<string, unknown>;

function text(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fallback;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** A map that stops growing at MAX_KEYS: new keys after that are counted under OTHER. */
function bump<V>(map: Map<string, V>, key: string, make: () => V, max = MAX_KEYS): V {
  let v = map.get(key);
  if (v === undefined) {
    const k = map.size >= max ? OTHER : key;
    v = map.get(k);
    if (v === undefined) {
      v = make();
      map.set(k, v);
    }
  }
  return v;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface ToolStats {
  calls: number;
  blocked: number;
  failed: number;
  durations: number[];
  max: number | null;
}

export class AuditSummarizer {
  private readonly options: AuditSummaryOptions;
  private records = 0;
  private readonly sessions = new Set<string>();
  private readonly servers = new Set<string>();
  private from: string | null = null;
  private to: string | null = null;
  private allowed = 0;
  private blocked = 0;
  private readonly tools = new Map<string, ToolStats>();
  private readonly blockedCalls = new Map<string, { code: string; reason: string; count: number }>();
  private readonly otherBlocked = new Map<string, { event: string; code: string; count: number }>();
  private readonly minutes = new Map<string, { calls: number; tools: Map<string, number> }>();
  private large: { time: string | null; tool: string; requestBytes: number; decision: string }[] = [];
  private readonly secrets = new Map<
    string,
    { kind: string; location: string; tool: string; direction: string; decision: string; count: number }
  >();

  constructor(options: Partial<AuditSummaryOptions> = {}) {
    this.options = { ...DEFAULT_AUDIT_SUMMARY_OPTIONS, ...options };
  }

  add(record: Rec): void {
    this.records += 1;
    const time = typeof record.time === 'string' && MINUTE.test(record.time) ? record.time : null;
    if (time !== null) {
      if (this.from === null || time < this.from) this.from = time;
      if (this.to === null || time > this.to) this.to = time;
    }
    if (typeof record.session === 'string' && this.sessions.size < MAX_KEYS) this.sessions.add(record.session);
    if (typeof record.server === 'string' && this.servers.size < 100) this.servers.add(text(record.server));
    const event = text(record.event, '(none)');
    const decision = text(record.decision, '(none)');
    if (event === 'call') this.call(record, time, decision);
    else if (event === 'secret') this.secret(record, decision);
    else if ((decision === 'blocked' || decision === 'stopped') && event !== 'session-end') {
      // A refused or withheld tools/call has its own call record (with the reason): not counted twice.
      if (record.method === 'tools/call') return;
      const code = text(record.code ?? record.status, decision);
      bump(this.otherBlocked, `${event}\u0000${code}`, () => ({ event, code, count: 0 })).count += 1;
    }
  }

  private call(record: Rec, time: string | null, decision: string): void {
    const tool = text(record.tool, '(no name)');
    const stats = bump(this.tools, tool, () => ({ calls: 0, blocked: 0, failed: 0, durations: [], max: null }));
    stats.calls += 1;
    if (decision === 'blocked') {
      this.blocked += 1;
      stats.blocked += 1;
      const code = text(record.code, 'BLOCKED');
      const reason = text(record.reason ?? record.outcome);
      bump(this.blockedCalls, `${code}\u0000${reason}`, () => ({ code, reason, count: 0 })).count += 1;
    } else {
      this.allowed += 1;
      if (record.outcome !== 'result') stats.failed += 1;
      const ms = count(record.durationMs);
      if (ms !== null) {
        if (stats.durations.length < MAX_DURATIONS) stats.durations.push(ms);
        stats.max = stats.max === null ? ms : Math.max(stats.max, ms);
      }
    }
    if (time !== null) {
      const m = MINUTE.exec(time)![1]!;
      const minute = bump(this.minutes, m, () => ({ calls: 0, tools: new Map<string, number>() }), MAX_MINUTES);
      minute.calls += 1;
      if (minute.tools.size < 100 || minute.tools.has(tool)) minute.tools.set(tool, (minute.tools.get(tool) ?? 0) + 1);
    }
    const bytes = count(record.requestBytes);
    if (bytes !== null && bytes >= this.options.largeRequestBytes) {
      this.large.push({ time, tool, requestBytes: bytes, decision });
      // Keep the largest few: sort and cut only when the list has doubled.
      if (this.large.length > this.options.top * 2) this.large = this.largest();
    }
  }

  /** A `secret` record (call-safety.ts): `findings` of {kind, rule, location}, the tool as `key`. */
  private secret(record: Rec, decision: string): void {
    const tool = text(record.tool ?? record.key);
    const direction = text(record.direction);
    const findings = Array.isArray(record.findings) ? record.findings.slice(0, 1000) : [record];
    for (const f of findings) {
      if (f === null || typeof f !== 'object') continue;
      const finding = f as Rec;
      const kind = text(finding.kind ?? finding.rule, '(unknown kind)');
      const location = text(finding.location ?? finding.pointer ?? finding.path);
      bump(this.secrets, [kind, location, tool, direction, decision].join('\u0000'), () => ({
        kind,
        location,
        tool,
        direction,
        decision,
        count: 0,
      })).count += 1;
    }
  }

  private largest() {
    return [...this.large].sort((a, b) => b.requestBytes - a.requestBytes).slice(0, this.options.top);
  }

  result(): AuditSummary {
    const top = this.options.top;
    const byCount = <T extends { count: number }>(rows: Iterable<T>) =>
      [...rows].sort((a, b) => b.count - a.count).slice(0, top);
    const spikes = [...this.minutes]
      .filter(([, m]) => m.calls > this.options.spikeCallsPerMinute)
      .map(([minute, m]) => ({
        minute,
        calls: m.calls,
        topTool: [...m.tools].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
      }))
      .sort((a, b) => b.calls - a.calls || a.minute.localeCompare(b.minute))
      .slice(0, top);
    return {
      records: this.records,
      sessions: this.sessions.size,
      servers: [...this.servers].sort(),
      from: this.from,
      to: this.to,
      calls: { total: this.allowed + this.blocked, allowed: this.allowed, blocked: this.blocked },
      tools: [...this.tools]
        .map(([tool, s]) => ({
          tool,
          calls: s.calls,
          blocked: s.blocked,
          failed: s.failed,
          medianMs: median(s.durations),
          maxMs: s.max,
        }))
        .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool))
        .slice(0, top),
      blockedCalls: byCount(this.blockedCalls.values()),
      otherBlocked: byCount(this.otherBlocked.values()),
      spikes,
      largePayloads: this.largest(),
      secrets: byCount(this.secrets.values()),
    };
  }
}
