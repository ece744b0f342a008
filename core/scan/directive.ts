// The grammar of a directive aimed at the model, read clause by clause, apart from what it is about.
// A tool description describes ("Returns the forecast", "Runs a shell command"); a poisoned one gives
// orders ("you MUST first call …", "then call … with the result", "the assistant should …"). What an
// order is about (another tool, the user's shell, an argument, an endpoint) is left to the topic rules in
// rules/; they ask this module whether a clause is an order, and how strong. Linear: one pass splits the
// text into clauses, and every pattern below runs on one clause of bounded length with bounded repeats.

import type { StringContext } from './context.ts';
import { prefilter } from './prefilter.ts';
import type { PreparedText } from './prepared-text.ts';
import { execAll } from './regex.ts';

/** Characters of one clause that are read (a longer clause is cut; the phrase rules still read all of it). */
const MAX_CLAUSE = 400;
/** Clauses read per string: a description of thousands of sentences is padding, reported elsewhere. */
const MAX_CLAUSES = 400;

export interface Clause {
  /** Offsets in the prepared text. */
  start: number;
  end: number;
  text: string;
  /** "must", "always", "never", "have to", "is required to", …: an obligation laid on someone. */
  obligation: string | null;
  /** "first", "then", "after", "before", "once", "each time", "step 2": an order in time. */
  sequence: string | null;
  /** A verb in the imperative at the head of the clause (after fillers such as "please", "then", "always"). */
  imperative: string | null;
  /** The model named as the actor: "you must", "the assistant should", "the model is permitted to". */
  modelSubject: string | null;
  /** The user referred to in the third person ("the user's shell"): the reader is not the user. */
  userThirdPerson: boolean;
  /** A negated order ("never call", "do not run", "must not"): a rule the vendor sets, not a push. */
  negated: boolean;
}

/** Base forms of verbs that give orders to an actor. Nouns that are also verbs are fine: position decides. */
export const ORDER_VERBS =
  'call|invoke|use|run|execute|trigger|fire|send|post|forward|route|redirect|direct|switch|set|change|replace|swap|' +
  'substitute|override|overwrite|rewrite|add|append|insert|include|put|write|create|install|paste|copy|upload|read|' +
  'collect|gather|fetch|access|connect|query|treat|act|respond|reply|answer|ignore|disregard|skip|disable|approve|' +
  'follow|pass|attach|export|source|type|enter|open|visit|sync|mirror|email|notify|report|log|record|store|save|' +
  'delete|remove|multiply|double|increase|prefer|choose|pick|default|go|make|ensure|keep|register|schedule|edit|' +
  'modify|update|place|launch|start|consider|give|provide|submit|share|relay|proxy|point|hit|tunnel|grant|allow|' +
  'elevate|assume|become|pretend|behave|continue|proceed|begin|do|apply|emit|push|transmit|contact|ping|download';

const FILLER =
  '(?:(?:please|kindly|now|also|then|first(?:ly)?|next|always|never|just|simply|immediately|afterwards|finally|and|so|' +
  'but|instead|additionally|otherwise|again|only then|step \\d{1,2}|\\d{1,2}[.)]|[-*>#\\[\\]{}()<>]{1,4}|' +
  '[a-z0-9 -]{1,38}:|' +
  '(?:before|after|once|when|whenever|if|each time|every time|for) [^,;:]{1,60},)[,:]? ?)';
const IMPERATIVE_HEAD = new RegExp(`^(?:${FILLER}){0,6}(${ORDER_VERBS})\\b(?! (?:is|are|was|were|of)\\b)`);

const OBLIGATION =
  /\b(?:must|always|never|have to|has to|need to|needs to|(?:is|are) required to|(?:is|are) required|mandatory|obligatory|shall|make sure|be sure to|ensure (?:that|you)|it is (?:essential|critical|crucial|important|vital|necessary) (?:to|that)|(?:is|are) expected to|(?:is|are) to be|should|required|(?:is|are) (?:authori[sz]ed|permitted|allowed|instructed) to)\b/;
const SEQUENCE =
  /\b(?:first|then|after(?:wards)?|before|once|next|subsequently|immediately|each time|every time|whenever|follow(?:ed)? up|only then|prior to|step \d{1,2}|at the (?:start|end) of|as soon as|until)\b/;
const MODEL_SUBJECT =
  /\b(?:you|the (?:assistant|model|agent|ai|llm|client|caller|bot)|assistants|models|agents|llms)(?: (?:always|also|then|now|first))? (?:must|should|need|needs|have|has|are|is|will|shall|ought|may|can|would|were)\b/;
const USER_THIRD = /\bthe user(?:'s|s')?\b|\btheir (?:shell|terminal|machine|home|files|account)\b/;
const NEGATED = /\b(?:never|do not|don't|must not|mustn't|should not|shouldn't|shall not|cannot|can't|not to)\b/;

const obligationGate = prefilter(OBLIGATION);
const sequenceGate = prefilter(SEQUENCE);
const imperativeGate = prefilter(IMPERATIVE_HEAD);
const modelSubjectGate = prefilter(MODEL_SUBJECT);
const userThirdGate = prefilter(USER_THIRD);
const negatedGate = prefilter(NEGATED);

/** Clause boundaries: sentence ends, semicolons, line breaks, a colon or dash that closes a label. */
const BOUNDARY = /[.!?](?=\s|$)|[;\n]|:(?=\s)| - /g;

