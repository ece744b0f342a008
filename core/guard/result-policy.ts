// The runtime policy on results for the model (policy `results`): hidden characters removed, escaped or
// only reported (hiddenCharacters), and tools/call structuredContent checked against the pinned
// outputSchema (outputSchema: enforce answers with an error result naming the field, audit forwards).
// Secrets in the result are the business of call-safety.ts, asked here after neutralisation. Every change
// and every finding is audited with counts and field paths, never the text.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { visible } from '../text/hidden-chars.ts';
import { withholdSecrets } from './call-safety.ts';
import type { GuardSession, Pending } from './guard-session.ts';
import type { RawLine } from './guard-types.ts';
import { NEUTRALIZED_METHODS, neutralizeResult } from './result-filter.ts';

const DECISION = { remove: 'neutralized', escape: 'neutralized', off: 'reported' } as const;

/** A client request's result: filtered as the policy says, then forwarded (the original line if unchanged). */
export function answerResult(s: GuardSession, p: Pending, line: RawLine, result: JsonValue): void {
  const policy = (p.tool === undefined ? s.policy.settings : s.policy.forTool(p.tool)).results;
  let out = result;
  if (NEUTRALIZED_METHODS.has(p.method)) {
    const filtered = neutralizeResult(result, policy.hiddenCharacters);
    const counts = Object.entries(filtered.removed).map(([c, n]) => `${c} ×${n}`);
    if (counts.length > 0) {
      const mode = policy.hiddenCharacters;
      s.audit({
        event: 'result',
        decision: DECISION[mode],
        method: p.method,
        requestId: p.id,
        mode,
        removed: filtered.removed,
      });
      const verb =
        mode === 'remove' ? 'neutralised' : mode === 'escape' ? 'escaped' : 'found (policy: off, left as is)';
      s.notice(`${verb} hidden characters in the answer to ${p.method} (${counts.join(', ')})`);
      out = filtered.result;
    }
    // Secrets are looked for in what the client would get (call-safety.ts); a withheld result is answered.
    if (withholdSecrets(s, p, out)) return;
  }
  if (p.method === 'tools/call' && p.tool !== undefined && policy.outputSchema !== 'off') {
    const problems = s.outputs.check(p.tool, out);
    if (problems.length > 0) {
      const enforce = policy.outputSchema === 'enforce';
      const what = problems
        .map((q) => (q.field ? `structuredContent "${visible(q.field)}" ${visible(q.message)}` : visible(q.message)))
        .join('; ');
      s.audit({
        event: 'result',
        decision: enforce ? 'blocked' : 'reported',
        method: p.method,
        requestId: p.id,
        kind: 'tools',
        key: p.tool,
        reason: 'outputSchema',
        fields: problems.map((q) => ({ field: q.field, message: q.message })),
      });
      s.notice(
        `${enforce ? 'refused' : 'reported'} the result of tool "${visible(p.tool)}": it does not match its pinned outputSchema: ${what}`,
      );
      if (enforce) {
        const error: JsonObject = {
          content: [
            {
              type: 'text',
              text: `mcp-lock refused the result of tool "${visible(p.tool)}" on ${visible(s.server)}: it does not match the pinned outputSchema: ${what}`,
            },
          ],
          isError: true,
        };
        s.toClient(JSON.stringify({ jsonrpc: '2.0', id: p.id, result: error }));
        return;
      }
    }
  }
  s.toClient(out === result ? line : JSON.stringify({ jsonrpc: '2.0', id: p.id, result: out }));
}
