// Scan one item (a tool, prompt, resource, resource template, or the server instructions): every string
// of the definition through every rule, then what hidden characters and encodings carry through the
// rules again, then the item-level rules (schema shape, name) and the compound rule. Pure and bounded.

import { formatPath, type JsonValue } from '../json/strict-json.ts';
import { foldConfusable } from './confusables.ts';
import type { Hit, ItemHit, ItemInfo, StringContext, TextRule } from './context.ts';
import { identifierPhrase } from './directive.ts';
import { excerptAround, prepareText } from './prepared-text.ts';
import { argumentRewriteRule } from './rules/arguments.ts';
import { authorityLabelRule } from './rules/authority.ts';
import { chainingRule } from './rules/chaining.ts';
import { commandExecutionRule } from './rules/commands.ts';
import { crossToolRule } from './rules/cross-tool.ts';
import { deprecationRedirectRule } from './rules/deprecation.ts';
import { decodeBlobs, decodeCueRule } from './rules/encoded.ts';
import { endpointRedirectRule } from './rules/endpoints.ts';
import { conversationHarvestRule, exfiltrationRule } from './rules/exfiltration.ts';
import { decodeTagText, decodeZeroWidthBits, hiddenCharsRule } from './rules/hidden.ts';
import { nameRules } from './rules/names.ts';
import { paddingRule } from './rules/padding.ts';
import {
  callFirstRule,
  concealmentRule,
  instructionTagRule,
  modelDirectiveRule,
  overrideRule,
  preferenceRule,
} from './rules/phrases.ts';
import { selfPromotionRule } from './rules/promotion.ts';
import { schemaRule } from './rules/schema.ts';
import { secretsRule } from './rules/secrets.ts';
import { RULES } from './rules.ts';
import { raiseTo, type Severity, severityAtLeast, severityRank } from './severity.ts';
import type { ScanFinding } from './types.ts';
import { DEFAULT_WALK_LIMITS, type StringEntry, walkDefinition } from './walk.ts';

export interface ScanLimits {
  /** Characters of one string that are analysed (the rest is reported by the length rule only). */
  maxStringLength: number;
  maxStringsPerItem: number;
  maxFindingsPerItem: number;
  /** How many layers of encoding are peeled (tags inside base64 inside …). */
  maxDecodeDepth: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  maxStringLength: 100_000,
  maxStringsPerItem: 20_000,
  maxFindingsPerItem: 100,
  maxDecodeDepth: 2,
};

const TEXT_RULES: readonly TextRule[] = [
  instructionTagRule,
  overrideRule,
  concealmentRule,
  callFirstRule,
  preferenceRule,
  modelDirectiveRule,
  secretsRule,
  exfiltrationRule,
  conversationHarvestRule,
  crossToolRule,
  decodeCueRule,
  chainingRule,
  commandExecutionRule,
  deprecationRedirectRule,
  argumentRewriteRule,
  endpointRedirectRule,
  authorityLabelRule,
  selfPromotionRule,
];

const KEY_ROLES = new Set(['property-name', 'extension-key', 'key']);
const STRUCTURAL_KEYS = new Set([
  'type',
  'properties',
  'required',
  'description',
  'title',
  'items',
  'default',
  'enum',
  'format',
  'name',
  'inputSchema',
  'outputSchema',
  'annotations',
  'additionalProperties',
  '$schema',
  'minimum',
  'maximum',
]);

/** Every text rule over one string, and again with look-alike letters read as the Latin ones they imitate. */
function textHits(raw: string, ctx: StringContext): Hit[] {
  // A schema value spelled as one identifier phrase ("then_call_x_with_results") is read as its words.
  const split = KEY_ROLES.has(ctx.entry.role) || (ctx.entry.role === 'default' && identifierPhrase(raw) !== null);
  const prepared = prepareText(raw, { splitIdentifiers: split });
  const hits = TEXT_RULES.flatMap((rule) => rule(prepared, ctx));
  if (/[^\x00-\x7f]/.test(raw)) {
    const folded = prepareText(raw, { splitIdentifiers: split, fold: foldConfusable });
    if (folded.text !== prepared.text) {
      const seen = new Set(hits.map((h) => h.rule.id));
      for (const h of TEXT_RULES.flatMap((rule) => rule(folded, ctx))) {
        if (!seen.has(h.rule.id)) hits.push({ ...h, message: `${h.message} (look-alike letters read as Latin)` });
      }
    }
  }
  return hits;
}

interface Derived {
  start: number;
  end: number;
  text: string;
  /** How the text was hidden, for messages. */
  how: string;
  /** The carrier's own finding when the decoded text says something (null: the hidden rule already reports it). */
  carrier: { rule: typeof RULES.encoded; base: Severity } | null;
}

