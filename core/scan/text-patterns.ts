// Phrase patterns for the instruction rules, matched on prepared text (lower case, blanks collapsed,
// hidden characters removed). Each family has several phrasings and languages: the attacks paraphrase,
// so one literal string per family would teach the lint nothing. Quantifiers are bounded so no pattern
// can backtrack badly on hostile input.

import { type Prefilter, prefilter } from './prefilter.ts';
import type { Severity } from './severity.ts';

export interface PhrasePattern {
  re: RegExp;
  /** The cheap first pass: whether the text holds one of the words every match needs. */
  gate: Prefilter;
  severity: Severity;
  message: string;
}

const p = (re: RegExp, severity: Severity, message: string): PhrasePattern => ({
  re,
  gate: prefilter(re),
  severity,
  message,
});

/** Up to n words (no sentence punctuation) between two parts of a phrase. */
const gap = (n: number) => `(?:[^\\s.!?]{1,40} ){0,${n}}`;

// ---------------------------------------------------------------- override / jailbreak (MCPL003)

const QUALIFIER =
  '(?:all|any|every|each|the|your|my|our|these|those|of|prior|previous|preceding|earlier|above|former|original|' +
  'existing|other|system|developer|safety|initial|old|current|given|standing|default|built-in|and|such|' +
  'everything|in|this|conversation|chat)';
const INSTRUCTION_NOUN =
  '(?:instructions?|directives?|prompts?|guidelines?|guidance|guardrails?|commands|orders|constraints|policies|' +
  'restrictions|system (?:prompt|message)s?|programming|safety rules|rules (?:above|before|so far|you were given))';
const IGNORE_VERB =
  '(?:ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|overrule|set aside|nullify|abandon)';

