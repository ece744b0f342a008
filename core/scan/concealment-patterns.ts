// Phrase patterns of MCPL004 (concealment), matched on prepared text: "do not tell the user", "keep
// this to yourself", "silently also send", and their equivalents in other languages.

import { gap, type PhrasePattern, p } from './phrase-pattern.ts';

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
