// MCPL037: superlative self-promotion meant to capture calls. Two parts: a claim that ranks the tool
// above others ("the best", "#1 rated", "unmatched", "the only reliable", "superior"), and an order to
// prefer it ("always prefer this one", "choose it over any other", "should be picked ahead of every other
// tool", "never use other file tools"). An order to prefer it over all other tools is enough alone; the
// claim alone is marketing; preferring it over a named sibling is the vendor's own advice.

import type { Hit, StringContext } from '../context.ts';
import { clausesOf, identifierPhrase, orderStrength, toolRefs } from '../directive.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

const CLAIM =
  /\b(?:the (?:best|finest|greatest|ultimate|most (?:accurate|reliable|powerful|advanced|complete|trusted|precise)|only (?:reliable|accurate|trusted|correct|real|good))|best[- ]in[- ]class|best|#1|number one|no\. ?1|top[- ]rated|unmatched|unrivall?ed|unbeatable|superior|world[- ]class|most accurate|most reliable|fastest|ultimate|premier|leading)\b/;
/** Calling first is line jumping (MCPL005); this rule is about being chosen over others. */
const PREFER =
  /\b(?:prefer|preferred|choose|chosen|pick|picked|select|selected|default to|favou?r|prioriti[sz]e|use|used|go with|rely on|reach for)\b/;
/** Over everything else: "over any other", "ahead of every other tool", "instead of all alternatives". */
const OVER_ALL =
  /\b(?:over|to|ahead of|instead of|rather than|above|in place of) (?:any|all|every|each)(?: (?:other|available|installed))? (?:[a-z-]{1,20} )?(?:tools?|alternatives?|options?|servers?|prompts?|functions?|ones|others)\b|\b(?:over|to|ahead of|instead of|rather than|above) anything else\b|\bover anything else\b|\bnever (?:use|call|pick|choose) (?:any )?other\b|\b(?:always|every time|whenever possible|for every (?:question|request|task))\b/;
const preferGate = prefilter(PREFER);
const overAllGate = prefilter(OVER_ALL);
const claimGate = prefilter(CLAIM);
const SELF = /\b(?:this (?:one|tool|server|prompt|function)|it|me|this)\b/;

export function selfPromotionRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const text = prepared.text;
  if (!preferGate.test(text) || !(overAllGate.test(text) || claimGate.test(text))) return [];
  const clauses = clausesOf(prepared);
  const phrase = ctx.entry.role === 'default' && identifierPhrase(ctx.entry.text) !== null;
  for (const [i, c] of clauses.entries()) {
    // The claim backs the order only next to it: a superlative 30 KB earlier is about something else.
    const claimed = clauses.slice(Math.max(0, i - 2), i + 2).some((n) => CLAIM.test(n.text));
    const prefer = PREFER.exec(c.text);
    if (!prefer || (c.negated && !/\bnever (?:use|call|pick|choose) (?:any )?other\b/.test(c.text))) continue;
    if (toolRefs(c, ctx, prepared.raw).some((r) => r.sibling)) continue;
    const overAll = OVER_ALL.exec(c.text);
    const ordered = orderStrength(c) > 0 || phrase || /\bshould be (?:picked|chosen|used|preferred)\b/.test(c.text);
    if (!overAll || !ordered) continue;
    const aimed = SELF.test(c.text) || phrase || /^(?:always )?(?:prefer|choose|pick|use)\b/.test(c.text);
    const strongOver = !/^(?:always|every time|whenever possible|for every)/.test(overAll[0]);
    if (!aimed || !(claimed || strongOver)) continue;
    const [start, end] = rawSpan(prepared, c.start, c.end);
    return [
      {
        rule: RULES.selfPromotion,
        severity: 'high',
        message: `ranks itself above other tools and orders the model to prefer it ("${c.text.slice(0, 60)}")`,
        start,
        end,
      },
    ];
  }
  return [];
}
