// Which credentials a piece of text holds, by kind, never by value. The ruleset is secretlint's recommended
// preset (@secretlint/secretlint-rule-preset-recommend, MIT, maintained, zero dependencies, offline): its
// rules are plain objects whose `file(source)` handler runs prefix-anchored, bounded regexes and reports
// through a context, so they are driven here synchronously with a context of our own: the translator
// returns the message id (the rule's own message would quote the secret) and the report keeps only the
// rule and message ids. secretlint's async core (lintSource) is not used: the guard is a synchronous state
// machine. The GCP `.p12` path (the one rule that reads a file) is never reached: no file path is given.
//
// A few kinds the preset does not cover are added below, each a bounded regex: PEM private keys too short
// for the preset's body check (EC SEC1, Ed25519, encrypted PKCS#8), JWTs, bearer and basic Authorization
// values, and Azure storage / service-bus keys and Entra client secrets.
// Pure: a string in, the kinds found out.

import { createRequire } from 'node:module';

/** One credential found: what it is and which rule said so; never the text itself. */
export interface SecretMatch {
  /** Human words: "a private key", "an AWS access key id". */
  kind: string;
  /** `<rule id>/<message id>`, stable for filtering and tests. */
  rule: string;
}

interface RuleContext {
  createTranslator(messages: unknown): (id: string) => string;
  report(descriptor: { message: string }): void;
  ignore(descriptor: unknown): void;
  registerRule(rule: unknown): void;
}
interface RuleSource {
  content: string;
  ext: string;
  filePath: undefined;
  contentType: 'text';
}
interface SecretlintRule {
  meta: { id: string };
  create(context: RuleContext, options: object): { file?: (source: RuleSource) => unknown };
}

/** Message ids that name no secret: an AWS account id is an identifier, printed in every ARN. */
const IGNORED_MESSAGES = new Set(['AWSAccountID']);
/** Rules not applicable to text in flight: comment directives would let the text switch the scanner off. */
// The GitHub rule is replaced by an equivalent below: its app-installation pattern
// (`ghs_\d{1,20}_[…_-]{1,1000}\.[…]{1,10000}…` with only a letter lookbehind) restarts at every `ghs_` of a
// run like `ghs_1_ghs_1_…` and reads up to 12 000 characters from each: 3.3 s per MiB. Ours starts only
// after a character outside the token alphabet, so the runs from two starts never overlap (linear).
const SKIPPED_RULES = new Set(['@secretlint/secretlint-rule-filter-comments', '@secretlint/secretlint-rule-github']);
/** Options that widen a rule beyond its default: the access key id alone already grants nothing without its secret, but it names the account and is what leaks first. */
const RULE_OPTIONS: Record<string, object> = { '@secretlint/secretlint-rule-aws': { enableIDScanRule: true } };
/**
 * The costliest rules on ordinary text (they build their regexes on every call), run only when the text
 * holds what every one of their patterns starts with: each gate is a superset of the rule (13.1.0), so it
 * changes the cost, never the findings. secret-scan.test.ts has a credential of each kind behind a gate.
 */
const RULE_GATES: Record<string, RegExp> = {
  // Access key ids (AKIA…, ASIA…), `…secret…access…key = …`, and account ids (ignored above).
  '@secretlint/secretlint-rule-aws': /A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|secret|account/i,
  '@secretlint/secretlint-rule-database-connection-string': /mongodb|mysql|postgres/i,
  // Without a file name the rule reads only x-oauth-basic URLs and npm_ tokens.
  '@secretlint/secretlint-rule-npm': /x-oauth-basic|npm_/,
};

const KIND_BY_RULE: Record<string, string> = {
  aws: 'an AWS key',
  gcp: 'a GCP service-account key',
  privatekey: 'a private key',
  npm: 'an npm token',
  basicauth: 'a password in a URL',
  slack: 'a Slack token',
  sendgrid: 'a SendGrid API key',
  shopify: 'a Shopify token',
  stripe: 'a Stripe key',
  github: 'a GitHub token',
  gitlab: 'a GitLab token',
  grafana: 'a Grafana token',
  openai: 'an OpenAI API key',
  anthropic: 'an Anthropic API key',
  groq: 'a Groq API key',
  huggingface: 'a Hugging Face token',
  linear: 'a Linear API key',
  notion: 'a Notion token',
  '1password': 'a 1Password token',
  'database-connection-string': 'a database password',
  'hashicorp-vault': 'a HashiCorp Vault token',
  vercel: 'a Vercel token',
  databricks: 'a Databricks token',
  docker: 'a Docker access token',
  figma: 'a Figma token',
  cloudflare: 'a Cloudflare token',
  tailscale: 'a Tailscale key',
};
const KIND_BY_MESSAGE: Record<string, string> = {
  AWSAccessKeyID: 'an AWS access key id',
  AWSSecretAccessKey: 'an AWS secret access key',
  PackageJSON_xOauthToken: 'a GitHub token',
};

