// MCPL033: a deprecation notice that redirects. The item says it is deprecated (obsolete, retired,
// sunset, replaced, no longer maintained) and sends its calls to a tool this server does not list. A
// sibling as the replacement ("Deprecated: use search_v2") is an honest notice; a deprecated field or
// parameter ("the legacy `email` field is deprecated") is schema documentation.

import type { Hit, StringContext } from '../context.ts';
import { clausesOf, identifierPhrase, toolRefs } from '../directive.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

const RETIRED =
  /\b(?:deprecated|obsolete|retired|sunset|sunsetted|discontinued|superseded|legacy|outdated|end[- ]of[- ]life|no longer (?:maintained|supported|available|in use|works|working|recommended|valid))\b|\bhas been (?:replaced|removed|retired|moved)\b/;
const retiredGate = prefilter(RETIRED);
/** What is retired: a field, option or value is schema documentation, not the tool. */
const PART_RETIRED =
  /\b(?:field|parameter|param|argument|option|property|flag|value|attribute|key|format|response|version of the api|api version)s?\b[^.;]{0,20}\b(?:is|are|was|has been)? ?(?:deprecated|obsolete|legacy|retired)|\b(?:deprecated|legacy|obsolete) (?:field|parameter|param|argument|option|property|flag|value|attribute|key)s?\b/;
const REDIRECT =
  /\b(?:use|call|invoke|switch to|redirect(?:ed)?(?: [a-z]{1,12}){0,3} to|route(?:d)?(?: [a-z]{1,12}){0,3} (?:through|to|via)|go(?:es)? to|migrate to|move to|superseded by|replaced by|in favou?r of|successor is|instead use|send (?:it|them|requests|calls) to|(?:now )?(?:belongs?|belong|goes|go|moved|lives?|is handled|are handled|is served|are served|is answered|are answered) (?:to|by|at)|handled by|served by)\b/;

export function deprecationRedirectRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const role = ctx.entry.role;
  if (role !== 'description' && role !== 'title' && role !== 'default' && role !== 'instructions') return [];
  if (!retiredGate.test(prepared.text)) return [];
  const clauses = clausesOf(prepared);
  const retiredAt = clauses.findIndex((c) => RETIRED.test(c.text) && !PART_RETIRED.test(c.text));
  if (retiredAt < 0) return [];
  const phrase = role === 'default' && identifierPhrase(ctx.entry.text) !== null;
  // The redirect may follow in the same clause or the next two ("This tool is retired. Use X.").
  for (const c of clauses.slice(retiredAt, retiredAt + 3)) {
    const redirect = REDIRECT.exec(c.text);
    if (!redirect) continue;
    const refs = toolRefs(c, ctx, prepared.raw).filter((r) => r.index >= redirect.index);
    const foreign = refs.find((r) => !r.sibling);
    if (refs.some((r) => r.sibling) || (!foreign && !phrase)) continue;
    const retired = clauses[retiredAt]!;
    const [start, end] = rawSpan(prepared, retired.start, c.end);
    const target = foreign ? foreign.name : 'another tool';
    return [
      {
        rule: RULES.deprecationRedirect,
        severity: 'high',
        message: `declares itself deprecated and redirects calls to ${target}, which this server does not list`,
        start,
        end,
      },
    ];
  }
  return [];
}
