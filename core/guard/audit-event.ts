// One decision of the connect-time guard, as recorded in the audit log (one JSON object per line). The
// guard fills in what it decided and why; the log writer adds the time, the server, its pinned manifest
// and the session. Values are data (JSON-escaped), never display text.

import type { JsonValue } from '../json/strict-json.ts';

export type AuditDecision =
  | 'allowed' // forwarded after a check (a call, read or get for a pinned item)
  | 'verified' // a list page, the instructions or a re-verification matched the pins
  | 'filtered' // drifted items hidden, the rest forwarded (--on-drift filter)
  | 'blocked' // refused: the client got an error, nothing reached the server or the client
  | 'dropped' // a server message nobody asked for was discarded
  | 'stopped' // the server was stopped
  | 'reported' // noted, not enforced (e.g. allowed shadowing)
  | 'neutralized' // forwarded with hidden characters removed (a result for the model)
  | 'failed' // the guard could not check (a re-verification got an error or timed out)
  | 'asked' // a call is held until a person confirms it (elicitation sent to the client)
  | 'confirmed' // the person said yes: the held call is forwarded
  | 'declined' // the person said no, cancelled, or did not answer in time: the call was refused
  | 'paused' // `mcp-lock pause` reached this session
  | 'resumed'; // `mcp-lock resume` reached this session

export interface AuditEvent {
  event: string;
  decision: AuditDecision;
  [field: string]: JsonValue | undefined;
}
