// The guard's safety checks in flight (issue #13.4 and #13.5), as the message handlers call them: a
// tools/call that passed the gate and its inputSchema is checked for its payload size, for credentials in
// its arguments (secret-scan.ts) and against the call limits (call-limits.ts) before it is forwarded; a
// result for the model is checked for credentials before the client sees it. Every decision is audited
// by kind and location only: no argument or result value ever reaches the audit log or stderr.
// The settings come from the runtime policy: `secrets` and `limits` of the tool (core/policy resolves them;
// ServerPolicy satisfies SafetyPolicy), serverCallsPerMinute from the server's own level.

import { canonicalJson, sha256Hex } from '../canonical/digest.ts';
import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { visible } from '../text/hidden-chars.ts';
import { CallLimiter, describeLimit, type LimitExceeded, type LimitSettings, payloadExceeded } from './call-limits.ts';
import type { GuardSession, Pending } from './guard-session.ts';
import { errorResponse, GUARD_RPC_ERRORS, INVALID_PARAMS, type RpcId } from './json-rpc.ts';
import {
  DEFAULT_SECRET_SCAN_BOUNDS,
  describeFindings,
  type SecretFinding,
  type SecretScanBounds,
  type SecretsSettings,
  scanForSecrets,
} from './secret-scan.ts';

/** The part of the runtime policy these checks read; the policy lane's ServerPolicy has this shape. */
export interface SafetySettings {
  secrets: SecretsSettings;
  limits: LimitSettings;
}
export interface SafetyPolicy {
  /** The server's own level (serverCallsPerMinute, and results of prompts and resources). */
  readonly settings: SafetySettings;
  forTool(tool: string): SafetySettings;
}

/** The per-session state of the checks: the call windows, and the policy they read. */
export class CallSafety {
  readonly policy: SafetyPolicy;
  readonly limiter: CallLimiter;
  readonly bounds: SecretScanBounds;

  constructor(policy: SafetyPolicy, now: () => number, bounds: Partial<SecretScanBounds> = {}) {
    this.policy = policy;
    this.limiter = new CallLimiter(now);
    this.bounds = { ...DEFAULT_SECRET_SCAN_BOUNDS, ...bounds };
  }
}

function argumentDigest(args: JsonValue | undefined): string {
  const value = args ?? {};
  try {
    return sha256Hex(canonicalJson(value));
  } catch {
    // Not canonicalizable (a number JCS cannot write): the serialized form still tells repeats apart.
    return sha256Hex(JSON.stringify(value));
  }
}

function findingsData(findings: SecretFinding[]): JsonObject[] {
  return findings.map((f) => ({ kind: f.kind, rule: f.rule, location: f.location }));
}

/**
 * A tools/call about to be forwarded. True: forward it. False: the client has been answered (refused),
 * or the session was stopped.
 */
export function screenToolCall(s: GuardSession, id: RpcId, tool: string, args: JsonValue | undefined): boolean {
  const settings = s.safety.policy.forTool(tool);
  const limits: LimitSettings = {
    ...settings.limits,
    serverCallsPerMinute: s.safety.policy.settings.limits.serverCallsPerMinute,
  };
  // Measured before the scan: an oversized payload is refused without spending CPU on it.
  const bytes = args === undefined ? 0 : Buffer.byteLength(JSON.stringify(args), 'utf8');
  const tooLarge = payloadExceeded(bytes, limits);
  if (tooLarge) return refuseForLimit(s, id, tool, limits, tooLarge);
  if (settings.secrets.arguments !== 'off') {
    // Arguments are scanned whole: maxArgumentBytes has bounded them already, and a credential past a
    // scan bound would otherwise be sent.
    const bounds = {
      ...s.safety.bounds,
      maxScanBytes: Math.max(s.safety.bounds.maxScanBytes, limits.maxArgumentBytes),
    };
    const scan = scanForSecrets(args, bounds);
    if (scan.unscanned > 0 && settings.secrets.arguments === 'block') {
      // Only a call with more strings than maxStrings gets here: refused, since it cannot be checked.
      return refuseForLimit(s, id, tool, limits, {
        limit: 'secretScan',
        max: bounds.maxStrings,
        bytes: scan.unscanned,
      });
    }
    if (scan.unscanned > 0) {
      s.audit({
        event: 'secret-scan',
        decision: 'reported',
        method: 'tools/call',
        key: tool,
        scanned: scan.scanned,
        unscanned: scan.unscanned,
      });
    }
    if (scan.findings.length > 0) {
      const blocked = settings.secrets.arguments === 'block';
      const what = describeFindings(scan.findings, 'argument');
      s.audit({
        event: 'secret',
        decision: blocked ? 'blocked' : 'reported',
        method: 'tools/call',
        kind: 'tools',
        key: tool,
        direction: 'arguments',
        reason: `tools/call "${tool}" ${what}`,
        findings: findingsData(scan.findings),
      });
      s.notice(`${blocked ? 'BLOCKED' : 'noticed'} tools/call "${visible(tool)}": ${visible(what)}`);
      if (blocked) {
        s.toClient(
          errorResponse(
            id,
            INVALID_PARAMS,
            `mcp-lock refused tools/call "${visible(tool)}" on ${visible(s.server)}: ${visible(what)}. ` +
              'Credentials are not sent to tools (policy secrets.arguments: block).',
            { code: 'SECRET_DETECTED', server: s.server, tool, findings: findingsData(scan.findings) },
          ),
        );
        return false;
      }
    }
  }
  const exceeded = s.safety.limiter.admit({ tool, argumentDigest: argumentDigest(args) }, limits);
  if (exceeded) return refuseForLimit(s, id, tool, limits, exceeded);
  return true;
}

