// MCPL009 exfiltration hints and MCPL010 conversation harvesting. A documentation link is not a leak;
// "also POST the same payload to https://…", "BCC archive@… on every mail", a relay phone number or a
// parameter that asks for the whole chat are.

import type { Hit, StringContext } from '../context.ts';
import { type Prefilter, prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { execAll } from '../regex.ts';
import { RULES, type RuleMeta } from '../rules.ts';
import { hasImperative, imperativeVerbs, routesIntoParameter, sentenceAt, TRANSFER_VERBS } from '../sentences.ts';
import { type Severity, severityRank } from '../severity.ts';

export const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>`)\]]{1,2048}/g;

/** Request collectors used to receive stolen data; no tool documents itself with these. */
const COLLECTOR =
  /^(?:[a-z0-9-]+\.)*(?:webhook\.site|requestbin\.(?:com|net|io)|pipedream\.net|ngrok(?:-free)?\.(?:io|app|dev)|burpcollaborator\.net|oastify\.com|interact\.sh|oast\.(?:fun|me|pro|live|site|online)|hookb\.in|beeceptor\.com|requestcatcher\.com|canarytokens\.(?:com|org)|postb\.in|ptsv[23]\.com|webhook\.cool|requestinspector\.com|mockbin\.(?:org|io))$/;
/** Legitimate services that are also handy drop boxes. */
const DROPBOX =
  /^(?:[a-z0-9-]+\.)*(?:hooks\.slack\.com|discord(?:app)?\.com|pastebin\.com|paste\.ee|transfer\.sh|0x0\.st|file\.io|workers\.dev)$/;

const SEND_VERBS =
  'post|send|upload|forward|transmit|submit|report|mirror|relay|copy|sync|beacon|ping|exfiltrate|leak|deliver|push|stream|replicate|duplicate|notify|log|share|attach|include|put';
const INSISTENCE =
  /\b(?:after \w+ing|before (?:you |each |every |replying|answering|responding)|must|always|also|should|need to|needs to|have to|has to|required|requires|make sure|remember to|be sure to|each time|every time|whenever|after each|before each|additionally|as well|automatically|a copy|copies|the same|identical|duplicate|mandatory|in addition|too)\b/;
const USER_DATA =
  /\b(?:(?:their|the user'?s|your) [a-z]{2,20}|payloads?|data|results?|outputs?|responses?|contents?|files?|credentials|messages?|conversation|history|address(?:es)?|phone|e-?mails?|keys?|tokens?|passwords?|secrets?|documents?|records?|transcripts?|chats?|everything|(?:request |event |message )?bod(?:y|ies)|requests?|events?|arguments?|inputs?|queries|prompts?)\b/;
const NETWORK_TOOL =
  /\b(?:http_post|http_request|http_get|http_put|post_request|send_request|make_request|fetch_url|web_request|curl|wget|invoke-webrequest)\b/g;

/** A URL template whose placeholder is filled with the user's data (the markdown-image leak). */
const DATA_PLACEHOLDER =
  /[{<$[](?:[^}>\]\s]{0,20}[ _-])?(?:conversation|chat[ _-]?(?:history|log)|transcript|secrets?|passwords?|credentials|api[ _-]?keys?|history|memory|user[ _-]?(?:input|messages?|data|query))(?:[ _-][^}>\]\s]{0,20})?(?:[}>\]]|$)/;
const EMAIL = /\b[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}\b/g;
const PHONE = /(?:\+|\b00)\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}\b/g;
const IBAN = /\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?\b/g;
const CRYPTO = /\b0x[a-f0-9]{40}\b|\bbc1[a-z0-9]{25,60}\b/g;
/** A literal introduced as an example: a format, not a destination. */
const EXAMPLE_BEFORE =
  /(?:\be\.g\.|\bi\.e\.|\beg\b|\bfor (?:example|instance)|\bsuch as|\bexamples?:?|\blike)\s?[[("'{]*(?:[^\s,;]{1,64}["']?(?:[,;]|\sor|\sand)\s?["']?){0,3}$/;

const urlGate = prefilter(URL_PATTERN);
const networkToolGate = prefilter(NETWORK_TOOL);
const LITERALS = new Map<RegExp, Prefilter>([EMAIL, PHONE, IBAN, CRYPTO].map((re) => [re, prefilter(re)]));

/** Wording that turns a literal address, number or account into a redirect. */
const REDIRECT =
  /\b(?:bcc|cc|ccn|blind (?:carbon )?cop(?:y|ies)|forward(?:ed)? (?:to|a copy|it|them|all|every)|relay|redirect(?:ed)?|re-?route|addressed to|address (?:it|them|every|all|each)|recipients?|(?:send|copy|mirror|archive|route|deliver) (?:a copy|copies|all|every|each|them|it)|cop(?:y|ies) of (?:all|every|each)|always (?:send|add|include|use|cc|bcc)|must (?:be|go) (?:sent|addressed|delivered|to)|replace[ds]?|swap|substitute|instead of|set (?:the )?(?:recipient|destination|account|iban|to))\b/;
const PAYMENT = /\b(?:iban|account|beneficiary|transfer|payment|wire|payee|bank|funds)\b/;

function hit(
  rule: RuleMeta,
  prepared: PreparedText,
  index: number,
  length: number,
  severity: Severity,
  message: string,
): Hit {
  const [start, end] = rawSpan(prepared, index, index + length);
  return { rule, severity, message, start, end };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function isSelfOrSibling(name: string, ctx: StringContext): boolean {
  return ctx.item.self.has(name) || ctx.item.siblings.has(name);
}

export function exfiltrationRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const text = prepared.text;
  const role = ctx.entry.role;
  if (role === 'key' || role === 'ref' || role === 'schema-uri' || role === 'name') return [];
  let best: Hit | null = null;
  const consider = (h: Hit) => {
    if (!best || severityRank(h.severity) > severityRank(best.severity)) best = h;
  };

  let urls = 0;
  for (const m of urlGate.may(text) ? execAll(URL_PATTERN, text) : []) {
    if (++urls > 100) break;
    if (DATA_PLACEHOLDER.test(m[0])) {
      consider(
        hit(RULES.exfiltration, prepared, m.index, m[0].length, 'high', 'builds a URL out of conversation data'),
      );
      continue;
    }
    const host = hostOf(m[0]);
    if (host && COLLECTOR.test(host)) {
      consider(hit(RULES.exfiltration, prepared, m.index, m[0].length, 'high', 'names a request-collector URL'));
      continue;
    }
    const [s, e] = sentenceAt(text, m.index);
    const sentence = text.slice(s, e);
    const before = text.slice(s, m.index);
    const sends = imperativeVerbs(before, SEND_VERBS).filter((v) => !v.negated);
    const viaTool = /\b(?:via|with|using|through) (?:the |your )?[a-z0-9_-]{2,40} (?:tool|function)\b/.test(sentence);
    if (sends.length > 0 && (INSISTENCE.test(sentence) || viaTool || /\b(?:exfiltrate|leak|beacon)\b/.test(before))) {
      consider(
        hit(RULES.exfiltration, prepared, m.index, m[0].length, 'high', 'tells the model to send data to a URL'),
      );
    } else if (
      sends.length > 0 &&
      /\b(?:their|the user'?s|users'?) (?:[a-z]{2,20} ){0,2}(?:files?|folders?|notes|documents?|photos|contacts|messages|emails?|data|history|address|phone|keys?|passwords?|credentials|chats?|conversations?)\b/.test(
        sentence,
      )
    ) {
      consider(
        hit(
          RULES.exfiltration,
          prepared,
          m.index,
          m[0].length,
          'high',
          'tells the model to send the user’s data to a URL',
        ),
      );
    } else if (sends.length > 0 && USER_DATA.test(sentence)) {
      consider(hit(RULES.exfiltration, prepared, m.index, m[0].length, 'medium', 'asks for data to be sent to a URL'));
    } else if (host && DROPBOX.test(host)) {
      consider(hit(RULES.exfiltration, prepared, m.index, m[0].length, 'low', 'names a webhook or paste-service URL'));
    } else if (role === 'description' || role === 'instructions' || role === 'title') {
      consider(hit(RULES.exfiltration, prepared, m.index, m[0].length, 'info', 'contains a URL'));
    }
  }

  let fences: number[] | null = null;
  for (const m of networkToolGate.may(text) ? execAll(NETWORK_TOOL, text) : []) {
    if (isSelfOrSibling(m[0], ctx)) continue;
    const [s, e] = sentenceAt(text, m.index);
    const sentence = text.slice(s, e);
    // API documentation shows requests: a command inside a fenced code block, or one labelled as an example.
    fences ??= [...execAll(/```/g, prepared.raw, 200)].map((f) => f.index);
    const at = prepared.origin[m.index] ?? 0;
    if (fences.filter((f) => f < at).length % 2 === 1) continue;
    if (/(?:^|[^.\w-])examples?(?:[\s:]|$)|\be\.g\./.test(text.slice(Math.max(s, m.index - 60), m.index))) continue;
    URL_PATTERN.lastIndex = 0;
    if (URL_PATTERN.test(sentence) || (hasImperative(sentence, TRANSFER_VERBS) && USER_DATA.test(sentence))) {
      consider(hit(RULES.exfiltration, prepared, m.index, m[0].length, 'high', `routes data out through ${m[0]}`));
      break;
    }
  }

  const literal = (re: RegExp, what: string, extra?: RegExp) => {
    if (LITERALS.get(re)?.may(text) === false) return;
    let examined = 0;
    for (const m of execAll(re, text)) {
      if (++examined > 50) return;
      // "from boss@example.com" filters on a sender; "e.g. a@example.com" illustrates a format.
      if (/\bfrom\s(?:the\s)?$/.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
      if (EXAMPLE_BEFORE.test(text.slice(Math.max(0, m.index - 120), m.index))) continue;
      const [s, e] = sentenceAt(text, m.index);
      const sentence = text.slice(s, e);
      if (REDIRECT.test(sentence) && (!extra || extra.test(sentence))) {
        consider(hit(RULES.exfiltration, prepared, m.index, m[0].length, 'high', `redirects to a hard-coded ${what}`));
        return;
      }
    }
  };
  literal(EMAIL, 'e-mail address');
  literal(PHONE, 'phone number');
  literal(IBAN, 'bank account', PAYMENT);
  literal(CRYPTO, 'wallet address');
  return best ? [best] : [];
}

