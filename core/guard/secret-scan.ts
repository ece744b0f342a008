// Secrets in flight (issue #13.4): every string of a tools/call's arguments, or of a result on its way to
// the client, is scanned for credentials (secret-rules.ts), and each hit is named by kind and location (a
// JSON pointer), never by value. The cost is bounded: at most `maxScanBytes` characters and `maxStrings`
// strings of one message are scanned; what lies beyond is counted as unscanned, so the audit says so.
// Pure: a value in, findings out.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { findSecrets } from './secret-rules.ts';

/** What the guard does with a credential it finds (the policy file's `secrets` settings). */
export type SecretAction = 'block' | 'audit' | 'off';

export interface SecretsSettings {
  /** tools/call arguments, before they are forwarded. */
  arguments: SecretAction;
  /** Tool results, resource contents and prompt messages, before the client sees them. */
  results: SecretAction;
}

export const DEFAULT_SECRETS_SETTINGS: SecretsSettings = { arguments: 'block', results: 'audit' };

export interface SecretScanBounds {
  /** Characters of one message scanned at most (strings beyond are not scanned, and are counted). */
  maxScanBytes: number;
  /** Strings of one message scanned at most. */
  maxStrings: number;
  /** Findings kept at most. */
  maxFindings: number;
}

export const DEFAULT_SECRET_SCAN_BOUNDS: SecretScanBounds = {
  maxScanBytes: 1024 * 1024,
  maxStrings: 100_000,
  maxFindings: 20,
};

export interface SecretFinding {
  kind: string;
  rule: string;
  /** JSON pointer below the scanned value (`/content`, `/items/2/text`); `` is the value itself. */
  location: string;
}

export interface SecretScan {
  findings: SecretFinding[];
  /** Characters scanned. */
  scanned: number;
  /** Characters of strings left unscanned because a bound was reached (0 when everything was scanned). */
  unscanned: number;
}

/** Strings shorter than this hold no credential any rule knows (the shortest, an AWS key id, is 20). */
const MIN_CANDIDATE = 16;

function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Strings are scanned in batches of about this many characters: the rules cost more per call than per character. */
const BATCH_CHARS = 64 * 1024;
/** Between two strings of a batch: a NUL no rule's alphabet holds, so no match spans two strings. */
const SEPARATOR = '\n\u0000\n';

interface Candidate {
  text: string;
  location: string;
  /** Walk order, so findings come out in document order whichever batch found them. */
  order: number;
}

/** The credentials in a JSON value. `_meta` (protocol metadata) is scanned like everything else. */
export function scanForSecrets(
  value: JsonValue | undefined,
  bounds: SecretScanBounds = DEFAULT_SECRET_SCAN_BOUNDS,
): SecretScan {
  const scan: SecretScan = { findings: [], scanned: 0, unscanned: 0 };
  if (value === undefined) return scan;
  const found: Array<{ order: number; finding: SecretFinding }> = [];
  const candidates: Candidate[] = [];
  let order = 0;
  /** Take a string within the bounds (a prefix of it when the byte budget runs out); false when none is left. */
  const take = (text: string): string | null => {
    const room = bounds.maxScanBytes - scan.scanned;
    if (room <= 0 || candidates.length >= bounds.maxStrings) {
      scan.unscanned += text.length;
      return null;
    }
    const part = text.length > room ? text.slice(0, room) : text;
    scan.scanned += part.length;
    scan.unscanned += text.length - part.length;
    return part;
  };
  const stack: Array<{ value: JsonValue; location: string }> = [{ value, location: '' }];
  while (stack.length > 0) {
    const { value: v, location } = stack.pop()!;
    order += 1;
    if (typeof v === 'string') {
      if (v.length < MIN_CANDIDATE) continue;
      const text = take(v);
      if (text !== null) candidates.push({ text, location, order });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i]!, location: `${location}/${i}` });
    } else if (v !== null && typeof v === 'object') {
      if (isServiceAccountKey(v)) {
        found.push({
          order,
          finding: { kind: 'a GCP service-account key', rule: 'mcp-lock/gcp-service-account', location },
        });
      }
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        // A key can hold a credential too; then no location may repeat it. Keys are scanned at once (not
        // batched), because the locations below depend on the answer.
        const text = k.length >= MIN_CANDIDATE ? take(k) : null;
        const inKey = text === null ? [] : findSecrets(text);
        if (text !== null) candidates.push({ text: '', location, order });
        for (const m of inKey)
          found.push({ order, finding: { kind: m.kind, rule: m.rule, location: `${location}/*` } });
        stack.push({ value: child, location: `${location}/${inKey.length > 0 ? '*' : pointerToken(k)}` });
      }
    }
  }
  for (const batch of batches(candidates)) {
    if (found.length >= bounds.maxFindings) break;
    const members = batch.filter((c) => c.text !== '');
    if (members.length === 0) continue;
    // One scan for the whole batch; only a batch with a finding is scanned again string by string.
    if (members.length > 1 && findSecrets(members.map((c) => c.text).join(SEPARATOR)).length === 0) continue;
    for (const c of members) {
      for (const m of findSecrets(c.text))
        found.push({ order: c.order, finding: { kind: m.kind, rule: m.rule, location: c.location } });
    }
  }
  found.sort((a, b) => a.order - b.order);
  scan.findings = found.slice(0, bounds.maxFindings).map((f) => f.finding);
  return scan;
}

function* batches(candidates: Candidate[]): Generator<Candidate[]> {
  let batch: Candidate[] = [];
  let size = 0;
  for (const c of candidates) {
    if (batch.length > 0 && size + c.text.length > BATCH_CHARS) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(c);
    size += c.text.length + SEPARATOR.length;
  }
  if (batch.length > 0) yield batch;
}

/** A service-account key file passed as an object (not as one JSON string, which secret-rules.ts reads). */
function isServiceAccountKey(v: JsonObject): boolean {
  return v.type === 'service_account' && typeof v.private_key === 'string' && typeof v.private_key_id === 'string';
}

/** "argument `/content` appears to hold a private key; argument `/token` … a GitHub token". */
export function describeFindings(findings: SecretFinding[], what: string): string {
  return findings
    .map((f) => `${what} \`${f.location === '' ? '/' : f.location}\` appears to hold ${f.kind}`)
    .join('; ');
}
