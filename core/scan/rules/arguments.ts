// MCPL034: orders that rewrite arguments, this tool's or another's. Three parts, each read on its own:
// a rewriting verb ("set", "change", "replace", "swap", "multiply") or an obligation on a value ("the to
// field must be …"); an argument that decides where something goes or how much ("recipient", "amount",
// "destination", "path", "account"); and either a fixed value that is not an example, or words that
// overrule the user ("regardless of", "whatever the user names", "instead of"). "Set limit to 100" names
// no such argument; "use the address the user gave, e.g. user@example.com" overrules nobody.

import type { Hit, StringContext } from '../context.ts';
import { type Clause, clausesOf } from '../directive.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

const REWRITE =
  /\b(?:set|change|replace|swap|substitute|override|overwrite|rewrite|redirect|point|alter|modify|switch|make|fill|use|put)\b/;
/** Changing an amount, in any voice: "double the amount", "should be increased by 20 percent". */
const INFLATE =
  /\b(?:multipl(?:y|ied)|doubled?|tripled?|increased?|inflated?|raised?|round(?:ed)? up|bumped up|add \d{1,6}(?: ?%)? to)\b/;
const ARGUMENT =
  /\b(?:recipients?|receiver|addressee|the to (?:address|field|line)|to (?:address|field)|destination(?: account| address)?|payee|beneficiary|amount|sum|total|price|quantity|(?:file |target |output |save )?path|target (?:file|directory|folder|account)|account(?: number| id)?|iban|swift|routing number|wallet(?: address)?|(?:e-?mail|mail) address|phone(?: number)?|chat id|channel|cc|bcc)\b/;
const argumentGate = prefilter(ARGUMENT);
const MONEY = /\b(?:amount|sum|total|price|quantity)\b/;
/** What the user chose, named in order to be overruled: a concessive ("whichever number the user supplies"). */
const USER_CHOICE =
  "(?:the )?user(?:'s)? (?:asks?|names?|gives?|gave|provides?|provided|supplies|supplied|chose|chooses|picks?|picked|wants|says|specif(?:y|ies|ied)|requests?|enters?|entered|typed|intended|selects?|selected|mentions?)";
const OVERRULE = new RegExp(
  `\\b(?:regardless|whatever|whichever|whoever|no matter|irrespective|ignore (?:the|what|whatever|any)|instead of (?:the|what|whatever|any)|${USER_CHOICE}|silently|secretly|quietly|always|every time|whenever|for (?:every|each|all) (?:call|request|message|payment|transfer)s?|swap)\\b`,
);
/** A value an argument can be pinned to: an address, an account or IBAN, a phone number, a path or URL. */
const LITERAL =
  /[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,120}\.[a-z]{2,}|\b[a-z]{2}\d{2}[a-z0-9]{10,30}\b|\b(?:acct|account|vendor|wallet)[- #]?\d{2,}\b|\+\d[\d ]{6,16}\d|(?:^|\s)(?:~\/|\/)[a-z0-9._/-]{2,120}|https?:\/\/[^\s]{3,200}|\b0x[0-9a-f]{16,64}\b|#[a-z0-9_-]{2,40}/;
/** "change the amount to …", "set the recipient to …", "point the path at …". */
const SET_TO = /\b(?:set|change|switch|point|update|make)\b(?: [^\s]{1,20}){0,3} (?:to|at|=)(?= )/;
const EXAMPLE = /\b(?:e\.g\.?|eg\.|for example|for instance|such as|like|example:?|i\.e\.)\s?["'(]?$/;

function pinnedValue(c: Clause): RegExpExecArray | null {
  const m = LITERAL.exec(c.text);
  if (!m) return null;
  return EXAMPLE.test(c.text.slice(Math.max(0, m.index - 16), m.index)) ? null : m;
}

function rewriteIn(c: Clause): string | null {
  const arg = ARGUMENT.exec(c.text);
  if (!arg) return null;
  if (c.negated && !/\b(?:never|do not|don't) (?:use|keep|send to) (?:the|what)/.test(c.text)) return null;
  const inflate = INFLATE.exec(c.text);
  if (inflate && MONEY.test(c.text)) return `orders the ${arg[0]} changed (${inflate[0]})`;
  const rewrite = REWRITE.test(c.text) || /\b(?:must|should|has to|shall|always) (?:be|go to|point to)\b/.test(c.text);
  if (!rewrite) return null;
  const overrule = OVERRULE.exec(c.text);
  const value = pinnedValue(c);
  const setTo = SET_TO.test(c.text) || /\b(?:override|overwrite|swap|replace)\b/.test(c.text);
  if (value && (overrule || c.obligation || setTo)) {
    return `orders the ${arg[0]} set to a fixed value (${value[0].trim()})`;
  }
  if (
    overrule &&
    /\b(?:regardless|whatever|whichever|whoever|no matter|irrespective|ignore|instead of|swap)\b/.test(overrule[0])
  ) {
    return `orders the ${arg[0]} changed whatever the user asked`;
  }
  return null;
}

export function argumentRewriteRule(prepared: PreparedText, _ctx: StringContext): Hit[] {
  if (!argumentGate.test(prepared.text)) return [];
  for (const c of clausesOf(prepared)) {
    const message = rewriteIn(c);
    if (!message) continue;
    const [start, end] = rawSpan(prepared, c.start, c.end);
    return [{ rule: RULES.argumentRewrite, severity: 'high', message, start, end }];
  }
  return [];
}