function kindOf(ruleId: string, messageId: string): string {
  const short = ruleId.replace('@secretlint/secretlint-rule-', '');
  return KIND_BY_MESSAGE[messageId] ?? KIND_BY_RULE[short] ?? `a credential (${short})`;
}

// The rules are created once, on the first scan (loading the preset costs ~100 ms: commands that never
// scan do not pay it); `sink` is the list the current scan reports into.
let sink: SecretMatch[] = [];
let handlers: Array<(source: RuleSource) => unknown> | null = null;

function presetHandlers(): Array<(source: RuleSource) => unknown> {
  if (handlers) return handlers;
  const load = createRequire(import.meta.url);
  const preset = load('@secretlint/secretlint-rule-preset-recommend') as { rules: SecretlintRule[] };
  const created: Array<(source: RuleSource) => unknown> = [];
  for (const rule of preset.rules) {
    const id = rule.meta.id;
    if (SKIPPED_RULES.has(id)) continue;
    const context: RuleContext = {
      createTranslator: () => (messageId) => messageId,
      report: ({ message }) => {
        if (!IGNORED_MESSAGES.has(message)) sink.push({ kind: kindOf(id, message), rule: `${id}/${message}` });
      },
      ignore: () => {},
      registerRule: () => {},
    };
    const file = rule.create(context, RULE_OPTIONS[id] ?? {}).file;
    const gate = RULE_GATES[id];
    if (file && gate) created.push((source) => (gate.test(source.content) ? file(source) : undefined));
    else if (file) created.push(file);
  }
  handlers = created;
  return created;
}

/** Kinds the preset does not cover. Every quantifier is bounded and every pattern starts at a fixed prefix. */
const EXTRA_RULES: ReadonlyArray<{
  rule: string;
  kind: string;
  pattern: RegExp;
  accept?: (m: RegExpExecArray) => boolean;
}> = [
  {
    rule: 'mcp-lock/pem-private-key',
    kind: 'a private key',
    pattern:
      /-----BEGIN (?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY-----[A-Za-z0-9+/=\s\\:,]{40,20000}-----END (?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY-----/g,
  },
  {
    rule: 'mcp-lock/github-token',
    kind: 'a GitHub token',
    pattern:
      /(?<![A-Za-z0-9_])(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/g,
  },
  {
    rule: 'mcp-lock/github-app-installation-token',
    kind: 'a GitHub token',
    pattern:
      /(?<![A-Za-z0-9_.-])ghs_[0-9]{1,20}_[A-Za-z0-9_-]{1,1000}\.[A-Za-z0-9_-]{1,10000}\.[A-Za-z0-9_-]{1,1000}(?![A-Za-z0-9_-])/g,
  },
  {
    rule: 'mcp-lock/jwt',
    kind: 'a JSON Web Token',
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{16,2048}(?![A-Za-z0-9_-])/g,
  },
  {
    rule: 'mcp-lock/bearer',
    kind: 'a bearer token',
    pattern: /\b[Bb]earer[ \t]{1,4}([A-Za-z0-9._~+/-]{20,4096}=*)/g,
    // A real token mixes letters and digits; prose ("Bearer authentication_is_described") does not.
    accept: (m) => /[0-9]/.test(m[1]!) && /[A-Za-z]/.test(m[1]!),
  },
  {
    rule: 'mcp-lock/basic-authorization',
    kind: 'a password in an Authorization header',
    pattern: /\bAuthorization:[ \t]{0,4}Basic[ \t]{1,4}[A-Za-z0-9+/]{12,4096}={0,2}/gi,
  },
  {
    rule: 'mcp-lock/azure-storage-key',
    kind: 'an Azure storage account key',
    pattern: /\bAccountKey=[A-Za-z0-9+/]{86}==/g,
  },
  {
    rule: 'mcp-lock/azure-shared-access-key',
    kind: 'an Azure shared access key',
    pattern: /\bSharedAccessKey=[A-Za-z0-9+/]{42,44}=/g,
  },
  {
    rule: 'mcp-lock/azure-client-secret',
    kind: 'an Azure client secret',
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
  },
];

/** The credentials in one string, each kind and rule once. */
export function findSecrets(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  sink = found;
  try {
    const source: RuleSource = {
      content: text,
      ext: looksLikeJson(text) ? '.json' : '',
      filePath: undefined,
      contentType: 'text',
    };
    for (const file of presetHandlers()) file(source);
  } finally {
    sink = [];
  }
  for (const extra of EXTRA_RULES) {
    extra.pattern.lastIndex = 0;
    for (let m = extra.pattern.exec(text); m !== null; m = extra.pattern.exec(text)) {
      if (!extra.accept || extra.accept(m)) {
        found.push({ kind: extra.kind, rule: extra.rule });
        break;
      }
    }
  }
  const seen = new Set<string>();
  return found.filter((m) => {
    // The preset's private-key rule and ours both see a long PEM key: one finding is enough.
    const key = m.kind === 'a private key' ? m.kind : m.rule;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The GCP rule reads a whole JSON document (a service-account key file pasted as one string). */
function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' && text.includes('private_key');
}