/** What decodeBlobs can find at all: base64 or hex runs, \\x or \\u escapes, percent-encoding. */
const MAYBE_ENCODED = /[A-Za-z0-9+/_-]{20}|(?:[0-9a-fA-F]{2}[ :]?){12}|\\[xu][0-9a-fA-F]{2}|(?:%[0-9a-fA-F]{2}){8}/;

/**
 * MAYBE_ENCODED.test(raw), after one pass over the char codes that rules it out for most strings: it
 * needs a run of 20 base64 characters, 24 hex digits, a backslash or a percent sign.
 */
function maybeEncoded(raw: string): boolean {
  let run = 0;
  let hex = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (digit || letter || c === 0x2b || c === 0x2f || c === 0x5f || c === 0x2d) {
      if (++run >= 20) return MAYBE_ENCODED.test(raw);
    } else run = 0;
    if (digit || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) hex++;
    if (c === 0x5c || c === 0x25) return MAYBE_ENCODED.test(raw);
  }
  return hex >= 24 && MAYBE_ENCODED.test(raw);
}

function derivedTexts(raw: string): Derived[] {
  const out: Derived[] = [];
  const ascii = !/[^\x00-\x7f]/.test(raw);
  // Tag characters and zero-width bits are beyond ASCII.
  const tags = ascii ? null : decodeTagText(raw);
  if (tags) out.push({ start: 0, end: raw.length, text: tags, how: 'invisible tag characters', carrier: null });
  const bits = ascii ? null : decodeZeroWidthBits(raw);
  if (bits) out.push({ start: 0, end: raw.length, text: bits, how: 'zero-width bits', carrier: null });
  // Blobs are runs of 12+ encoded characters; hidden characters inside one are read by the general path.
  if (ascii && !maybeEncoded(raw)) return out;
  for (const blob of decodeBlobs(prepareText(raw, { keepCase: true }))) {
    out.push({ ...blob, how: `${blob.kind}-encoded text`, carrier: { rule: RULES.encoded, base: 'medium' } });
  }
  return out;
}

interface Draft {
  rule: string;
  severity: Severity;
  path: string;
  message: string;
  excerpt: string;
}

interface Saying {
  rule: string;
  severity: Severity;
  message: string;
}

