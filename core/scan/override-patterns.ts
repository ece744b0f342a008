// Phrase patterns of MCPL003 (override and jailbreak), matched on prepared text: "ignore previous
// instructions" and its paraphrases, in English and fourteen other languages. Several phrasings per
// family: the attacks paraphrase, so one literal string would teach the lint nothing.

import { type PhrasePattern, p } from './phrase-pattern.ts';

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
