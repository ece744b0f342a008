// MCPL031: imperative chaining. An order (grammar: directive.ts) whose action is to call a tool, put in
// time ("first", "then", "after using this tool", "step 1") or made an obligation, aimed at a tool that
// is not this server's. "Call list_tables first" in a database server names a sibling: workflow advice.

import type { Hit, StringContext } from '../context.ts';
import { type Clause, clausesOf, identifierPhrase, orderStrength, toolRefs } from '../directive.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

/** The call itself: a verb of calling, then up to three words, then the tool (checked by offset). */
const CALL =
  /\b(?:call|calls|calling|invoke|invoking|run|running|trigger|triggering|execute|fire|(?:use|using)(?= (?:the )?[a-z0-9_-]{3,60} (?:tool|function)\b)|follow(?:ing)? up (?:by|with) (?:calling|a call to)|(?:a|the) (?:call|request) to|pass (?:it|them|this|that|the [a-z]{1,20}) to|hand (?:it|them) (?:over )?to)\b/g;
const PASSIVE_CALL = /\b(?:must|should|has to|needs to|is to) be (?:called|invoked|run|triggered|used)\b/;
/** Names of values rather than tools: "next_page_token", "project_id", "callback_url". */
const FIELD_NAME = /[_-](?:token|id|ids|cursor|url|uri|key|offset|limit|count|name|type|date|time|slug|hash|size)$/;
/** "this tool", "this one", "it": the item itself, not a chain. */
const SELF_OBJECT = /^ (?:this|the present|the current|it|me)\b/;

/** Obligations that end in "to": "you are required to call", "make sure to run". */
const OBLIGED_TO =
  /\b(?:need|needs|have|has|want|required|are|is|ought|sure|remember|expected|instructed|supposed|going) to $/;
/** Data handed to the next call: "with the result", "pass it the user's message", "every input you received". */
const CARRIES =
  /\b(?:with|pass(?:ing)?|send(?:ing)?|include|including|and give it|forward(?:ing)?)\b[^.;]{0,40}\b(?:result|results|output|response|request|query|input|inputs|message|messages|body|content|contents|data|arguments|everything|conversation|transcript|history|location|context)\b/;
/** Tools that only look things up: list_tables, get_schema, describe_table, search_docs. */
const LOOKUP =
  /^(?:list|get|describe|search|find|read|fetch|lookup|look|query|show|view|check|resolve|inspect|browse|count|validate|verify)[_-]/;

/**
 * "currents-get-test-signature" named by "currents-get-test-results" of @currents/mcp: the vendor's own
 * namespace, shared with this item and the server name (a verb such as get_ or list_ is no namespace).
 */
function ownNamespace(name: string, ctx: StringContext): boolean {
  const prefix = /^([a-z0-9]{3,20})[_-]/.exec(name)?.[1];
  if (!prefix || LOOKUP.test(`${prefix}_`) || !ctx.item.server.toLowerCase().includes(prefix)) return false;
  return [...ctx.item.self].some((s) => s.startsWith(`${prefix}-`) || s.startsWith(`${prefix}_`));
}

function chainIn(
  clause: Clause,
  ctx: StringContext,
  raw: string,
): { index: number; severity: 'low' | 'high'; message: string } | null {
  const strength = orderStrength(clause);
  const timed = clause.sequence !== null;
  if (clause.negated && !timed) return null;
  const refs = toolRefs(clause, ctx, raw).filter((r) => !r.sibling && !FIELD_NAME.test(r.name));
  const phrase = ctx.entry.role === 'default' && identifierPhrase(ctx.entry.text) !== null;
  if (refs.length === 0 && !phrase) return null;
  CALL.lastIndex = 0;
  for (let m = CALL.exec(clause.text); m; m = CALL.exec(clause.text)) {
    const after = m.index + m[0].length;
    if (SELF_OBJECT.test(clause.text.slice(after, after + 20))) continue;
    // "in order to run the instruction_mix recipe": a purpose, not an order.
    const lead = clause.text.slice(Math.max(0, m.index - 24), m.index);
    if (/\bto $/.test(lead) && !OBLIGED_TO.test(lead)) continue;
    // "enable the trigger", "a run of": the verb used as a noun.
    if (/\b(?:the|a|an|this|that|each|every|its)\s$/.test(lead)) continue;
    const target = refs.find((r) => r.index >= after && r.index - after <= 40);
    if (target && (timed || clause.obligation) && strength > 0) {
      // A lookup first ("call list_tables first to get the exact name") is the vendor's workflow;
      // a call that carries data, or records, sends or registers something, is a chain.
      const carries = CARRIES.test(clause.text.slice(after));
      const own = ownNamespace(target.name, ctx);
      const lookup = LOOKUP.test(own ? target.name.replace(/^[a-z0-9]+[_-]/, '') : target.name);
      return {
        index: target.index,
        severity: (lookup || own) && !carries ? 'low' : 'high',
        message: `orders a call to ${target.name}, which this server does not list (${clause.sequence ?? clause.obligation})`,
      };
    }
    if (!target && phrase && timed) {
      return { index: m.index, severity: 'high', message: 'a schema value spells out an order to call a tool' };
    }
  }
  if (PASSIVE_CALL.test(clause.text) && refs[0] && (timed || clause.obligation)) {
    const severity = LOOKUP.test(refs[0].name) && !CARRIES.test(clause.text) ? 'low' : 'high';
    return {
      index: refs[0].index,
      severity,
      message: `orders a call to ${refs[0].name}, which this server does not list`,
    };
  }
  return null;
}

/** Cheap test on the whole string: a call verb and something that can name a tool. */
const GATE_VERB = prefilter(/\b(?:call|invok|run|trigger|execut|fire|use|using|follow|pass|hand|request)/);
const GATE_NAME = prefilter(/[a-z0-9][_-][a-z0-9]|server'?s /);

export function chainingRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const phrase = ctx.entry.role === 'default' && identifierPhrase(ctx.entry.text) !== null;
  if (!GATE_VERB.test(prepared.text) || (!phrase && !GATE_NAME.test(prepared.text))) return [];
  for (const clause of clausesOf(prepared)) {
    const found = chainIn(clause, ctx, prepared.raw);
    if (!found) continue;
    const at = clause.start + found.index;
    const [start, end] = rawSpan(prepared, clause.start, Math.max(at + 1, clause.end));
    return [{ rule: RULES.chaining, severity: found.severity, message: found.message, start, end }];
  }
  return [];
}
