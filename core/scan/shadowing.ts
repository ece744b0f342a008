// Cross-server shadowing, for `scan`, `add` (a new server against the locked ones) and `run` (every
// server a client sees). Four findings: the same tool name on two servers (high: blocks by default),
// names that differ only in case or punctuation (medium), a look-alike name (same skeleton after NFKC,
// case folding and confusable letters: high), and a description that names another server's tool
// (medium; high when it also changes how that tool is used). One server listing a name twice is not
// shadowing (pinning refuses that on its own).

import { canonicalDigest, type Digest } from '../canonical/digest.ts';
import { formatPath, type JsonObject } from '../json/strict-json.ts';
import { foldName, nameSkeleton } from './confusables.ts';
import { compareFindings } from './order.ts';
import { excerptAround, prepareText } from './prepared-text.ts';
import { execAll } from './regex.ts';
import { RULES } from './rules.ts';
import { sentenceAt } from './sentences.ts';
import type { ScanFinding } from './types.ts';
import { walkStrings } from './walk.ts';

export interface ShadowingServer {
  name: string;
  /** Tool definitions as received (manifest `surface.tools[].definition` works as is). */
  tools: readonly { readonly [key: string]: unknown }[];
}

/** Rules whose findings block by default (add refuses, run blocks) unless suppressed. */
export const BLOCKING_SHADOW_RULES: ReadonlySet<string> = new Set([RULES.shadowExact.id]);

interface Entry {
  server: string;
  name: string;
  definition: JsonObject;
  digest: Digest;
}

const REDIRECT_CUE =
  /\b(?:behaves|works differently|requires?|now|treat(?:ed)?|configured|redefines?|must|has to|have to|always|instead|redirect(?:ed)?|replace|addressed|recipients?|bcc|cc|forward|relay|route|rewrite|never|deprecated|outdated|stale|broken|when|whenever|before|after)\b/;

/** Names worth looking for in prose: identifier-like, not plain English words. */
function mentionable(name: string): boolean {
  return name.length >= 4 && name.length <= 128 && (/[_.-]/.test(name) || /[a-z][A-Z]/.test(name));
}

function digestOf(definition: JsonObject): Digest {
  return canonicalDigest(definition);
}

function finding(
  e: Entry,
  rule: (typeof RULES)[keyof typeof RULES],
  severity: ScanFinding['severity'],
  path: string,
  message: string,
  excerpt: string,
): ScanFinding {
  return {
    rule: rule.id,
    severity,
    server: e.server,
    item: `tools/${e.name}`,
    path,
    message,
    excerpt,
    digest: e.digest,
  };
}

const servers_ = (list: Entry[]) => new Set(list.map((o) => o.server));

const quote = (names: Iterable<string>) => [...names].map((n) => `"${n}"`).join(', ');

/** A finding with the servers on the other side of it (for shadowingOf). */
interface Related {
  finding: ScanFinding;
  others: Set<string>;
}

export function detectShadowing(servers: readonly ShadowingServer[], maxGroup = 200): ScanFinding[] {
  return detect(servers, maxGroup).map((r) => r.finding);
}

/**
 * The shadowing that involves one server (a candidate for `add`, or the server `run` guards): findings on
 * its tools, and findings on other servers' tools whose counterpart is it. Shadowing among the other
 * servers alone is left out (it was reported when they were pinned).
 */
export function shadowingOf(server: string, servers: readonly ShadowingServer[], maxGroup = 200): ScanFinding[] {
  return detect(servers, maxGroup)
    .filter((r) => r.finding.server === server || r.others.has(server))
    .map((r) => r.finding);
}

function detect(servers: readonly ShadowingServer[], maxGroup: number): Related[] {
  const entries: Entry[] = [];
  for (const server of servers) {
    for (const raw of server.tools) {
      const definition = raw as JsonObject;
      const name = definition.name;
      if (typeof name !== 'string' || name.length === 0) continue;
      entries.push({ server: server.name, name, definition, digest: digestOf(definition) });
    }
  }
  const out: Related[] = [];

  const bySkeleton = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = nameSkeleton(e.name);
    const group = bySkeleton.get(key);
    if (group) group.push(e);
    else bySkeleton.set(key, [e]);
  }
  for (const group of bySkeleton.values()) {
    if (new Set(group.map((e) => e.server)).size < 2) continue;
    for (const e of group.slice(0, maxGroup)) {
      const others = group.filter((o) => o.server !== e.server);
      const exact = others.filter((o) => o.name === e.name);
      const variant = others.filter((o) => o.name !== e.name && foldName(o.name) === foldName(e.name));
      const lookalike = others.filter((o) => foldName(o.name) !== foldName(e.name));
      const where = (list: Entry[]) => quote(new Set(list.map((o) => `${o.server}: ${o.name}`)));
      if (exact.length > 0) {
        out.push({
          others: servers_(exact),
          finding: finding(
            e,
            RULES.shadowExact,
            'high',
            '$.name',
            `another server exposes a tool with the same name (${where(exact)})`,
            e.name,
          ),
        });
      }
      if (variant.length > 0) {
        out.push({
          others: servers_(variant),
          finding: finding(
            e,
            RULES.shadowVariant,
            'high',
            '$.name',
            `differs only in case or punctuation from ${where(variant)}`,
            e.name,
          ),
        });
      }
      if (lookalike.length > 0) {
        out.push({
          others: servers_(lookalike),
          finding: finding(
            e,
            RULES.shadowConfusable,
            'high',
            '$.name',
            `looks like another server's tool (${where(lookalike)})`,
            e.name,
          ),
        });
      }
    }
  }

  const owners = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!mentionable(e.name)) continue;
    const key = e.name.toLowerCase();
    const set = owners.get(key) ?? new Set<string>();
    set.add(e.server);
    owners.set(key, set);
  }
  if (owners.size > 0) {
    const ownNames = new Map<string, Set<string>>();
    for (const e of entries) {
      const set = ownNames.get(e.server) ?? new Set<string>();
      set.add(e.name.toLowerCase());
      ownNames.set(e.server, set);
    }
    for (const e of entries) {
      const mine = ownNames.get(e.server)!;
      const reported = new Set<string>();
      for (const s of walkStrings(e.definition)) {
        if (
          s.role === 'key' ||
          s.role === 'property-name' ||
          s.role === 'name' ||
          s.role === 'ref' ||
          s.role === 'schema-uri'
        )
          continue;
        const prepared = prepareText(s.text);
        for (const m of execAll(/[a-z0-9][a-z0-9_.-]{2,127}/g, prepared.text)) {
          const token = m[0].replace(/[.-]+$/, '');
          const servers = owners.get(token);
          if (!servers || mine.has(token) || reported.has(token)) continue;
          const foreign = [...servers].filter((x) => x !== e.server);
          if (foreign.length === 0) continue;
          reported.add(token);
          const [ss, se] = sentenceAt(prepared.text, m.index);
          const redirect = REDIRECT_CUE.test(prepared.text.slice(ss, se));
          const start = prepared.origin[m.index] ?? 0;
          out.push({
            others: new Set(foreign),
            finding: finding(
              e,
              RULES.shadowMention,
              redirect ? 'high' : 'medium',
              formatPath(s.path),
              `${redirect ? 'names and steers' : 'names'} the tool "${token}" of ${quote(foreign)}`,
              excerptAround(s.text, start, start + token.length),
            ),
          });
        }
      }
    }
  }
  return out.sort((a, b) => compareFindings(a.finding, b.finding));
}