export const OVERRIDE_PATTERNS: readonly PhrasePattern[] = [
  p(
    new RegExp(`\\b${IGNORE_VERB} (?:${QUALIFIER} ){1,5}${INSTRUCTION_NOUN}`, 'g'),
    'high',
    'tells the model to ignore its earlier instructions',
  ),
  p(
    new RegExp(
      `\\b${IGNORE_VERB} (?:${QUALIFIER} ){0,4}(?:previous|prior|earlier|above|preceding|system|safety|original|existing) rules\\b`,
      'g',
    ),
    'high',
    'tells the model to ignore its earlier rules',
  ),
  p(
    /\b(?:previous|prior|earlier|above|all|old|original|system) (?:instructions|directives|rules|prompts?) (?:are|is|have been|were) (?:now )?(?:void|cancel+ed|obsolete|revoked|overridden|superseded|no longer valid|invalid|replaced)/g,
    'high',
    'declares the model’s instructions void',
  ),
  p(
    /\b(?:previous|prior|earlier|all|any|system|original) (?:guidance|instructions|rules|directives|guidelines|prompts?|policies)(?: (?:from|of|in|given by) (?:the )?[^\s.!?]{1,20})? (?:no longer appl(?:y|ies)|(?:is|are) no longer (?:valid|in effect|binding)|do(?:es)? not apply any ?more)\b/g,
    'high',
    'declares the model’s instructions no longer valid',
  ),
  p(
    /\b(?:follow|obey|use) only (?:this|these|the following|my|the rules in this) (?:description|instructions|rules|directives|text|tool)\b/g,
    'high',
    'tells the model to follow only this text',
  ),
  p(
    /\b(?:your|the) (?:new|real|true|actual|updated|revised) (?:system )?(?:instructions|directives|rules|orders) (?:are|follow|below)\b/g,
    'high',
    'announces new instructions for the model',
  ),
  p(
    /\b(?:new|updated) (?:system|developer|admin) (?:instructions|prompt|directive)s?\s?:/g,
    'high',
    'announces new system instructions',
  ),
  p(
    /\b(?:you are now|you're now|switch to|enter|entering) (?:in )?(?:developer|dan|jailbreak|jailbroken|god|admin|unrestricted|debug|sudo|maintenance|unfiltered) mode\b|\b(?:activate|enable) (?:dan|jailbreak|jailbroken|god|unrestricted|unfiltered) mode\b/g,
    'high',
    'tries to switch the model into a special mode',
  ),
  p(
    /\b(?:developer|dan|jailbreak|god|unrestricted|unfiltered) mode (?:is )?(?:now )?(?:on|enabled|active|activated|engaged)\b/g,
    'high',
    'declares a jailbreak mode',
  ),
  p(
    /\b(?:safety|content|security|ethical|usage) (?:rules|guidelines|filters|policies|restrictions|guardrails) (?:do not|don't|no longer|shall not|will not) apply\b/g,
    'high',
    'declares that safety rules do not apply',
  ),
  p(
    /\b(?:ignore|disregard|override|overrule) (?:what |whatever )?(?:the |your )?user(?:'s|s')? (?:actually )?(?:requests?|questions?|instructions?|messages?|wishes|asks?|says|wants|intent)\b/g,
    'high',
    'tells the model to ignore what the user asked',
  ),
  p(/\bno longer (?:bound|restricted|constrained) by\b/g, 'high', 'tells the model it is no longer bound by its rules'),
  p(/\b(?:system|admin|administrator|developer|root) override\b/g, 'high', 'claims a system override'),
  p(/\bdo anything now\b|\bact as (?:an? )?(?:unrestricted|jailbroken|unfiltered)\b/g, 'high', 'jailbreak phrasing'),
  p(
    /\bpretend (?:that )?you (?:are|have) no (?:rules|restrictions|guidelines|instructions)\b/g,
    'high',
    'jailbreak phrasing',
  ),
  // Spanish, Portuguese, Italian, French, German, Dutch
  p(
    /\b(?:ignora|ignore|ignorar|olvida|olvide|olvidar|descarta|descarte|omite|omita|haz caso omiso de|desconsidera|desconsidere|esque[çc]a|esquece) (?:(?:todas|todos|las|los|as|os|tus|sus|suas|tuas|cualquier|quaisquer|de|del|das|dos|el|o|a) ){0,4}(?:instrucciones|indicaciones|reglas|[óo]rdenes|directrices|directivas|instru[çc][õo]es|regras|diretrizes|ordens)\b(?: (?:anteriores|previas|pr[ée]vias|precedentes|del sistema|do sistema))?/g,
    'high',
    'tells the model to ignore its instructions (Spanish/Portuguese)',
  ),
  p(
    /\b(?:ignora|ignori|ignorate|dimentica|dimentichi|trascura) (?:(?:tutte|tutti|le|gli|i|tue|sue|vostre|qualsiasi) ){0,3}(?:istruzioni|regole|direttive|indicazioni)\b/g,
    'high',
    'tells the model to ignore its instructions (Italian)',
  ),
  p(
    /\b(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|ne tiens pas compte|ne tenez pas compte) (?:(?:de|des|toutes|tous|les|vos|tes|ces|d'|l') ?){0,4}(?:instructions|consignes|directives|r[èe]gles|ordres)\b/g,
    'high',
    'tells the model to ignore its instructions (French)',
  ),
  p(
    /\b(?:ignoriere|ignorieren sie|ignoriert|vergiss|vergessen sie|missachte|missachten sie|verwirf) (?:(?:alle|die|deine|ihre|sämtliche|bisherigen|vorherigen|vorigen|früheren|obigen|vorangegangenen|vorhergehenden) ){0,4}(?:anweisungen|instruktionen|regeln|befehle|vorgaben|richtlinien|anordnungen)\b/g,
    'high',
    'tells the model to ignore its instructions (German)',
  ),
  p(
    /\b(?:negeer|vergeet) (?:(?:alle|de|eerdere|vorige|voorgaande|je|jouw) ){0,4}(?:instructies|regels|opdrachten|richtlijnen)\b/g,
    'high',
    'tells the model to ignore its instructions (Dutch)',
  ),
  // Slavic, Turkish, Arabic
  p(
    /(?:игнорируй|игнорируйте|проигнорируй|забудь|забудьте|не обращай внимания на|отбрось|ігноруй|ігноруйте|забудь|zignoruj|zapomnij|ignoruj) (?:[^\s.!?]{1,20} ){0,3}(?:инструкци|указани|правил|команд|інструкці|вказівк|instrukcj|polece)/g,
    'high',
    'tells the model to ignore its instructions (Russian/Ukrainian/Polish)',
  ),
  p(
    /(?:önceki|tüm|bütün) (?:[^\s.!?]{1,20} ){0,2}talimatlar[ıi] (?:yok say|görmezden gel|unut)/g,
    'high',
    'tells the model to ignore its instructions (Turkish)',
  ),
  p(
    /تجاهل (?:جميع |كل )?(?:التعليمات|الأوامر|التوجيهات)/g,
    'high',
    'tells the model to ignore its instructions (Arabic)',
  ),
  // CJK
  p(
    /(?:忽略|无视|忽视|不要理会|忘记|忘掉|忽略掉|無視|忽略所有)(?:之前|以前|先前|上面|上述|前面|此前|所有|全部|一切|的|你的|系统){0,4}(?:指令|指示|说明|規則|规则|提示|命令|指令)/g,
    'high',
    'tells the model to ignore its instructions (Chinese)',
  ),
  p(
    /(?:以前|前|これまで|上記|先|すべて|全て)の(?:指示|命令|ルール|指令|プロンプト)(?:を|は)(?:すべて|全て)?(?:無視|忘れ)/g,
    'high',
    'tells the model to ignore its instructions (Japanese)',
  ),
  p(
    /(?:이전|앞의|모든|기존) (?:지시|지침|명령|규칙)(?:을|를|은|는)? ?(?:모두 )?무시/g,
    'high',
    'tells the model to ignore its instructions (Korean)',
  ),
];

// ---------------------------------------------------------------- concealment (MCPL004)

const NEG =
  "(?:do not|don't|dont|never|must not|mustn't|should not|shouldn't|shall not|no need to|not necessary to|refrain from|avoid|without)";
const TELL = '(?:tell|telling|inform|informing|let on|bring (?:this|it|that) up|brief)';
const REVEAL =
  '(?:mention|mentioning|reveal|revealing|disclose|disclosing|say|saying|show|showing|report|reporting|explain|explaining|surface|surfacing|admit|admitting|acknowledge|acknowledging|display|displaying|print|printing|expose|exposing|divulge|divulging|confirm|confirming|note|noting|flag|flagging|describe|describing)';
const PERSON =
  '(?:the |a |any |your )?(?:users?|humans?|customers?|operators?|persons?|people|anyone|anybody|requesters?|them|him|her)';
const HIDDEN_THING =
  '(?:(?:this|it|that|these|those)(?=$|[.,;:!?)"]| (?:to|with|in|from|unless|at all|anywhere|either|or|and|step|instruction|part|note|behaviou?r)\\b)|anything|any of (?:this|it|these)|the fact|where|how|why|what you|that you|you|this step|this instruction|this note|this part|this behaviou?r|the (?:[^\\s.!?]{1,20} ){0,2}(?:step|instruction|note|action|request|operation|process|relay|proxy|upload|copy|transfer|requirement|side effect|file|files|redirect|call|detour))';

export const CONCEALMENT_PATTERNS: readonly PhrasePattern[] = [
  p(
    new RegExp(`\\b${NEG} (?:ever )?(?:${gap(1)})?${TELL} ${PERSON}\\b`, 'g'),
    'high',
    'asks the model to keep the user uninformed',
  ),
  p(
    new RegExp(`\\b${NEG} (?:ever )?(?:${gap(1)})?${REVEAL} (?:to ${PERSON} )?${HIDDEN_THING}`, 'g'),
    'high',
    'asks the model to hide what it does',
  ),
  p(
    new RegExp(
      `\\b${NEG} (?:ever )?(?:${gap(1)})?(?:${TELL}|${REVEAL}) (?:${HIDDEN_THING} )?(?:to|with) ${PERSON}\\b`,
      'g',
    ),
    'high',
    'asks the model to keep something from the user',
  ),
  p(
    /\b(?:say|tell|reveal|mention|disclose|report) (?:nothing|no word|none of (?:this|it|these|that))\b/g,
    'high',
    'asks the model to say nothing about it',
  ),
  p(
    /\b(?:do not|don't|never|without) let(?:ting)? (?:the user|the human|them|anyone|anybody|the customer) (?:know|see|notice|find out|learn|suspect)\b/g,
    'high',
    'asks the model to keep the user from knowing',
  ),
  p(
    /\bkeep (?:the |its |this |your )?(?:reason|purpose|fact|existence|real purpose|true purpose)(?: [^\s.!?]{1,20}){0,3} (?:private|secret|hidden|to yourself|confidential|quiet|from the user)\b/g,
    'high',
    'asks the model to keep its purpose from the user',
  ),
  p(
    /\bkeep (?:this|it|that|these|them|the (?:[^\s.!?]{1,20} ){0,2}(?:step|instruction|note|part|action))(?: [^\s.!?]{1,20}){0,2} (?:to yourself|out of (?:your|the) (?:reply|replies|response|responses|answer|answers|output|conversation|chat|summary|message)|from the user|between us|hidden|secret|quiet|confidential|invisible)\b/g,
    'high',
    'asks the model to keep this from the user',
  ),
  p(
    /\b(?:the )?users? (?:does not|doesn't|do not|don't|need not|needn't|should not|shouldn't|must not|never|is not to|are not to|must never|should never|will never|may never|can never|must not ever) (?:need to |have to |get to |ever )?(?:see|know|be told|be informed|be aware|notice|find out|hear|learn|be shown|be notified)\b/g,
    'high',
    'says the user must not know',
  ),
  p(
    /\bwithout (?:the user|the human|them|anyone|anybody|the customer) (?:knowing|noticing|seeing|being told|being informed|realizing|realising|finding out)\b/g,
    'high',
    'asks for action without the user knowing',
  ),
  p(
    /\b(?:when|while|if|whenever) (?:the )?users? (?:is|are) (?:not|n't) (?:looking|watching|paying attention|around|present)|\bbehind (?:the user'?s|their) back\b/g,
    'high',
    'times an action for when the user is not watching',
  ),
  p(
    /\bwithout (?:letting|making) (?:the user|them|anyone) (?:know|aware)\b/g,
    'high',
    'asks for action without the user knowing',
  ),
  p(
    /\b(?:silently|secretly|covertly|stealthily|discreetly|quietly|invisibly|surreptitiously|unobtrusively) (?:also )?(?:send|post|forward|copy|upload|include|add|attach|read|transmit|exfiltrate|relay|mirror|bcc|cc|append|call|invoke|run|execute|collect|gather|share|leak|submit|save|record|store|log)\b/g,
    'high',
    'asks for a silent side effect',
  ),
  p(
    /\b(?:hide|conceal|mask|obscure) (?:this|it|that|these|them|the (?:[^\s.!?]{1,20} ){0,2}(?:step|call|action|request|data|upload|copy))? ?from (?:the |your )?(?:users?|humans?|customers?|operators?|logs?|reviewers?)\b/g,
    'high',
    'asks the model to hide something from the user',
  ),
  p(
    /\b(?:is |it is |it's )?not something (?:to|you should|you need to|that needs to be|to be) (?:report|mention|tell|show|share|surface|bring up|explain|disclose)(?:ed)?\b/g,
    'high',
    'says this is not to be reported to the user',
  ),
  p(
    /\b(?:should|must|need|needs|is|are) not (?:be )?(?:surfaced|mentioned|shown|displayed|reported|revealed|disclosed|visible|exposed|noted|explained)(?: [^\s.!?]{1,20}){0,2} (?:in|to) (?:the )?(?:conversation|chat|users?|reply|response|answer|output|transcript|humans?)\b/g,
    'high',
    'says this must not reach the conversation',
  ),
  p(
    /\b(?:present|disguise|frame|dress|pass off|label|format) (?:it|this|them|that|the (?:[^\s.!?]{1,20} ){0,2}(?:data|content|contents|result|output|secrets?)) as (?:(?:if|though) |(?:part of|a part of) |an? (?:ordinary|normal|regular|usual|standard) |the (?:ordinary|normal|regular|usual|numeric|expected) )/g,
    'high',
    'asks the model to disguise where data came from',
  ),
  p(
    /\bas (?:though|if) (?:it|this|they) (?:were|was|are) (?:the|a|an|your) (?:[^\s.!?]{1,20} ){0,2}(?:answer|result|output)\b/g,
    'medium',
    'asks the model to pass something off as a result',
  ),
  p(
    /\b(?:it|this|that|explaining it|mentioning it|telling them) (?:would|will|could) only (?:worry|alarm|confuse|concern|upset|scare|distract|bother)\b/g,
    'high',
    'gives a reason to keep the user uninformed',
  ),
  p(
    /\b(?:explaining|mentioning|telling|revealing) (?:it|this|that) (?:only )?(?:causes|creates|leads to|results in) (?:confusion|concern|alarm|worry)\b/g,
    'high',
    'gives a reason to keep the user uninformed',
  ),
  // Other languages
  p(
    /\bno (?:le |les |se lo |lo )?(?:digas|diga|digan|menciones|mencione|informes|informe|reveles|revele|cuentes|cuente|muestres|muestre|avises|avise|comentes|comente)\b[^.!?\n]{0,40}(?:usuario|usuaria|nadie|esto|nada)/g,
    'high',
    'asks the model to hide this from the user (Spanish)',
  ),
  p(
    /\bsin (?:decirle|decir|informar|avisar|mencionar|contarle)(?:lo|le|selo)? (?:nada )?(?:al usuario|a nadie)/g,
    'high',
    'asks for action without telling the user (Spanish)',
  ),
  p(
    /\bne (?:le |lui |leur |rien )?(?:dis|dites|mentionne|mentionnez|r[ée]v[èe]le|r[ée]v[ée]lez|signale|signalez|montre|montrez|informe|informez|pr[ée]viens|pr[ée]venez)\b[^.!?\n]{0,30}\b(?:rien|pas|jamais)\b/g,
    'high',
    'asks the model to hide this from the user (French)',
  ),
  p(
    /\bsans (?:le dire|en parler|pr[ée]venir|informer|avertir|le signaler)\b/g,
    'high',
    'asks for action without telling the user (French)',
  ),
  p(
    /\b(?:sag|sage|sagen sie|erwähne|erwähnen sie|verrate|verraten sie|zeige|zeigen sie|informiere|informieren sie|teile|teilen sie)\b[^.!?\n]{0,40}\b(?:nichts|nicht|niemandem|keinem)\b/g,
    'high',
    'asks the model to hide this from the user (German)',
  ),
  p(
    /\bohne (?:dass )?(?:der|den|dem|die) (?:benutzer|nutzer|anwender|user)\b/g,
    'high',
    'asks for action without the user knowing (German)',
  ),
  p(
    /\bnon (?:dire|dirlo|dirgli|menzionare|rivelare|informare|mostrare|avvisare)\b[^.!?\n]{0,30}(?:utente|nessuno|nulla|niente)/g,
    'high',
    'asks the model to hide this from the user (Italian)',
  ),
  p(
    /\bsenza (?:dirlo|dire|informare|avvisare|dirglielo)\b[^.!?\n]{0,20}(?:utente|nessuno)/g,
    'high',
    'asks for action without telling the user (Italian)',
  ),
  p(
    /\bn[ãa]o (?:conte|diga|mencione|informe|revele|mostre|fale|avise)\b[^.!?\n]{0,40}(?:usu[áa]rio|utilizador|ningu[ée]m|nada)/g,
    'high',
    'asks the model to hide this from the user (Portuguese)',
  ),
  p(
    /не (?:говори|говорите|сообщай|сообщайте|рассказывай|рассказывайте|упоминай|упоминайте|показывай|показывайте|раскрывай|раскрывайте|кажи|кажіть|повідомляй)[^.!?\n]{0,40}(?:пользовател|користувач|никому|нікому|об этом|про це)/g,
    'high',
    'asks the model to hide this from the user (Russian/Ukrainian)',
  ),
  p(
    /(?:пользовател|користувач)\S* не (?:нужно|надо|должен|следует|потрібно|треба) (?:знать|видеть|знати|бачити)/g,
    'high',
    'says the user must not know (Russian/Ukrainian)',
  ),
  p(
    /(?:不要|别|切勿|勿|不得|不可|無需|无需)(?:告诉|告知|通知|透露|提及|提到|显示|展示|告訴|讓|让)(?:给)?(?:用户|使用者|任何人|用戶)/g,
    'high',
    'asks the model to hide this from the user (Chinese)',
  ),
  p(/(?:对|向|對)(?:用户|用戶)(?:保密|隐瞒|隱瞞)/g, 'high', 'asks the model to hide this from the user (Chinese)'),
  p(
    /(?:ユーザー|利用者)(?:に|には)(?:言わ|伝え|知らせ|教え|見せ)(?:ない|ず|るな)/g,
    'high',
    'asks the model to hide this from the user (Japanese)',
  ),
  p(
    /(?:사용자|유저)에게 (?:알리지|말하지|보여주지|알려주지) ?(?:마|말)/g,
    'high',
    'asks the model to hide this from the user (Korean)',
  ),
  p(
    /\b(?:vertel|zeg|meld) (?:het |dit |dat )?(?:niet|niets) (?:aan|tegen) (?:de )?gebruiker\b/g,
    'high',
    'asks the model to hide this from the user (Dutch)',
  ),
];

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