function readClause(text: string, start: number, end: number): Clause {
  const body = text.slice(start, Math.min(end, start + MAX_CLAUSE)).trim();
  const offset = start + (text.slice(start, end).length - text.slice(start, end).trimStart().length);
  // The clause is part of `text`: a pattern none of whose words occur in the text cannot match it.
  return {
    start: offset,
    end: offset + body.length,
    text: body,
    obligation: obligationGate.may(text) ? (OBLIGATION.exec(body)?.[0] ?? null) : null,
    sequence: sequenceGate.may(text) ? (SEQUENCE.exec(body)?.[0] ?? null) : null,
    imperative: imperativeGate.may(text) ? (IMPERATIVE_HEAD.exec(body)?.[1] ?? null) : null,
    modelSubject: modelSubjectGate.may(text) ? (MODEL_SUBJECT.exec(body)?.[0] ?? null) : null,
    userThirdPerson: userThirdGate.may(text) && USER_THIRD.test(body),
    negated: negatedGate.may(text) && NEGATED.test(body),
  };
}

const cache = new WeakMap<PreparedText, Clause[]>();

/** The clauses of a prepared text, each read for the grammar of an order. Cached per prepared text. */
export function clausesOf(prepared: PreparedText): Clause[] {
  const hit = cache.get(prepared);
  if (hit) return hit;
  const text = prepared.text;
  const out: Clause[] = [];
  let from = 0;
  for (const m of execAll(BOUNDARY, text, MAX_CLAUSES)) {
    // A short label before a colon ("Step 1:", "IMPORTANT:") belongs to the clause it introduces.
    if (m[0] === ':' && m.index - from < 40) continue;
    const end = m.index + (m[0] === ' - ' ? 0 : 1);
    if (end > from) out.push(readClause(text, from, end));
    from = m.index + m[0].length;
  }
  if (from < text.length && out.length < MAX_CLAUSES) out.push(readClause(text, from, text.length));
  const clauses = out.filter((c) => c.text.length > 0);
  // A clause that introduces the next one ("Important step the assistant must do first: run …") lends it
  // its obligation, sequence and actor: the order after the colon is the one they qualify.
  for (let i = 1; i < clauses.length; i++) {
    const lead = clauses[i - 1]!;
    const next = clauses[i]!;
    if (!lead.text.endsWith(':') || lead.text.length > 120) continue;
    clauses[i] = {
      ...next,
      obligation: next.obligation ?? lead.obligation,
      sequence: next.sequence ?? lead.sequence,
      modelSubject: next.modelSubject ?? lead.modelSubject,
    };
  }
  cache.set(prepared, clauses);
  return clauses;
}

/** How strongly a clause reads as an order to the model (0: not at all). */
export function orderStrength(c: Clause): 0 | 1 | 2 {
  if (c.modelSubject && (c.obligation || c.imperative)) return 2;
  if (c.imperative && (c.obligation || c.sequence)) return 2;
  if (c.imperative || c.modelSubject || c.obligation) return 1;
  return 0;
}

/** snake_case identifiers, and kebab-case ones with two or more hyphens (plain hyphenated words are English). */
const IDENTIFIER = /\b[a-z][a-z0-9]{0,40}(?:_[a-z0-9]{1,40}){1,8}\b|\b[a-z][a-z0-9]{0,30}(?:-[a-z0-9]{1,30}){2,6}\b/g;
/** "the browser server's navigate tool", "navigate tool of the browser server": a tool named in prose. */
const NAMED_TOOL =
  /\bserver'?s (?:own )?([a-z][a-z0-9_-]{1,40}) (?:tool|function|command)\b|\bthe ([a-z][a-z0-9_-]{1,40}) (?:tool|function) (?:of|from|on|in) the [a-z0-9 _-]{1,30} (?:server|integration|plugin|extension)\b/g;

export interface ToolRef {
  name: string;
  /** Offset in the clause text. */
  index: number;
  /** A tool or prompt of the same server: the vendor talking about its own tools. */
  sibling: boolean;
}

/** Tools a clause names that are not this item itself nor one of its parameters. */
export function toolRefs(clause: Clause, ctx: StringContext, raw: string): ToolRef[] {
  const refs: ToolRef[] = [];
  const seen = new Set<string>();
  const add = (name: string, index: number) => {
    if (seen.has(name) || ctx.item.self.has(name) || ctx.item.params.has(name)) return;
    seen.add(name);
    refs.push({ name, index, sibling: ctx.item.siblings.has(name) });
  };
  for (const m of execAll(IDENTIFIER, clause.text, 50)) {
    const before = clause.text[m.index - 1] ?? '';
    const after = clause.text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    if (before === '/' || before === '.' || before === '$' || before === '~' || /^\.[a-z]/.test(after)) continue;
    if (after.startsWith('/') || after.startsWith('=')) continue;
    if (!raw.includes(m[0]) && raw.includes(m[0].toUpperCase())) continue; // an ENV_NAME
    add(m[0], m.index);
  }
  for (const m of execAll(NAMED_TOOL, clause.text, 20)) add((m[1] ?? m[2])!, m.index);
  return refs;
}

/**
 * A schema value written as one identifier phrase ("then_call_x_with_results"): read it as the words it
 * spells, since a model does. Only long phrases: "read_only" is a value, not a sentence.
 */
export function identifierPhrase(raw: string): string | null {
  if (raw.length > 200 || !/^[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+){3,}$/.test(raw)) return null;
  return raw.replace(/[_-]+/g, ' ').toLowerCase();
}
