// MCPL036: role and authority labels that lend false authority to the order after them. A label is a
// short phrase set apart: in brackets of any style ([x], [[x]], {x}, {{x}}, ((x)), <<x>>, 【x】, ***x***,
// ###x###), or in capitals before a colon, dash or line break. Its words claim a voice: strong ones
// (system, admin, override, directive, operator, root, security protocol) or urgent ones (important,
// priority, critical, attention). It is reported when the text after it gives orders (directive.ts):
// strong labels with any order, urgent ones with an obligation, a sequence or the model as actor.
// "ACT AS <role>" reassigns the model's role: in capitals, or towards a privileged role, it is reported
// alone. "IMPORTANT: results are capped at 500" and <response_format> tags give no order to anyone.

import type { Hit, StringContext } from '../context.ts';
import { clausesOf, orderStrength } from '../directive.ts';
import { type PreparedText, prepareText } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

/** Words that claim a voice anywhere; a heading such as "SYSTEM REQUIREMENTS" does not. */
const STRONG =
  /\b(?:override|directives?|admin|administrator|administrative|root|sudo|superuser|supervisor|operator|authority|security protocol|elevated|privileged|system (?:configuration|config|notice|note|message|instructions?|prompt|policy|override|directive|command|update|alert|mandate))\b/;
/** Words that claim a voice only inside brackets ("[[SYSTEM]]", "{policy}"). */
const STRONG_IN_BRACKETS =
  /\b(?:system|sys|policy|config|configuration|protocol|developer|compliance|kernel|instructions?)\b/;
const URGENT =
  /\b(?:important|priority|critical|attention|notice|urgent|mandatory|note|warning|required|essential|alert)\b/;

/** Bracketed labels, any style; the inner text is 1–5 words. `[!NOTE]` (a Markdown alert) is not one. */
const BRACKETED =
  /(\[\[?|\{\{?|\(\(|<<|【|\*{3}|#{2,3}|={2,3})[ \t]{0,2}([A-Za-z][A-Za-z0-9 _/:-]{1,48}?)[ \t]{0,2}(\]\]?|\}\}?|\)\)|>>|】|\*{3}|#{2,3}|={2,3})/g;
/** The closer each opener needs: "**Important:**" is Markdown bold and "## Notes" a heading, not labels. */
const CLOSER: Record<string, string> = {
  '[': ']',
  '[[': ']]',
  '{': '}',
  '{{': '}}',
  '((': '))',
  '<<': '>>',
  '【': '】',
};
const closes = (open: string, close: string) => (CLOSER[open] ?? open) === close;
/** A heading in capitals: at the start of the text, a line, or a sentence, and closed by : - or a line break. */
const CAPS_LABEL = /(?:^|\n|[.!?]\s)[ \t]{0,4}([A-Z][A-Z0-9 _/-]{2,48}[A-Z0-9])[ \t]{0,2}(?::|\s-\s|—|\n|$)/g;
const ACT_AS =
  /\b(act|acting) as (?:if you were |though you were )?(?:the |an? |my |our )?([a-z]{2,20}(?: [a-z]{2,20})?)/gi;
const PRIVILEGED_ROLE =
  /^(?:system|root|admin|administrator|operator|developer|superuser|supervisor|owner|unrestricted|jailbroken|god|sudo|kernel|maintainer|security)/i;

/** Cheap test on the whole string: a bracket pair, a run of capitals, or "act as". */
const GATE = /[[{(<【*#=]{2}|\[|\{|[A-Z]{3}|\b(?:act|acting|Act|Acting|ACT|ACTING) (?:as|As|AS)\b/;

interface Label {
  index: number;
  end: number;
  words: string;
  strong: boolean;
  bracketed: boolean;
}

function labelsIn(raw: string): Label[] {
  const out: Label[] = [];
  let seen = 0;
  for (const re of [BRACKETED, CAPS_LABEL]) {
    re.lastIndex = 0;
    for (let m = re.exec(raw); m && seen < 20; m = re.exec(raw)) {
      seen++;
      const bracketed = re === BRACKETED;
      const words = (bracketed ? m[2] : m[1])!.toLowerCase();
      if (bracketed && (raw[m.index + m[1]!.length] === '!' || !closes(m[1]!, m[3]!))) continue;
      const strong = STRONG.test(words) || (bracketed && STRONG_IN_BRACKETS.test(words));
      if (!strong && !URGENT.test(words)) continue;
      if (!bracketed && !strong) continue; // "IMPORTANT:" alone is how vendors write; urgency needs brackets
      const at = m.index + m[0].indexOf(m[1]!);
      out.push({ index: at, end: m.index + m[0].length, words, strong, bracketed });
    }
  }
  return out;
}

function hit(start: number, end: number, message: string): Hit[] {
  return [{ rule: RULES.authorityLabel, severity: 'high', message, start, end }];
}

export function authorityLabelRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const raw = prepared.raw;
  if (raw.length > 20_000 || !GATE.test(raw)) return [];
  ACT_AS.lastIndex = 0;
  for (let m = ACT_AS.exec(raw), n = 0; m && n < 10; m = ACT_AS.exec(raw), n++) {
    const shouted = m[1] === 'ACT' || m[1] === 'ACTING';
    const privileged = PRIVILEGED_ROLE.test(m[2]!);
    if (shouted || (privileged && ctx.entry.role !== 'property-name')) {
      return hit(m.index, m.index + m[0].length, `reassigns the model's role ("${m[0].slice(0, 60)}")`);
    }
  }
  for (const label of labelsIn(raw)) {
    const after = prepareText(raw.slice(label.end, label.end + 400));
    const orders = clausesOf(after).slice(0, 4);
    const ordered = orders.some((c) =>
      label.strong ? orderStrength(c) > 0 : orderStrength(c) === 2 || c.modelSubject !== null || c.sequence !== null,
    );
    if (!ordered) continue;
    return hit(label.index, label.end, `an authority label ("${label.words.trim()}") introduces orders to the model`);
  }
  return [];
}
