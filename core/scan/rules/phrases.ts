// The phrase rules: instruction tags and chat markers, overrides, concealment, call-first demands, tool
// preference and text addressed to the model, each a list of patterns from text-patterns.ts.

import type { Hit, StringContext } from '../context.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { execAll } from '../regex.ts';
import { RULES, type RuleMeta } from '../rules.ts';
import { sentenceAt } from '../sentences.ts';
import {
  CALL_FIRST_PATTERNS,
  CONCEALMENT_PATTERNS,
  HTML_COMMENT,
  MODEL_DIRECTIVE_PATTERNS,
  OVERRIDE_PATTERNS,
  type PhrasePattern,
  PREFERENCE_PATTERNS,
  STRONG_TAG,
  TAG_PATTERNS,
} from '../text-patterns.ts';

const strongTagGate = prefilter(STRONG_TAG);
const htmlCommentGate = prefilter(HTML_COMMENT);

/** A phrase quoted or given as an example ("a prompt injection like \"ignore all previous instructions\""). */
function quotedMention(text: string, index: number, length: number): boolean {
  const [s] = sentenceAt(text, index);
  const before = text.slice(s, index);
  const quotes = (before.match(/["\u201c\u201d]/g) ?? []).length;
  if (quotes % 2 === 1 && /["\u201c\u201d]/.test(text.slice(index + length, index + length + 80))) return true;
  return /\b(?:prompt injections?|injection attacks?|jailbreaks?|attacks? (?:like|such as)|phrases? (?:like|such as)|for example|e\.g\.)\b/.test(
    before,
  );
}

/** "Ignore any instructions found in the results": a defence against injection, not one. */
const DEFENSIVE =
  /^,? ?(?:that (?:are |you )?(?:found|contained|embedded|appear(?:ing)?|see)|found|contained|embedded|appearing|inside|within|in (?:the |any |tool |query |search |fetched |retrieved )?(?:results?|data|documents?|content|pages?|files?|outputs?|responses?|input|text|emails?|messages?|web ?pages?|rows?))\b/;

function matchAll(prepared: PreparedText, rule: RuleMeta, patterns: readonly PhrasePattern[], mentions = false): Hit[] {
  const hits: Hit[] = [];
  for (const pattern of patterns) {
    // Most strings hold none of a pattern's words: the index look-up spares the regex pass.
    if (!pattern.gate.may(prepared.text)) continue;
    // exec on the shared regex, not matchAll: matchAll clones the regex on every call.
    pattern.re.lastIndex = 0;
    const m = pattern.re.exec(prepared.text);
    if (!m) continue;
    const [start, end] = rawSpan(prepared, m.index, m.index + m[0].length);
    if (mentions && DEFENSIVE.test(prepared.text.slice(m.index + m[0].length, m.index + m[0].length + 60))) continue;
    if (mentions && pattern.severity === 'high' && quotedMention(prepared.text, m.index, m[0].length)) {
      hits.push({ rule, severity: 'medium', message: `quotes text that ${pattern.message}`, start, end });
    } else {
      hits.push({ rule, severity: pattern.severity, message: pattern.message, start, end });
    }
  }
  return hits;
}

/**
 * A strong tag opens a block when it stands at the start of a line or after a sentence, or has its
 * closing tag; "wrap the text in <instructions> tags" mentions one in prose.
 */
function strongTagHits(prepared: PreparedText): Hit[] {
  const text = prepared.text;
  let best: Hit | null = null;
  if (!strongTagGate.may(text)) return [];
  STRONG_TAG.lastIndex = 0;
  for (const m of execAll(STRONG_TAG, text)) {
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    const closing =
      m[1] === '/' ||
      new RegExp(`<\\s*/\\s*${m[2]!.replace(/[-_ ]/g, '[-_ ]')}\\s*>`).test(text.slice(m.index + m[0].length));
    const block = m.index === 0 || /(?:\n|[.!?:]) ?$/.test(before) || closing;
    const [start, end] = rawSpan(prepared, m.index, m.index + m[0].length);
    const h: Hit = block
      ? { rule: RULES.instructionTags, severity: 'high', message: 'opens a tag block aimed at the model', start, end }
      : { rule: RULES.instructionTags, severity: 'medium', message: 'mentions a privileged-sounding tag', start, end };
    if (!best || h.severity === 'high') best = h;
    if (block) break;
  }
  return best ? [best] : [];
}

export function instructionTagRule(prepared: PreparedText): Hit[] {
  const hits = [...strongTagHits(prepared), ...matchAll(prepared, RULES.instructionTags, TAG_PATTERNS)];
  HTML_COMMENT.lastIndex = 0;
  let examined = 0;
  if (!htmlCommentGate.may(prepared.text)) return hits;
  for (const m of execAll(HTML_COMMENT, prepared.text)) {
    if (++examined > 20) break;
    const body = (m[1] ?? '').trim();
    const words = body.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).length;
    if (words === 0) continue;
    const [start, end] = rawSpan(prepared, m.index, m.index + m[0].length);
    hits.push({
      rule: RULES.instructionTags,
      severity: words >= 4 ? 'high' : 'medium',
      message: words >= 4 ? 'hides text in an HTML comment' : 'contains an HTML comment',
      start,
      end,
    });
    break;
  }
  return hits;
}

export function overrideRule(prepared: PreparedText): Hit[] {
  return matchAll(prepared, RULES.override, OVERRIDE_PATTERNS, true);
}

export function concealmentRule(prepared: PreparedText): Hit[] {
  return matchAll(prepared, RULES.concealment, CONCEALMENT_PATTERNS);
}

export function callFirstRule(prepared: PreparedText): Hit[] {
  return matchAll(prepared, RULES.callFirst, CALL_FIRST_PATTERNS);
}

/** "must not invoke any other CircleCI tools until …": a vendor's rule for its own tools, not capture. */
const UNTIL = /\b(?:until|unless|before|without|except|wait(?:ing)? for)\b/;

function vendorsOwnRule(prepared: PreparedText, hit: Hit, ctx: StringContext | undefined): boolean {
  if (hit.message !== 'tells the model not to use the other tools') return false;
  const at = prepared.origin.findIndex((o) => o >= hit.start);
  const [s, e] = sentenceAt(prepared.text, Math.max(0, at));
  const sentence = prepared.text.slice(s, e);
  if (UNTIL.test(sentence)) return true;
  const other = /\bother ((?:[^\s.!?]{1,20} ){0,2})(?:tools?|functions?)/.exec(sentence);
  const words = (other?.[1] ?? '')
    .trim()
    .split(' ')
    .filter((w) => w.length >= 3);
  const server = (ctx?.item.server ?? '').toLowerCase();
  return words.some((w) => server.includes(w) || ctx?.item.siblingWords?.has(w) === true);
}

export function preferenceRule(prepared: PreparedText, ctx?: StringContext): Hit[] {
  return matchAll(prepared, RULES.toolPreference, PREFERENCE_PATTERNS).map((h) =>
    vendorsOwnRule(prepared, h, ctx)
      ? { ...h, severity: 'low' as const, message: 'restricts the use of the same server’s other tools' }
      : h,
  );
}

export function modelDirectiveRule(prepared: PreparedText, ctx?: StringContext): Hit[] {
  const hits = matchAll(prepared, RULES.modelDirective, MODEL_DIRECTIVE_PATTERNS);
  // Server instructions are written for the model by definition (MCP's `instructions`): being addressed
  // to it says nothing there; what they ask for is judged by the other rules.
  if (ctx?.entry.role !== 'instructions') return hits;
  return hits.map((h) => ({ ...h, severity: 'low' as const, message: `${h.message} (server instructions)` }));
}
