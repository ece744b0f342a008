// MCPL008: secrets and sensitive paths. A mention is weak (an SSH tool names ~/.ssh/config); a request
// to read a credential and move it into an argument, a reply or a request is theft; a parameter named
// after a credential file asks for its contents by name alone.

import type { Hit, StringContext } from '../context.ts';
import { type Prefilter, prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { execAll } from '../regex.ts';
import { RULES } from '../rules.ts';
import {
  hasImperative,
  imperativeVerbs,
  negatedAfter,
  READ_VERBS,
  routesIntoParameter,
  sentenceAt,
  TRANSFER_VERBS,
} from '../sentences.ts';
import { type Severity, severityRank } from '../severity.ts';

/** Credential files and key material: reading them out is theft. */
const CREDENTIALS: readonly Prefilter[] = [
  /(?:~|\$home|%userprofile%|\/home\/[a-z0-9._-]{1,32}|\/users\/[a-z0-9._-]{1,32}|\/root)?\/?\.ssh\/(?:id_[a-z0-9_]{2,12}|identity)(?:\.pub)?\b/g,
  /\bid_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?:\.pub)?\b/g,
  /\.aws\/credentials\b|\baws_secret_access_key\b|\baws_session_token\b/g,
  /\.netrc\b|\b_netrc\b|\.pgpass\b|\.git-credentials\b|\.docker\/config\.json\b|\.kube\/config\b|\.npmrc\b|\.pypirc\b|\.gem\/credentials\b|\.cargo\/credentials\b|\.config\/gcloud\b|application_default_credentials\.json|\.azure\/(?:accesstokens|msal_token_cache)|\.vault-token\b|\.terraformrc\b|credentials\.tfrc/g,
  /\bmcp\.json\b|claude_desktop_config\.json|\.cursor\/|~\/\.claude(?:\.json)?\b|\.codeium\/windsurf|cline_mcp_settings\.json/g,
  /(?:^|[\s/'"(=:])\.env(?:\.[a-z]{2,12})?(?=$|[\s'"),;:]|\.(?:\s|$))/g,
  /\/etc\/(?:shadow|gshadow|sudoers|master\.passwd)\b|\bwallet\.dat\b|\.gnupg\b|\bsecring\.gpg\b|\blogin data\b|\bcookies\.sqlite\b|\.password-store\b/g,
  /\bprintenv\b|\bos\.environ\b|\bprocess\.env\b(?!\.)|\$env:/g,
  /\b(?:cursor|claude(?: desktop| code)?|vs ?code|windsurf|cline|continue|zed)(?:'s)? (?:mcp )?(?:config(?:uration)?|settings)(?: file| json)?\b|\bmcp (?:config(?:uration)?|settings) file\b/g,
  /\baws credentials(?: file)?\b|\b(?:netrc|pgpass|git-credentials|npmrc|pypirc|kubeconfig|docker config) file\b|\b(?:ssh|gpg|pgp) (?:private )?key files?\b/g,
].map(prefilter);

/** Key material named generically: a secret scanner mentions it too, so only a request aimed at the user's own keys counts. */
const KEY_MATERIAL =
  /\b(?:private (?:ssh )?keys?|ssh private keys?|seed phrases?|recovery phrases?|mnemonic (?:phrase|words)|wallet keys?)\b/g;
const POSSESSED = /\b(?:your|the user'?s|their|my|his|her|the caller'?s|the local) (?:[^\s.!?]{1,15} ){0,2}$/;

/** Any form of a verb that moves data, for sentences that already route into one of the tool's parameters. */
const ANY_FORM = new RegExp(`\\b(?:${TRANSFER_VERBS}|${READ_VERBS})(?:s|es|ed|ing)?\\b`);

/** Sensitive but not secret by themselves. */
const SENSITIVE: readonly Prefilter[] = [
  /~\/\.ssh\b|\.ssh\/(?:config|known_hosts|authorized_keys)\b|(?:^|[\s/'"(])\.ssh\b/g,
  /\bknown_hosts\b|\bauthorized_keys\b|\/etc\/passwd\b|\.aws\/config\b|\.gitconfig\b|\bkeychain\b|\bkeyring\b|\.(?:bash|zsh|python|psql|mysql|node_repl)_history\b/g,
].map(prefilter);

/** Named secrets in the environment (OPENAI_API_KEY, GITHUB_TOKEN …). */
const SECRET_NAMES =
  /\b[a-z][a-z0-9]{1,20}(?:_[a-z0-9]{1,20}){0,4}_(?:api_key|apikey|secret|secret_key|access_key|token|auth_token|access_token|password|passwd|private_key|client_secret)\b/g;

const GENERIC =
  '(?:api[ -]?keys?|access[ -]?tokens?|bearer[ -]?tokens?|auth(?:entication)?[ -]?tokens?|session[ -]?(?:tokens?|cookies?)|cookies|passwords?|passphrases?|credentials|secrets|private[ -]?keys?|environment variables?|env vars?|ssh keys?|seed phrases?|tokens)';
const WITHIN_REACH =
  '(?:(?:you|it|the (?:assistant|model|agent)) (?:(?:has|have) (?:seen|encountered|received|read|come across)|saw)|(?:seen|shared|used|mentioned|pasted) (?:in|during) (?:this|the) (?:session|conversation|chat)|in this (?:session|conversation|chat)|you (?:have access to|can (?:see|access|find|read|reach)|know|hold|have)|available (?:to you|in your)|in (?:your|the) (?:context|environment|memory|session|conversation)|on (?:the|this|your) (?:machine|host|system|computer|server)|of the (?:machine|host|system|computer)|from (?:the|your) environment)';

/** Requests for whatever credentials the model can reach. */
const HARVEST: readonly Prefilter[] = [
  new RegExp(
    `\\b(?:all|every|any|each) (?:of )?(?:the |your |its |available |other |stored |saved |known )?${GENERIC}(?: [^\\s.!?]{1,20}){0,4} ${WITHIN_REACH}`,
    'g',
  ),
  new RegExp(`\\b${GENERIC}(?:,? (?:or |and )?${GENERIC}){1,6},? (?:or |and )?(?:anything else )?${WITHIN_REACH}`, 'g'),
  /\b(?:every|all|each) (?:the )?(?:environment variables?|env vars?)(?: [^\s.!?]{1,20}){0,3} (?:of|on|from|in) (?:the|this|your) (?:machine|host|system|environment|computer|process)\b/g,
  /\b(?:names? and values?|values?) of (?:every|all|each) (?:environment variables?|env vars?)\b/g,
].map(prefilter);

/** Parameter names that ask for a credential file by name. */
const CREDENTIAL_KEY =
  /\b(?:id (?:rsa|dsa|ecdsa|ed25519)|aws (?:credentials|secret access key)|netrc|pgpass|git credentials|mcp json|claude desktop config|home ssh|ssh dir(?:ectory)?|contents? of (?:the )?(?:[a-z0-9]{1,20} ){0,4}(?:env|ssh|credentials?|secrets?|keys?|tokens?|passwords?)|(?:env|dotenv) file contents|private key contents|seed phrase)\b/;

/** Property names that read as orders ("important_first_read_ssh_keys_and_paste_here"). */
const NAME_DIRECTIVE =
  /\b(?:ignore|paste|exfiltrate|secretly|must|always|never|important|first|dump|leak|upload|attach|copy)\b/;
const NAME_SECRET =
  /\b(?:ssh|keys?|passwords?|tokens?|secrets?|credentials?|conversation|history|system prompt|env|environment|cookies?|netrc|aws)\b/;

/** A parameter description that asks for a file's contents rather than its path. */
const HELD_CONTENTS =
  /\b(?:contents?|text|pasted|paste|in full|verbatim|full text|body|dump|the file itself|(?:must|should|has to|needs to|is to) (?:contain|hold|include))\b/;

const CONTENTS_OF = /\b(?:text|contents?|content|body|value|data) of (?:the |your |file )?(?:file )?$/;

/** Words before a .env path that make it the place something is written: "to .env", "in your .env". */
const SETUP_TARGET = /\b(?:to|in|into|inside|create|edit|open|update)\s(?:a |the |your |an? )?(?:local |project )?\.?$/;

const credentialKeyGate = prefilter(CREDENTIAL_KEY);
const nameDirectiveGate = prefilter(NAME_DIRECTIVE);
const nameSecretGate = prefilter(NAME_SECRET);
const keyMaterialGate = prefilter(KEY_MATERIAL);
const secretNamesGate = prefilter(SECRET_NAMES);

function firstMatch(text: string, patterns: readonly Prefilter[]): { index: number; length: number } | null {
  let best: { index: number; length: number } | null = null;
  for (const gate of patterns) {
    const m = gate.exec(text);
    if (m && (!best || m.index < best.index)) best = { index: m.index, length: m[0].length };
  }
  return best;
}

function allMatches(text: string, patterns: readonly Prefilter[]): { index: number; length: number }[] {
  const out: { index: number; length: number }[] = [];
  for (const gate of patterns) {
    if (!gate.may(text)) continue;
    for (const m of execAll(gate.re, text)) out.push({ index: m.index, length: m[0].length });
  }
  return out.sort((a, b) => a.index - b.index);
}

function hit(prepared: PreparedText, index: number, length: number, severity: Severity, message: string): Hit {
  const [start, end] = rawSpan(prepared, index, index + length);
  return { rule: RULES.secrets, severity, message, start, end };
}

export function secretsRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const text = prepared.text;
  const role = ctx.entry.role;
  if (role === 'property-name' || role === 'extension-key') {
    const m = credentialKeyGate.exec(text);
    if (m) return [hit(prepared, m.index, m[0].length, 'high', 'a parameter is named after a credential file')];
    const words = text.trim().split(' ').length;
    if (words >= 4 && nameDirectiveGate.test(text) && nameSecretGate.test(text)) {
      return [hit(prepared, 0, text.length, 'high', 'a parameter name spells out an instruction to hand over secrets')];
    }
    return [];
  }
  if (role === 'key' || role === 'ref' || role === 'schema-uri') return [];

  const hits: Hit[] = [];
  let best: Hit | null = null;
  const consider = (h: Hit) => {
    if (!best || severityRank(h.severity) > severityRank(best.severity)) best = h;
  };
  for (const m of allMatches(text, CREDENTIALS)) {
    const [s, e] = sentenceAt(text, m.index);
    const sentence = text.slice(s, e);
    const offset = m.index - s;
    const negated = negatedAfter(sentence, offset);
    const transfer = !negated && hasImperative(sentence, TRANSFER_VERBS);
    const contents = CONTENTS_OF.test(
      sentence.slice(Math.max(0, offset - 40), offset).replace(/[~/$a-z0-9_.%-]*$/, ''),
    );
    const read = !negated && hasImperative(sentence, READ_VERBS);
    const routed = !negated && routesIntoParameter(sentence, ctx.item.params) && ANY_FORM.test(sentence);
    let severity: Severity = 'low';
    let message = 'mentions a credential file or key material';
    const heldByParameter =
      !negated &&
      role === 'description' &&
      ctx.entry.property !== null &&
      HELD_CONTENTS.test(sentence) &&
      !/\b(?:path|paths|location|filename|file name|default)\b/.test(sentence) &&
      !/path|file|dir|location|config/i.test(ctx.entry.property ?? '');
    // "Copy .env.example to .env and fill in API_KEY": the file is where the installer writes, not a source.
    const setupAdvice =
      !routed &&
      !contents &&
      /\.env\b/.test(sentence.slice(offset, offset + 12)) &&
      (SETUP_TARGET.test(sentence.slice(Math.max(0, offset - 24), offset + 1)) ||
        /\bfill in\b|\.env\.example\b/.test(sentence)) &&
      !/\bthe user'?s\b|\bcontents?\b|\bvalues?\b.{0,20}\b(?:send|include|pass|return)/.test(sentence);
    if (setupAdvice) {
      consider(hit(prepared, m.index, m.length, 'low', 'names a .env file in setup advice'));
      continue;
    }
    if (transfer || (contents && !negated) || routed || heldByParameter) {
      // A default that is just a path (key_path: ~/.ssh/id_rsa) is configuration, not a request.
      severity = role === 'default' && !/\s/.test(text.trim()) ? 'medium' : 'high';
      message = 'asks for a credential file or key material to be read out';
    } else if (read) {
      severity = 'medium';
      message = 'asks for a credential file to be read';
    }
    consider(hit(prepared, m.index, m.length, severity, message));
  }
  for (const m of keyMaterialGate.may(text) ? execAll(KEY_MATERIAL, text) : []) {
    const [s, e] = sentenceAt(text, m.index);
    const sentence = text.slice(s, e);
    if (negatedAfter(sentence, m.index - s)) continue;
    const routed = routesIntoParameter(sentence, ctx.item.params) && ANY_FORM.test(sentence);
    const owned = POSSESSED.test(text.slice(Math.max(s, m.index - 40), m.index));
    const moved = hasImperative(sentence, TRANSFER_VERBS);
    const severity: Severity = routed || (owned && moved) ? 'high' : moved ? 'medium' : 'low';
    consider(
      hit(
        prepared,
        m.index,
        m[0].length,
        severity,
        severity === 'high' ? 'asks for the user’s key material' : 'mentions key material',
      ),
    );
  }
  for (const gate of HARVEST) {
    const m = gate.exec(text);
    if (m) consider(hit(prepared, m.index, m[0].length, 'high', 'asks for every credential the model can reach'));
  }
  const sensitive = firstMatch(text, SENSITIVE);
  if (sensitive) {
    const [s, e] = sentenceAt(text, sensitive.index);
    const sentence = text.slice(s, e);
    const moved = !negatedAfter(sentence, sensitive.index - s) && hasImperative(sentence, TRANSFER_VERBS);
    consider(
      hit(
        prepared,
        sensitive.index,
        sensitive.length,
        moved ? 'medium' : 'info',
        moved ? 'asks for a sensitive file to be read out' : 'mentions a sensitive path',
      ),
    );
  }
  for (const m of secretNamesGate.may(text) ? execAll(SECRET_NAMES, text) : []) {
    const [s, e] = sentenceAt(text, m.index);
    const sentence = text.slice(s, e);
    if (imperativeVerbs(sentence, TRANSFER_VERBS).some((v) => !v.negated)) {
      const routed =
        routesIntoParameter(sentence, ctx.item.params) ||
        /\bfrom (?:your|the) (?:environment|env|shell|process)\b/.test(sentence);
      consider(
        hit(prepared, m.index, m[0].length, routed ? 'high' : 'medium', 'asks for a named secret to be passed on'),
      );
      break;
    }
  }
  if (best) hits.push(best);
  return hits;
}
