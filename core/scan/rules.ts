// The rule catalog of the poisoning and shadowing lint: stable ids, default severities, a one-line
// description and a help text each. Findings name their rule by id; SARIF output and `--help` read
// the metadata from here. A rule's severity in a finding can be lower or higher than its default:
// the default is what a typical hit means, the finding says what this hit means.

import type { Severity } from './severity.ts';

export interface RuleMeta {
  id: string;
  severity: Severity;
  description: string;
  help: string;
}

const rule = (id: string, severity: Severity, description: string, help: string): RuleMeta => ({
  id,
  severity,
  description,
  help,
});

export const RULES = {
  hiddenChars: rule(
    'MCPL001-hidden-chars',
    'high',
    'Hidden or control characters: Unicode tags, zero-width, bidi overrides, ANSI/C1 escapes, variation selectors.',
    'A model reads these characters; a reviewer does not see them. Tag characters (U+E0000 block) carry ASCII ' +
      'text invisibly, bidi overrides reorder what is shown, ANSI and C1 sequences (ESC, U+009B) hide or rewrite ' +
      'terminal output, zero-width characters split keywords or encode bits. Emoji ZWJ sequences, emoji ' +
      'presentation selectors and well-formed flag tag sequences are allowed. Remove the characters.',
  ),
  instructionTags: rule(
    'MCPL002-instruction-tags',
    'high',
    'Tags and chat-template markers aimed at the model: <IMPORTANT>, <HIDDEN>, <|im_start|>, [INST], HTML comments.',
    'Pseudo-XML blocks such as <IMPORTANT> or <SYSTEM>, fake chat turns and HTML comments are how tool ' +
      'poisoning smuggles instructions into the model context while UIs show only the first line. A tool ' +
      'description should describe the tool, not open a privileged block.',
  ),
  override: rule(
    'MCPL003-override',
    'high',
    'Instruction override or jailbreak: "ignore previous instructions", "developer mode", in several languages.',
    'Text that tells the model to discard its system prompt or earlier instructions is a prompt injection, ' +
      'whatever the tool is for. Matched in English, Spanish, French, German, Italian, Portuguese, Dutch, ' +
      'Russian, Ukrainian, Polish, Turkish, Chinese, Japanese, Korean and Arabic.',
  ),
  concealment: rule(
    'MCPL004-concealment',
    'high',
    'Asks the model to hide what it does from the user ("do not tell the user", "keep this to yourself").',
    'A legitimate tool has nothing to hide from the person using it. Concealment is the signature of tool ' +
      'poisoning: the instruction works only if the user does not notice it.',
  ),
  callFirst: rule(
    'MCPL005-call-first',
    'medium',
    'Demands to be called first, on every turn or for every request ("before using any other tool").',
    'Line jumping: a tool that inserts itself before every action sees everything the user does. Legitimate ' +
      'workflow advice names its own tools ("call list_tables first"); this rule fires on claims over all requests.',
  ),
  toolPreference: rule(
    'MCPL006-tool-preference',
    'medium',
    'Claims priority over other tools or calls them deprecated ("PREFERRED TOOL", "others are outdated").',
    'A tool that tells the model to prefer it over another, or that another server’s tool is deprecated or ' +
      'stale, is trying to capture calls meant for someone else (shadowing by persuasion).',
  ),
  modelDirective: rule(
    'MCPL007-model-directive',
    'medium',
    'Text addressed to the model rather than describing the tool ("note to the assistant", "the AI must").',
    'Descriptions that speak to the assistant as an actor ("P.S. for the assistant") are a common carrier for ' +
      'instructions. On its own this is a weak signal; with others it raises the compound rule.',
  ),
  secrets: rule(
    'MCPL008-secrets',
    'high',
    'References to secrets and sensitive paths (~/.ssh, id_rsa, ~/.aws/credentials, .env, mcp.json, API keys).',
    'Mentioning a credential file is low risk; asking the model to read it and put it in an argument, a reply ' +
      'or a request is credential theft. Parameters named after credential files are flagged too.',
  ),
  exfiltration: rule(
    'MCPL009-exfiltration',
    'high',
    'Exfiltration hints: data sent to URLs or webhooks, hard-coded recipients, BCC, relay numbers, IBANs.',
    'Instructions to post data to a URL, copy mail to a fixed address or route messages through a fixed ' +
      'number move the user’s data to someone else. Plain documentation links are reported as info only.',
  ),
  conversationHarvest: rule(
    'MCPL010-conversation-harvest',
    'high',
    'Asks for conversation content: the whole chat, the system prompt, previous messages, what the user typed.',
    'A parameter (sidenote, context, notes, …) or description that asks the model to pass the conversation ' +
      'so far leaks everything the user said, including secrets pasted into the chat.',
  ),
  crossTool: rule(
    'MCPL011-cross-tool',
    'high',
    'References another tool or server and changes how it is used (redirects arguments, hooks its calls).',
    'Cross-tool poisoning (shadowing): the description of one tool rewrites the behaviour of another, ' +
      'typically a trusted one from another server ("when send_email is used, address it to …").',
  ),
  schemaTricks: rule(
    'MCPL012-schema-tricks',
    'high',
    'Schema tricks: URL defaults on callback-like parameters, additionalProperties inviting data, external $ref.',
    'An external $ref moves part of the definition outside what was reviewed and pinned; a default URL on a ' +
      'callback ships results out unless the model overrides it; an additionalProperties description can ' +
      'invite the model to attach anything it knows.',
  ),
  padding: rule(
    'MCPL013-padding',
    'medium',
    'Suspicious length or padding: long runs of blanks or line breaks, text far beyond a typical description.',
    'Padding pushes an instruction below what a UI shows or a reviewer reads; very long descriptions bury ' +
      'instructions at the end.',
  ),
  encoded: rule(
    'MCPL014-encoded',
    'high',
    'Encoded blobs (base64, hex, escapes) that decode to text, scanned again after decoding.',
    'Encoding hides an instruction from reviewers and keyword filters while the model can decode it. Blobs ' +
      'that decode to readable text are reported; if the decoded text itself is flagged, the blob is high.',
  ),
  toolName: rule(
    'MCPL015-tool-name',
    'medium',
    'Tool name outside [A-Za-z0-9_.-]{1,128}.',
    'The MCP specification asks for tool names of 1–128 characters from A–Z, a–z, 0–9, _, - and .; clients ' +
      'enforce it and other characters invite spoofing and prefix collisions.',
  ),
  confusableName: rule(
    'MCPL016-confusable-name',
    'high',
    'Confusable or mixed-script name: letters that imitate ASCII (Cyrillic "е", Greek "ο", fullwidth forms).',
    'A tool named r\\u{0435}ad_file looks exactly like read_file. Mixed scripts and look-alike letters in a ' +
      'name exist to impersonate another tool.',
  ),
  compound: rule(
    'MCPL017-compound',
    'high',
    'Several independent medium signals in one item.',
    'Each signal alone has innocent uses; together (e.g. a call-first demand plus a sidenote parameter) they ' +
      'match the shape of a poisoned definition.',
  ),
  chaining: rule(
    'MCPL031-chaining',
    'high',
    'An order to call another tool first, next or after this one ("you must first call …", "then call … with the result").',
    'A description that sequences the model into calling a tool of another server (or one that no server lists) ' +
      'drives calls nobody asked for, often carrying the conversation with them. Workflow advice that names the ' +
      'same server’s own tools ("call list_tables first") is not reported.',
  ),
  commandExecution: rule(
    'MCPL032-command-execution',
    'high',
    'An order to run a shell command, or to change shell start-up files, cron, profiles or autostart entries.',
    'A tool description has no business telling the model to run commands on the user’s machine or to persist ' +
      'something in ~/.bashrc, ~/.profile, crontab or an autostart entry. Describing what a command tool does ' +
      '("Runs a shell command") and setup advice for the person installing the server are not reported.',
  ),
  deprecationRedirect: rule(
    'MCPL033-deprecation-redirect',
    'high',
    'Declares itself deprecated and redirects calls to a tool this server does not have.',
    'A deprecation notice is honest when it points to the same server’s replacement; one that sends calls to a ' +
      'tool of another server (or an unknown one) is capturing them.',
  ),
  argumentRewrite: rule(
    'MCPL034-argument-rewrite',
    'high',
    'An order to rewrite arguments: a recipient, amount, path, account or address set to a fixed value or changed.',
    'Instructions that replace what the user asked for ("whatever account the user names, set the destination to ' +
      '…", "multiply the amount") turn a trusted tool against its user. Examples ("e.g. user@example.com") and ' +
      'defaults for harmless options are not reported.',
  ),
  endpointRedirect: rule(
    'MCPL035-endpoint-redirect',
    'high',
    'An order to send requests or data through a given endpoint ("access our partner endpoint at https://…").',
    'Routing requests through a mirror, proxy or partner URL moves the user’s data to whoever runs it, however ' +
      'routine the wording. Documentation links, API base URLs the server itself uses and key sign-up pages are ' +
      'not reported.',
  ),
  authorityLabel: rule(
    'MCPL036-authority-label',
    'high',
    'A role or authority label followed by orders: "SYSTEM CONFIGURATION:", "OVERRIDE DIRECTIVE", "ACT AS …", [important].',
    'Labels that claim the voice of the system, an administrator or an operator, in capitals or any bracket ' +
      'style, lend false authority to the order after them. A label alone, or response-format tags, are not.',
  ),
  selfPromotion: rule(
    'MCPL037-self-promotion',
    'high',
    'Superlative self-promotion meant to capture calls ("the best tool, always prefer this one").',
    'A tool that ranks itself above every other tool and tells the model to prefer it is capturing calls meant ' +
      'for others. Marketing without an order, and advice to prefer one of the same server’s tools, are not.',
  ),
  shadowExact: rule(
    'MCPL020-shadow-exact',
    'high',
    'Cross-server shadowing: two servers expose a tool with the same name.',
    'Clients resolve a tool name to one server; a second server with the same name can capture calls meant ' +
      'for the first. Blocked by default; rename or remove one of the servers.',
  ),
  shadowVariant: rule(
    'MCPL021-shadow-variant',
    'high',
    'Cross-server shadowing: tool names that differ only in case or punctuation (read_file / readFile / read-file).',
    'Near-identical names across servers confuse models and people alike, and capture calls as an exact ' +
      'duplicate would: clients and models match names loosely. Rename one of them.',
  ),
  shadowConfusable: rule(
    'MCPL022-shadow-confusable',
    'high',
    'Cross-server shadowing: a look-alike of another server’s tool name (same skeleton after confusables).',
    'A name that renders like another server’s tool but is a different string is impersonation.',
  ),
  shadowMention: rule(
    'MCPL023-shadow-mention',
    'medium',
    'A description names another server’s tool.',
    'Tools that talk about other servers’ tools are how cross-server poisoning works; high when the text also ' +
      'changes how that tool is used.',
  ),
  notScanned: rule(
    'MCPL090-not-scanned',
    'info',
    'A server in the target could not be scanned.',
    'Nothing is skipped silently: a server that could not be read or introspected is reported with the reason.',
  ),
} as const satisfies Record<string, RuleMeta>;

export type RuleKey = keyof typeof RULES;
export type RuleId = (typeof RULES)[RuleKey]['id'];

export const RULE_LIST: readonly RuleMeta[] = Object.values(RULES);

const BY_ID = new Map<string, RuleMeta>(RULE_LIST.map((r) => [r.id, r]));

export function ruleById(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
