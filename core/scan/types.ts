// The shapes the scan produces and consumes. A finding says which rule fired, how bad this hit is, and
// exactly where: server, item ('tools/<name>', 'prompts/<name>', 'resources/<uri>',
// 'resourceTemplates/<uriTemplate>' or 'instructions'), JSON path inside the item, the raw text around
// the match (display it only through visible()), and the item's canonical digest (what suppressions bind to).

import type { Digest } from '../canonical/digest.ts';
import type { JsonObject } from '../json/strict-json.ts';
import type { Severity } from './severity.ts';

export interface ScanFinding {
  rule: string;
  severity: Severity;
  server: string;
  item: string;
  path: string;
  message: string;
  /** Raw text around the match, never displayed without visible(). */
  excerpt: string;
  digest: Digest;
}

/** What the scan reads of one server: the surface as received on the wire. */
export interface ScanSurface {
  instructions?: string | null;
  tools?: readonly JsonObject[];
  prompts?: readonly JsonObject[];
  resources?: readonly JsonObject[];
  resourceTemplates?: readonly JsonObject[];
}

/** An accepted finding, as the lock's `suppressions` records it (schemas/mcp-lock.schema.json). */
export type { Suppression } from '../generated/lockfile.ts';

export interface SuppressedFinding extends ScanFinding {
  /** The suppression that matched: same rule, server, item and item digest. */
  suppression: { reason: string };
}

/** A server the scan could not read, with the reason (reported as an info finding too). */
export interface NotScanned {
  server: string;
  reason: string;
}
