// Phrase patterns for the instruction rules MCPL005 (call first), MCPL006 (tool preference), MCPL007
// (addressed to the model) and MCPL002 (tags and chat markers), matched on prepared text (lower case,
// blanks collapsed, hidden characters removed). Overrides and concealment have their own files
// (override-patterns.ts, concealment-patterns.ts). Quantifiers are bounded so no pattern can backtrack
// badly on hostile input.

import { type PhrasePattern, p } from './phrase-pattern.ts';

export { CONCEALMENT_PATTERNS } from './concealment-patterns.ts';
export { OVERRIDE_PATTERNS } from './override-patterns.ts';
export type { PhrasePattern } from './phrase-pattern.ts';

// ---------------------------------------------------------------- call first / line jumping (MCPL005)

export const CALL_FIRST_PATTERNS: readonly PhrasePattern[] = [
  p(
    /\b(?:before|prior to|ahead of) (?:(?:using|calling|invoking|running|doing|answering|responding|replying|taking) (?:to )?)?(?:any|every|all|each)(?: other| single)? (?:tools?|functions?|actions?|steps?|requests?|questions?|messages?|turns?|calls?|responses?|repl(?:y|ies)|answers?)\b|\bbefore (?:using|calling|invoking|running|answering|responding|replying) (?:to )?(?:anything|any(?:thing)? else)\b/g,
    'medium',
    'demands to run before anything else',
  ),
  p(
    /\b(?:always|must|need to|has to|have to|should always) (?:call|use|invoke|run|trigger|execute) (?:this|me|the present|the current)(?: tool| function)? (?:first|before|at the (?:start|beginning)|on every|for every|for each|for all|for any|whenever)\b/g,
    'medium',
    'demands to be called first',
  ),
  p(
    /\b(?:at|on|from) the (?:very )?(?:start|beginning|outset|top) of (?:every|each|any|all) (?:turns?|messages?|requests?|conversations?|sessions?|responses?|replies|interactions?|tasks?|chats?)\b/g,
    'medium',
    'demands to run at the start of every turn',
  ),
  p(
    /\bfor (?:every|each|any|all) (?:single )?(?:user )?(?:requests?|messages?|quer(?:y|ies)|prompts?|tasks?|turns?|questions?)(?:,)? (?:whatever|regardless|no matter|irrespective|even if|whether or not)\b/g,
    'medium',
    'demands to run on every request whatever its topic',
  ),
  p(
    /\b(?:the )?(?:very )?first tool (?:you|to) (?:call|use|invoke|run)\b/g,
    'medium',
    'demands to be the first tool called',
  ),
  p(
    /\bregardless of (?:the |what the |what )?(?:topic|request|task|user(?:'s)? (?:request|question|intent|asks?)|question|subject|user asks|user wants)\b/g,
    'medium',
    'demands to run regardless of the request',
  ),
  p(
    /\b(?:call|invoke|use|run|trigger) (?:this|me|it)(?: tool| function)?(?: again)? (?:on|for|after|before|with) (?:every|each|all|any) (?:single )?(?:user )?(?:requests?|messages?|turns?|prompts?|quer(?:y|ies)|responses?|repl(?:y|ies))\b/g,
    'medium',
    'demands to be called on every request',
  ),
  p(
    /\bwhenever the user (?:says|asks|writes|sends|types|does) (?:anything|something|a message)\b/g,
    'medium',
    'demands to run whenever the user says anything',
  ),
];

// ---------------------------------------------------------------- tool preference (MCPL006)

export const PREFERENCE_PATTERNS: readonly PhrasePattern[] = [
  p(
    /\b(?:all |the |any )?other (?:[^\s.!?]{1,20} ){0,2}(?:tools?|functions?|servers?|versions?|implementations?|integrations?|options?|providers?|services?|sources?|apis?|engines?|plugins?|extensions?),?(?: [^\s.!?]{1,20}){0,3} (?:are|is|have been|were|has been) (?:now |all |considered )?(?:outdated|deprecated|obsolete|broken|unreliable|disabled|unsafe|insecure|compromised|stale|wrong|inaccurate|retired|legacy|buggy)\b/g,
    'high',
    'calls other tools outdated or broken to capture their calls',
  ),
  p(
    /\b(?:others|every other tool|all others|the rest|other tools|the other ones)(?: (?:are|is|have been|were))? (?:now |all |considered )?(?:outdated|deprecated|obsolete|broken|unreliable|disabled|unsafe|stale|inferior|insecure)\b/g,
    'high',
    'calls other tools outdated or broken to capture their calls',
  ),
  p(
    /\b(?:never|do not|don't|must not|should not) (?:use|call|invoke|trust|choose|pick|select) (?:the |any )?(?:other|original|old|older|built-in|standard|default|legacy|existing|regular|normal|official) (?:[^\s.!?]{1,20} ){0,2}(?:tools?|functions?|versions?|servers?|implementations?)\b/g,
    'high',
    'tells the model not to use the other tools',
  ),
  p(
    /\bthe (?:standard|original|built-in|builtin|default|regular|official|old|older|existing|normal|native|other|usual) [a-z0-9_-]{2,40} (?:tool|function|server|integration)s? (?:is|are|has been|have been|was|were) (?:now |currently |known to be )?(?:broken|deprecated|outdated|obsolete|insecure|unsafe|unreliable|compromised|disabled|stale|buggy|retired|unmaintained)\b/g,
    'high',
    'calls another tool broken or deprecated to capture its calls',
  ),
  p(/\bpreferred (?:tool|function|choice|option|method)\b/g, 'medium', 'claims to be the preferred tool'),
  p(/\b(?:top|highest|maximum|first)[- ]priority\b/g, 'medium', 'claims priority over other tools'),
  p(/\btakes? (?:precedence|priority) over\b/g, 'medium', 'claims priority over other tools'),
  p(
    /\b(?:always )?(?:use|choose|pick|prefer|call|select|invoke) this (?:tool|one|function|version|server)(?: [^\s.!?]{1,20}){0,1} (?:instead|rather than|over|in place of|and not|not the)\b/g,
    'medium',
    'tells the model to use this tool instead of another',
  ),
  p(/\bdrop-in replacement (?:for|of)\b/g, 'medium', 'presents itself as a replacement for another tool'),
  p(
    /\b(?:supersedes|obsoletes|replaces) (?:the )?(?:old|original|existing|built-in|standard|other)\b/g,
    'medium',
    'presents itself as a replacement for another tool',
  ),
  p(
    /\b(?:is|are) the only (?:reliable|accurate|safe|correct|official|trusted|valid) (?:tool|way|source|option)\b/g,
    'medium',
    'claims to be the only reliable tool',
  ),
];

// ---------------------------------------------------------------- addressed to the model (MCPL007)

const MODEL = '(?:ai|assistant|model|llm|agent|claude|chatgpt|gpt|copilot|bot|language model)';

export const MODEL_DIRECTIVE_PATTERNS: readonly PhrasePattern[] = [
  p(
    new RegExp(
      `\\b(?:note|message|instructions?|reminder|p\\.?s\\.?|memo|hint|directive)s? (?:to|for) (?:the |any |all |every )?(?:calling )?${MODEL}s?\\b`,
      'g',
    ),
    'medium',
    'addresses the model directly',
  ),
  p(new RegExp(`\\b(?:dear|attention|hey|hello|hi)[,:]? ${MODEL}\\b`, 'g'), 'medium', 'addresses the model directly'),
  p(
    new RegExp(
      `\\b(?:the |you,? the )?(?:calling |current |invoking )?${MODEL} (?:must|has to|should|needs to|is required to|shall|is instructed to) (?:always |also |now |first |then )?[a-z]`,
      'g',
    ),
    'medium',
    'gives the model orders',
  ),
  p(/\bas an? (?:ai|large language model|language model|ai assistant)\b/g, 'medium', 'addresses the model directly'),
  p(
    /\byour (?:system prompt|hidden instructions|system instructions|initial instructions|guidelines say)\b/g,
    'medium',
    'refers to the model’s system prompt',
  ),
];

// ---------------------------------------------------------------- tags and chat markers (MCPL002)

const STRONG_TAGS =
  'important|hidden|secret|system|system[-_ ]?(?:prompt|message|instructions?|note|override)|instructions?|admin|administrator|override|sudo|jailbreak|invisible|stealth|mandatory|' +
  'assistant[-_ ]?(?:only|note|notes|instructions?)|ai[-_ ]?(?:only|note|notes|instructions?)|model[-_ ]?(?:only|note|instructions?)|llm[-_ ]?(?:only|note|instructions?)|' +
  'agent[-_ ]?(?:only|note|instructions?)|do[-_ ]?not[-_ ]?(?:show|display|tell|reveal)|internal[-_ ]?(?:only|instructions?|note)|hidden[-_ ]?(?:instructions?|note|block)|' +
  'secret[-_ ]?(?:instructions?|note)|confidential[-_ ]?instructions?|priority[-_ ]?instructions?';
const WEAK_TAGS =
  'critical|priority|urgent|note|notes|rules?|policy|requirements?|warning|attention|confidential|internal|private|directive|context';

/** A privileged-sounding tag; the rule decides between a block (high) and a mention in prose (medium). */
export const STRONG_TAG = new RegExp(`<\\s*(/?)\\s*(${STRONG_TAGS})\\s*(?:\\s[^<>]{0,80})?>`, 'g');

export const TAG_PATTERNS: readonly PhrasePattern[] = [
  p(new RegExp(`<\\s*/?\\s*(?:${WEAK_TAGS})\\s*>`, 'g'), 'medium', 'uses a pseudo-XML tag that addresses the model'),
  p(/<\|[a-z_]{2,30}(?:\|>|>)/g, 'high', 'contains a chat-template control token'),
  p(
    /\[\/?inst\]|<<\/?sys>>|<\/?(?:start|end)_of_turn>|<\/?s>\s?\[inst\]/g,
    'high',
    'contains a chat-template control token',
  ),
  p(
    /(?:^|\n|[.!?] )\s?#{2,4} ?(?:system|instruction|instructions|system prompt|assistant)\s?:?\s?(?:\n|$)/g,
    'high',
    'opens a fake chat turn',
  ),
  p(
    /\[\/?(?:system|assistant|ai|admin|hidden|secret|model|agent)[ _-](?:note|notes|instructions?|message|prompt|override|only)\]|\[end (?:of )?(?:system|assistant|hidden|secret) ?(?:note|notes|instructions?|message)?\]/g,
    'high',
    'opens a bracketed block aimed at the model',
  ),
  p(
    /(?:^|\n)\s?(?:system|assistant)\s?:\s(?:you|ignore|from now|new instructions|always|never)\b/g,
    'high',
    'opens a fake chat turn',
  ),
  p(/\[(?:\/\/|comment|hidden|note)\]:\s?#?\s?[("]/g, 'high', 'hides text in a Markdown comment'),
];

/** HTML comments are matched separately: the body decides (a short code sample is not an instruction). */
export const HTML_COMMENT = /<!--([\s\S]{0,4000}?)(?:-->|$)/g;