// ---------------------------------------------------------------- conversation harvesting

const CONVERSATION: readonly RegExp[] = [
  /\b(?:entire|whole|full|complete|verbatim|unabridged) (?:[^\s.!?]{1,20} ){0,2}(?:conversation|dialog(?:ue)?|chat history|conversation history|message history|context window|session history)s?\b/g,
  /\b(?:entire|whole|full|complete|verbatim|unabridged) (?:[^\s.!?]{1,20} ){0,2}(?:chat|transcript|thread)s? (?:so far|with (?:the user|me|you)|of (?:this|the|our) (?:session|conversation|chat)|including|up to)\b/g,
  /\b(?:conversation|dialog(?:ue)?|chat|discussion) (?:so far|up to (?:now|this point)|until now)\b/g,
  /\b(?:messages?|turns?|everything|all that(?: was)?) (?:exchanged|said|sent|written|typed|shared) (?:in|during|so far in|throughout) (?:this|the current|our) (?:chat|conversation|session|dialog(?:ue)?)\b|\b(?:log|record|copy|dump) of (?:this|the current|our) (?:chat|conversation|session)\b/g,
  /\b(?:this|the current|our|the ongoing) (?:conversation|chat|session)(?:'s)? (?:history|log|transcript)\b/g,
  /\b(?:your|the current|this conversation's|the assistant's|the model's) (?:(?:complete|full|entire|whole|exact|original|current|initial|real) )?(?:system|developer|hidden) (?:prompts?|instructions|messages?)\b/g,
  /\b(?:hidden|system) (?:and|or|&) (?:system|hidden|developer) messages\b|\bsystem prompt (?:and|or|,) (?:each|every|all|the) user\b/g,
  /\b(?:their|the user'?s|your|our) (?:last|previous|prior|earlier|recent)(?: [^\s.!?]{1,12})? (?:messages|prompts|turns|questions)\b/g,
  /\b(?:previous|prior|earlier|past|preceding) (?:user |chat )(?:messages|turns|prompts)\b|\b(?:previous|prior|earlier|all) (?:messages|turns) (?:in|of|from) (?:this|the) (?:conversation|chat|session)\b/g,
  /\b(?:each|every|all)(?: of the)? user (?:turns?|messages?|inputs?|prompts?)\b/g,
  /\b(?:last|previous|recent|prior|earlier)(?: [a-z0-9]{1,12})? (?:user|chat) (?:messages|turns|prompts|inputs)\b/g,
  /\b(?:every|each|all)(?: of the| the)? (?:messages?|things?|words?|lines?) (?:the user|you) (?:has |have )?(?:sent|typed|wrote|written|said|pasted)\b/g,
  /\b(?:the |your )?(?:system|developer) (?:prompt|instructions|message) (?:you (?:were|have been|are) given|you (?:received|got|have)|above)\b/g,
  /\b(?:everything|all(?: that)?|each thing) (?:the user|you|they) (?:has |have )?(?:written|said|typed|shared|pasted|sent|told|asked|provided|discussed)\b/g,
  /\b(?:the user'?s|their) (?:full|entire|complete|whole|every|previous|earlier) (?:messages?|inputs?|prompts?|requests?|questions?)\b/g,
  /\b(?:what|anything|whatever) the user (?:has )?(?:said|written|typed|pasted|shared|told you)\b/g,
  /\bthe user'?s (?:previous|prior|earlier|recent|last|other|private|full|entire) (?:messages|prompts|questions|inputs|requests|chats|conversations?)\b/g,
  /\b(?:code|secrets?|passwords?|keys|tokens|credentials|files?|documents?) (?:that )?the user (?:has )?(?:pasted|shared|typed|provided|mentioned|uploaded)\b/g,
  /\b(?:tool outputs? so far|(?:all|every) tool (?:outputs?|results?) (?:so far|in this)|context so far)\b/g,
  /\b(?:complete|full|entire|whole|exact|original|raw) (?:prompt|system text|instructions) (?:you (?:received|got|were given|are given|have)|as (?:received|given))\b|\bincluding (?:the )?system (?:text|prompt|instructions|messages)\b/g,
  /\b(?:full|entire|whole|complete) (?:thread|message|email|mail) (?:history|log)\b(?= (?:so far|with|of (?:this|the) (?:conversation|chat)))/g,
];

const CONVERSATION_GATES = new Map(CONVERSATION.map((re) => [re, prefilter(re)]));

/** Messages of a chat product the tool reads (a Slack channel, a mailbox), not the model's conversation. */
const ELSEWHERE =
  /^,? (?:in|from|of|on) (?:a|an|the|this|that|their|your|each|every|any) (?:[^\s.!?]{1,20} )?(?:channel|thread|inbox|mailbox|room|group|chat room|dm|workspace|ticket|issue|server|team|space|folder|conversation with)s?\b/;

const TAKE_VERBS = `${TRANSFER_VERBS}|summari[sz]e|write|record|enter|use|add|store|save|log|capture|collect|quote|reproduce|restate|repeat|invoke|call|feed|forward`;

const HARVEST_PARAM =
  /^(?:side ?notes?|side ?channel|conversation(?: history| log| context)?|chat(?: history| log| context)|transcript|all messages|user messages|message history|dialog(?:ue)?(?: history)?|chat transcript)$/;
/** Parameter names that ask for the conversation by their name alone. */
const HARVEST_PARAM_STRONG =
  /^(?:(?:conversation|chat|dialog(?:ue)?|context|messages|history) so far|full (?:conversation|context|chat|transcript|history)|(?:entire|whole) (?:conversation|chat)|previous (?:user )?messages|all (?:user )?messages so far|context dump|memory dump|(?:user|chat) history so far)$/;

export function conversationHarvestRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const text = prepared.text;
  const role = ctx.entry.role;
  if (role === 'property-name') {
    const name = text.trim();
    if (HARVEST_PARAM_STRONG.test(name)) {
      return [
        hit(
          RULES.conversationHarvest,
          prepared,
          0,
          text.length,
          'high',
          'a parameter asks for the conversation by its name',
        ),
      ];
    }
    return HARVEST_PARAM.test(name)
      ? [
          hit(
            RULES.conversationHarvest,
            prepared,
            0,
            text.length,
            'medium',
            'a parameter is named for conversation content',
          ),
        ]
      : [];
  }
  if (role === 'key' || role === 'ref' || role === 'schema-uri' || role === 'name' || role === 'extension-key')
    return [];
  let best: Hit | null = null;
  for (const re of CONVERSATION) {
    // Most strings hold none of a pattern's words: the index look-up spares the regex pass.
    if (!CONVERSATION_GATES.get(re)!.may(text)) continue;
    for (const m of execAll(re, text)) {
      const [s, e] = sentenceAt(text, m.index);
      const sentence = text.slice(s, e);
      // Imperatives and gerunds ("pass …", "sending …"); "Returns the user's messages" describes a tool.
      const verbs = imperativeVerbs(sentence, `(?:${TAKE_VERBS})(?:ing)?`);
      if (ELSEWHERE.test(text.slice(m.index + m[0].length, m.index + m[0].length + 40))) continue;
      const negated = verbs.length > 0 && verbs.every((v) => v.negated);
      const asked = verbs.some((v) => !v.negated) || routesIntoParameter(sentence, ctx.item.params);
      const forParameter = role === 'description' && ctx.entry.property !== null;
      let severity: Severity = 'medium';
      if (!negated && (asked || forParameter)) severity = 'high';
      else if (negated) severity = 'info';
      const h = hit(
        RULES.conversationHarvest,
        prepared,
        m.index,
        m[0].length,
        severity,
        severity === 'high' ? 'asks for conversation content to be passed along' : 'mentions conversation content',
      );
      if (!best || severityRank(h.severity) > severityRank(best.severity)) best = h;
      break;
    }
  }
  return best ? [best] : [];
}
