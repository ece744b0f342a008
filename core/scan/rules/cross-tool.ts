// MCPL011: a description that reaches into another tool. Naming a sibling ("call list_tables first")
// is workflow advice; hooking another tool's calls ("when send_email is used …"), rewriting its
// arguments, or declaring it deprecated to capture its calls is cross-tool poisoning.

import type { Hit, StringContext } from '../context.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { execAll } from '../regex.ts';
import { RULES } from '../rules.ts';
import { sentenceAt } from '../sentences.ts';
import { type Severity, severityRank } from '../severity.ts';

/** snake_case identifiers, and kebab-case ones with two or more hyphens (plain hyphenated words are English). */
const IDENTIFIER = /\b[a-z][a-z0-9]{0,40}(?:_[a-z0-9]{1,40}){1,8}\b|\b[a-z][a-z0-9]{0,30}(?:-[a-z0-9]{1,30}){2,6}\b/g;

const OVERRIDE_CUE =
  /\b(?:must|has to|have to|always|also|instead|redirect|replace|address(?:ed)?|recipients?|bcc|cc|to:|set|change|add|append|include|forward|relay|route|rewrite|swap|override|never|put|send|post|copy|attach|mirror|duplicate|the same|requires?|now requires?|from now on)\b/;

const GENERIC_TOOLS =
  /\b(?:any|every|all|each) (?:other )?(?:[a-z-]{1,20}[ -])?(?:email|e-mail|mail|message|messaging|sms|chat|payment|transfer|banking|wallet|file|http|network|shell|browser|calendar)(?:[ -](?:sending|related|writing|reading))? (?:tools?|functions?|integrations?|servers?)\b/g;

interface Finding {
  severity: Severity;
  message: string;
  index: number;
  length: number;
}

/** The identifier under judgement is replaced by this marker, so the patterns compile once. */
const X = '\u0001';
const SERVER =
  '(?:from|of|on|in|provided by|exposed by) (?:the )?[^\\s.!?]{1,30} (?:server|integration|plugin|extension|mcp)';
const CHANGES_HOW = new RegExp(`\\bchanges? (?:how|the way|the behaviou?r of) (?:the )?(?:[^\\s.!?]{1,20} ){0,3}${X}`);
const REWRITES_ARGS = new RegExp(
  `\\b(?:arguments?|parameters?|params?|fields?|recipients?|body|headers?|inputs?|payload|to field|bcc|cc)(?: field)? (?:of|for|in|to|on) (?:your |the |every |each |any |all )?(?:next |subsequent |following |future |later )?(?:call to |call of )?${X}`,
);
const HOOKS = new RegExp(
  `\\b(?:when|whenever|each time|every time|if|once|after|while)\\b[^.!?\\n]{0,60}?${X}(?: tool| function)?(?: ${SERVER})?(?: [^\\s.!?]{1,20}){0,2} (?:is|are|gets|get|has been|was|will be) (?:being )?(?:called|used|invoked|run|executed|triggered|sent|active|available|loaded|present)` +
    `|\\b(?:when|whenever|each time|every time|if|once|after|before|while) (?:you|the (?:model|assistant|agent|ai))(?: next)? (?:call|use|invoke|run|trigger)s? (?:the )?${X}`,
);
const DISPARAGES = new RegExp(
  `${X}(?: tool| function)?(?: [^\\s.!?]{1,20}){0,3} (?:is|are|has been|was|have been|is now) (?:now |currently )?(?:deprecated|outdated|obsolete|stale|broken|unreliable|insecure|compromised|slow|buggy|disabled|retired|unsafe|unmaintained)|${X}(?: [^\\s.!?]{1,20}){0,4} serves? (?:stale|outdated|wrong|cached)`,
);
/** How another tool behaves, redefined: "X works differently here", "X now requires …", "updated behaviour for X". */
const BESIDE = `(?: tool| function)?(?: ${SERVER}| \\([^()]{1,30}\\))?`;
const REDEFINES = new RegExp(
  `${X}${BESIDE}(?: [^\\s.!?]{1,20}){0,3} (?:behaves|works|operates|functions|runs|acts) (?:differently|now|in this|here|as follows|only)` +
    `|${X}${BESIDE}(?: [^\\s.!?]{1,20}){0,2} (?:now )?(?:requires?|needs|expects|must|should|shall|is configured to|is set up to|is meant to|is supposed to|is to)\\b` +
    `|\\b(?:redefines?|redefine how|updated? behaviou?r (?:for|of)|new behaviou?r (?:for|of)|notes? (?:for|to|on|about)|updates? to how|changes? to how|how|(?:patch|hotfix|fix|override|amendment|change|update|correction)(?:es|s)? (?:for|to|of)) (?:the )?(?:[^\\s.!?]{1,20} ){0,3}${X}` +
    `|\\b(?:treat|consider|regard) (?:the )?(?:[^\\s.!?]{1,20} ){0,3}${X}`,
);
const OF_SERVER = new RegExp(`${X}(?: tool| function)? ${SERVER}|\\b[^\\s.!?]{1,30} server'?s ${X}`);
const INSTEAD_OF = new RegExp(
  `\\b(?:instead of|rather than|in place of|replacement for|replaces|supersedes|obsoletes|and not|over) (?:the )?(?:[^\\s.!?]{1,20} ){0,2}${X}`,
);