function refuseForLimit(
  s: GuardSession,
  id: RpcId,
  tool: string,
  limits: LimitSettings,
  exceeded: LimitExceeded,
): false {
  const why = describeLimit(exceeded, visible(tool));
  const stopping = limits.onExceed === 'stop-session';
  const windowed = exceeded.windowSeconds !== undefined;
  const code = windowed ? 'RATE_LIMITED' : 'LIMIT_EXCEEDED';
  s.audit({
    event: 'limit',
    decision: 'blocked',
    method: 'tools/call',
    kind: 'tools',
    key: tool,
    code,
    ...exceeded,
    onExceed: limits.onExceed,
  });
  s.notice(`BLOCKED tools/call "${visible(tool)}": ${why}${stopping ? '; stopping the server' : ''}`);
  s.toClient(
    errorResponse(
      id,
      GUARD_RPC_ERRORS.callLimit,
      `mcp-lock refused tools/call "${visible(tool)}" on ${visible(s.server)}: ${why}.` +
        (stopping ? ' The server was stopped (policy limits.onExceed: stop-session).' : ''),
      { code, server: s.server, tool, ...exceeded },
    ),
  );
  if (stopping) s.stop(code, why);
  return false;
}

/**
 * A result for the model (tools/call, resources/read, prompts/get), after neutralisation. True: the client
 * has been answered here (the result was withheld). False: forward it as the caller would.
 */
export function withholdSecrets(s: GuardSession, p: Pending, result: JsonValue): boolean {
  const settings = p.tool === undefined ? s.safety.policy.settings : s.safety.policy.forTool(p.tool);
  const action = settings.secrets.results;
  if (action === 'off') return false;
  const scan = scanForSecrets(result, s.safety.bounds);
  const where = p.tool === undefined ? {} : { kind: 'tools', key: p.tool };
  if (scan.unscanned > 0) {
    s.audit({
      event: 'secret-scan',
      decision: 'reported',
      method: p.method,
      requestId: p.id,
      ...where,
      scanned: scan.scanned,
      unscanned: scan.unscanned,
    });
  }
  if (scan.findings.length === 0) return false;
  const blocked = action === 'block';
  const what = describeFindings(scan.findings, 'result');
  const subject = p.tool === undefined ? p.method : `tools/call "${visible(p.tool)}"`;
  s.audit({
    event: 'secret',
    decision: blocked ? 'blocked' : 'reported',
    method: p.method,
    requestId: p.id,
    ...where,
    direction: 'result',
    reason: `${p.tool === undefined ? p.method : `tools/call "${p.tool}"`} ${what}`,
    findings: findingsData(scan.findings),
  });
  s.notice(`${blocked ? 'WITHHELD the answer to' : 'noticed in the answer to'} ${subject}: ${visible(what)}`);
  if (!blocked) return false;
  const message =
    `mcp-lock withheld the answer of ${visible(s.server)} to ${subject}: ${visible(what)} ` +
    '(policy secrets.results: block).';
  if (p.tool !== undefined) {
    // A tool's failure is a result the model can read (isError), as MCP reports tool errors.
    const withheld = { content: [{ type: 'text', text: message }], isError: true };
    s.toClient(JSON.stringify({ jsonrpc: '2.0', id: p.id, result: withheld }));
  } else {
    s.toClient(
      errorResponse(p.id, GUARD_RPC_ERRORS.secret, message, {
        code: 'SECRET_DETECTED',
        server: s.server,
        findings: findingsData(scan.findings),
      }),
    );
  }
  return true;
}
