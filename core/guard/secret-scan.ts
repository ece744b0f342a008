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
  maxStrings: 20_000,
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

/** The credentials in a JSON value. `_meta` (protocol metadata) is scanned like everything else. */
export function scanForSecrets(
  value: JsonValue | undefined,
  bounds: SecretScanBounds = DEFAULT_SECRET_SCAN_BOUNDS,
): SecretScan {
  const scan: SecretScan = { findings: [], scanned: 0, unscanned: 0 };
  if (value === undefined) return scan;
  let strings = 0;
  const stack: Array<{ value: JsonValue; location: string }> = [{ value, location: '' }];
  while (stack.length > 0) {
    const { value: v, location } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.length < MIN_CANDIDATE) continue;
      const room = bounds.maxScanBytes - scan.scanned;
      if (room <= 0 || strings >= bounds.maxStrings || scan.findings.length >= bounds.maxFindings) {
        scan.unscanned += v.length;
        continue;
      }
      strings += 1;
      const text = v.length > room ? v.slice(0, room) : v;
      scan.scanned += text.length;
      scan.unscanned += v.length - text.length;
      for (const m of findSecrets(text)) {
        if (scan.findings.length >= bounds.maxFindings) break;
        scan.findings.push({ kind: m.kind, rule: m.rule, location });
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i]!, location: `${location}/${i}` });
    } else if (v !== null && typeof v === 'object') {
      if (isServiceAccountKey(v) && scan.findings.length < bounds.maxFindings) {
        scan.findings.push({ kind: 'a GCP service-account key', rule: 'mcp-lock/gcp-service-account', location });
      }
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        // A key can hold a credential too; then the location must not repeat it.
        let inKey: ReturnType<typeof findSecrets> = [];
        if (k.length >= MIN_CANDIDATE && scan.findings.length < bounds.maxFindings) {
          if (scan.scanned + k.length <= bounds.maxScanBytes) {
            scan.scanned += k.length;
            inKey = findSecrets(k);
          } else scan.unscanned += k.length;
        }
        const token = inKey.length > 0 ? '*' : pointerToken(k);
        for (const m of inKey) scan.findings.push({ kind: m.kind, rule: m.rule, location: `${location}/*` });
        stack.push({ value: child, location: `${location}/${token}` });
      }
    }
  }
  return scan;
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