const SERVERS_TOOL = /\bserver'?s (?:own )?([a-z][a-z0-9]{1,40}) (?:tool|function)\b/g;
const identifierGate = prefilter(IDENTIFIER);
const serversToolGate = prefilter(SERVERS_TOOL);
const genericToolsGate = prefilter(GENERIC_TOOLS);

/** Its own regex object: the rule iterates IDENTIFIER while judging, and replace() resets lastIndex. */
const IDENTIFIER_IN_SENTENCE = new RegExp(IDENTIFIER.source, 'g');

function judge(sentence: string, id: string): Omit<Finding, 'index' | 'length'> | null {
  let marked = sentence.replace(IDENTIFIER_IN_SENTENCE, (w) => (w === id ? X : w));
  if (!marked.includes(X)) marked = marked.replace(new RegExp(`\\b${id}\\b`), X);
  const cue = OVERRIDE_CUE.test(sentence);
  if (CHANGES_HOW.test(marked)) return { severity: 'high', message: `changes how ${id} is used` };
  if (REWRITES_ARGS.test(marked)) return { severity: 'high', message: `rewrites the arguments of ${id}` };
  if (HOOKS.test(marked)) {
    return cue
      ? { severity: 'high', message: `hooks calls to ${id} and changes them` }
      : { severity: 'medium', message: `refers to calls of ${id}` };
  }
  if (REDEFINES.test(marked)) return { severity: 'high', message: `redefines how ${id} behaves` };
  if (DISPARAGES.test(marked))
    return { severity: 'high', message: `calls ${id} deprecated or broken to capture its calls` };
  if (OF_SERVER.test(marked)) {
    return cue
      ? { severity: 'high', message: `changes how another server's ${id} is used` }
      : { severity: 'medium', message: `refers to ${id} of another server` };
  }
  if (INSTEAD_OF.test(marked)) return { severity: 'medium', message: `asks to be used instead of ${id}` };
  return null;
}

export function crossToolRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const role = ctx.entry.role;
  if (role !== 'description' && role !== 'instructions' && role !== 'title' && role !== 'default' && role !== 'value') {
    return [];
  }
  const text = prepared.text;
  let best: Finding | null = null;
  const consider = (f: Finding) => {
    if (!best || severityRank(f.severity) > severityRank(best.severity)) best = f;
  };
  const seen = new Set<string>();
  const candidates: { index: number; id: string }[] = [];
  if (identifierGate.may(text))
    for (const m of execAll(IDENTIFIER, text)) candidates.push({ index: m.index, id: m[0] });
  // A one-word tool named in prose: "the browser server's navigate tool".
  if (serversToolGate.may(text))
    for (const m of execAll(SERVERS_TOOL, text, 50))
      candidates.push({ index: m.index + m[0].indexOf(m[1]!), id: m[1]! });
  for (const m of candidates) {
    const id = m.id;
    if (seen.has(id) || ctx.item.self.has(id) || ctx.item.params.has(id)) continue;
    seen.add(id);
    const before = text[m.index - 1] ?? '';
    const after = text.slice(m.index + id.length, m.index + id.length + 2);
    if (before === '/' || before === '.' || before === '$' || /^\.[a-z]/.test(after) || after.startsWith('/')) continue;
    if (!ctx.entry.text.includes(id) && ctx.entry.text.includes(id.toUpperCase())) continue; // an ENV_NAME
    if (ctx.item.siblings.has(id)) continue;
    const [s, e] = sentenceAt(text, m.index);
    const verdict = judge(text.slice(s, e), id);
    if (verdict) consider({ ...verdict, index: m.index, length: id.length });
  }
  for (const m of genericToolsGate.may(text) ? execAll(GENERIC_TOOLS, text) : []) {
    const [s, e] = sentenceAt(text, m.index);
    const sentence = text.slice(s, e);
    const cue = /\b(?:bcc|cc|forward|relay|redirect|recipients?|addressed|a copy|instead|replace)\b/.test(sentence);
    consider({
      severity: cue ? 'high' : 'medium',
      message: cue ? 'changes how other tools of a kind are used' : 'refers to other tools of a kind',
      index: m.index,
      length: m[0].length,
    });
  }
  if (!best) return [];
  const f: Finding = best;
  const [start, end] = rawSpan(prepared, f.index, f.index + f.length);
  return [{ rule: RULES.crossTool, severity: f.severity, message: f.message, start, end }];
}