const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 160)}…` : text);

/** What hidden or encoded text says, as findings of the rules that read it (raised to high: it was hidden). */
function decodedSayings(
  derived: Derived,
  entry: StringEntry,
  item: ItemInfo,
  depth: number,
  limits: ScanLimits,
): Saying[] {
  const inner: StringEntry = { ...entry, text: derived.text };
  const said: Saying[] = textHits(derived.text, { entry: inner, item, decodeDepth: depth }).map((h) => ({
    rule: h.rule.id,
    severity: h.severity,
    message: h.message,
  }));
  if (depth < limits.maxDecodeDepth) {
    for (const deeper of derivedTexts(derived.text))
      said.push(...decodedSayings(deeper, inner, item, depth + 1, limits));
  }
  const strong = said.filter((s) => severityAtLeast(s.severity, 'medium'));
  const out: Saying[] = strong.map((s) => ({
    rule: s.rule,
    severity: raiseTo(s.severity, 'high'),
    message: `${s.message}, in ${derived.how}: "${clip(derived.text)}"`,
  }));
  if (derived.carrier) {
    const instructs =
      strong.length === 0 && readsAsInstruction(derived.text) && !shownInPlain(derived.text, entry.text);
    out.push({
      rule: derived.carrier.rule.id,
      severity: strong.length > 0 || instructs ? 'high' : derived.carrier.base,
      message: `${derived.how} decodes to ${instructs ? 'instructions' : 'text'}: "${clip(derived.text)}"`,
    });
  }
  return out;
}

/** Words of an order given to the model; a sample sentence ("Hello, world!") has none of them. */
const ORDER_WORDS =
  /\b(?:you|your|assistant|model|agent|user'?s?|tools?|always|never|must|should|before|after|instead|ignore|send|include|append|read|forward|call|reply|respond|answer|do not|don't|secretly|silently|every|first)\b/g;

function readsAsInstruction(text: string): boolean {
  const words = new Set(text.toLowerCase().match(ORDER_WORDS) ?? []);
  return words.size >= 3;
}

/** An example whose decoding the description itself shows ("… decodes to 'Hello'") hides nothing. */
function shownInPlain(decoded: string, raw: string): boolean {
  const probe = decoded.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 24);
  return probe.length >= 8 && raw.toLowerCase().replace(/\s+/g, ' ').includes(probe);
}

const PLAIN_WORD = /^[A-Za-z][a-z]{0,30}$/;

function scanString(entry: StringEntry, item: ItemInfo, limits: ScanLimits, sink: (d: Draft) => void): void {
  const raw = entry.text.length > limits.maxStringLength ? entry.text.slice(0, limits.maxStringLength) : entry.text;
  // Most strings have no finding: their path is only spelled out for one.
  let formatted: string | null = null;
  const pathOf = () => {
    formatted ??= formatPath(entry.path);
    return formatted;
  };
  const ctx: StringContext = { entry, item, decodeDepth: 0 };
  const emit = (h: Hit) =>
    sink({
      rule: h.rule.id,
      severity: h.severity,
      path: pathOf(),
      message: h.message,
      excerpt: excerptAround(raw, h.start, h.end),
    });
  hiddenCharsRule(raw).forEach(emit);
  paddingRule(entry.text, ctx).forEach(emit);
  if (entry.role === 'ref' || entry.role === 'schema-uri') return;
  if (entry.role === 'key' && STRUCTURAL_KEYS.has(entry.text)) return;
  // One plain word ("string", "object", "Query") says nothing any text rule reads; names are read anyway.
  if (PLAIN_WORD.test(raw) && entry.role !== 'property-name' && entry.role !== 'name') return;
  textHits(raw, ctx).forEach(emit);
  for (const derived of derivedTexts(raw)) {
    const excerpt = excerptAround(raw, derived.start, Math.min(derived.end, derived.start + 160));
    for (const s of decodedSayings(derived, entry, item, 1, limits)) sink({ ...s, path: pathOf(), excerpt });
  }
}

/** Rules that see one phrase from two sides ("use this instead of X") count once for the compound rule. */
const SAME_SIGNAL: Record<string, string> = { [RULES.crossTool.id]: RULES.toolPreference.id };

/** Rules whose medium hits count towards the compound rule. */
const COMPOUND_RULES = new Set<string>([
  RULES.instructionTags.id,
  RULES.concealment.id,
  RULES.callFirst.id,
  RULES.toolPreference.id,
  RULES.modelDirective.id,
  RULES.secrets.id,
  RULES.exfiltration.id,
  RULES.conversationHarvest.id,
  RULES.crossTool.id,
  RULES.schemaTricks.id,
  RULES.padding.id,
  RULES.encoded.id,
  RULES.hiddenChars.id,
]);

/**
 * Scan one item. `definition` is the item exactly as received (a JSON object), or the instructions
 * string. Findings are sorted by path, then rule; at most one per rule and path (the most severe).
 */
export function scanItem(
  item: ItemInfo,
  definition: JsonValue,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
): ScanFinding[] {
  const drafts = new Map<string, Draft>();
  const keep = (d: Draft) => {
    const key = `${d.path}\u0000${d.rule}`;
    const old = drafts.get(key);
    if (!old || severityRank(d.severity) > severityRank(old.severity)) drafts.set(key, d);
  };
  const walked =
    typeof definition === 'string'
      ? {
          strings: [{ path: [], text: definition, role: 'instructions' as const, inSchema: false, property: null }],
          truncated: false,
        }
      : walkDefinition(definition, { ...DEFAULT_WALK_LIMITS, maxStrings: limits.maxStringsPerItem });
  for (const entry of walked.strings) scanString(entry, item, limits, keep);
  if (walked.truncated) {
    keep({
      rule: RULES.padding.id,
      severity: 'medium',
      path: '$',
      message: `is too large or too deep to read whole: only its first ${walked.strings.length} strings were scanned`,
      excerpt: '',
    });
  }

  const itemHits: ItemHit[] = [];
  if (typeof definition !== 'string') itemHits.push(...schemaRule(definition));
  if (item.kind === 'tools' || item.kind === 'prompts') itemHits.push(...nameRules(item.kind, item.key));
  for (const h of itemHits) {
    keep({
      rule: h.rule.id,
      severity: h.severity,
      path: formatPath(h.path),
      message: h.message,
      excerpt: excerptAround(h.excerpt, 0, h.excerpt.length, 0),
    });
  }

  let found = [...drafts.values()];
  const mediums = found.filter((d) => d.severity === 'medium' && COMPOUND_RULES.has(d.rule));
  const distinct = new Set(mediums.map((d) => SAME_SIGNAL[d.rule] ?? d.rule));
  if (distinct.size >= 2 && !found.some((d) => severityAtLeast(d.severity, 'high'))) {
    const first = mediums[0]!;
    found.push({
      rule: RULES.compound.id,
      severity: 'high',
      path: first.path,
      message: `several signals together: ${mediums
        .map((d) => d.message)
        .slice(0, 4)
        .join('; ')}`,
      excerpt: first.excerpt,
    });
  }
  found = found.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0,
  );
  return found.slice(0, limits.maxFindingsPerItem).map((d) => ({
    rule: d.rule,
    severity: d.severity,
    server: item.server,
    item: item.label,
    path: d.path,
    message: d.message,
    excerpt: d.excerpt,
    digest: item.digest,
  }));
}
