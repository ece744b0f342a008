// MCPL032: orders to execute commands or to persist something in the user's environment. Grammar and
// topic apart: the clause must read as an order (directive.ts) and its object must be a command (a code
// span, a shell, a pipeline) or a start-up file, cron or autostart entry. "Runs a shell command and
// returns its output" describes a tool; "Set API_KEY in your .env" is setup advice for the installer.
// One topic is strong enough alone: a download piped into a shell runs whatever the host serves.

import type { Hit, StringContext } from '../context.ts';
import { clausesOf, orderStrength } from '../directive.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

const EXEC_VERB = /\b(?:run|execute|exec|paste|launch|spawn|eval|source)\b/;
const SHELL_WORDS =
  /\b(?:shell|terminal|console|command line|command prompt|bash|zsh|powershell|pwsh|cmd\.exe|sh -c|bash -c|sudo|chmod|chown|rm -rf|nohup|curl|wget|python3? -c|node -e|base64 -d|the (?:following |shell |terminal )?command|this command|a command)\b|\|\s?(?:ba|z)?sh\b|\$\(|&&|\.sh\b/;
/** Start-up files, schedulers and autostart: what survives the session. */
const PERSISTENCE =
  /(?:~\/|\$home\/|\bhome\/[a-z0-9_-]{1,32}\/)?\.(?:bashrc|zshrc|bash_profile|zprofile|zshenv|zlogin|profile|bash_login|cshrc|tcshrc|inputrc|config\/fish)\b|\b(?:crontab|cron (?:job|entry|task|table)|scheduled task|schtasks|systemd (?:unit|service|timer)|systemctl enable|launchagents?|launchdaemons?|launchd|autostart|login items?|startup (?:folder|script|file|item)s?|shell (?:start-?up|startup|init(?:iali[sz]ation)?|rc|profile) files?|run key|\/etc\/profile|rc\.local)\b/;
/** Active and passive ("make sure a launch agent is created"): the change is ordered either way. */
const MODIFY_VERB =
  /\b(?:add|append|put|write|insert|create|install|register|schedule|edit|modify|change|update|set up|place|drop|copy)(?:s|ed|d|ten)?\b|\b(?:written|put|set up)\b/;
/** Credential and variable setup for the installer: "set GITHUB_TOKEN in your .env", "export it in your profile". */
const SETUP_ADVICE =
  /\b(?:api[ _]?key|token|env(?:ironment)? var(?:iable)?s?|credentials?|secret|\.env)\b|\b[a-z][a-z0-9]*_(?:key|token|url|id|secret)\b/;
const DANGEROUS_ENV = /\b(?:path=|alias |source |ld_preload|export path|prompt_command|\.\s\/)/;
const REMOTE_PIPE =
  /\b(?:curl|wget|iwr|invoke-webrequest|fetch)\b[^|;\n]{0,160}\|\s?(?:sudo )?(?:ba|z|da)?sh\b|\b(?:bash|sh|zsh) -c ["']?\$\((?:curl|wget)\b|\bpowershell(?:\.exe)? (?:-\w+ ){0,3}-enc(?:odedcommand)?\b/;

const execGate = prefilter(EXEC_VERB);
const persistenceGate = prefilter(PERSISTENCE);
const remotePipeGate = prefilter(REMOTE_PIPE);

/** The persistence target is what the item is for: a tool named add_cron_job adding a cron job. */
function ownTopic(ctx: StringContext, target: string): boolean {
  const name = ctx.item.key.toLowerCase();
  return (
    /cron|schedul|job|task|profile|startup|autostart|service|launch|shell|rc\b/.test(name) &&
    target.split(/[^a-z]+/).some((w) => w.length >= 3 && name.includes(w.slice(0, 4)))
  );
}

/** A code span that holds a command line (a program and arguments, or shell syntax), not a name. */
const COMMAND_SPAN =
  /`(?:(?:sudo |env )?(?:npm|npx|pnpm|yarn|pip3?|python3?|node|deno|bun|git|docker|kubectl|bash|sh|zsh|curl|wget|brew|apt(?:-get)?|chmod|chown|rm|cat|echo|tee|mv|cp|ssh|scp|nc|ncat|powershell|pwsh|cmd|crontab|systemctl|launchctl|osascript|eval|export|source|alias|make|go|cargo)\b[^`\n]{0,200}|[^`\n]{0,200}(?:\||&&|;|\$\(|>>?)[^`\n]{0,200})`/;

export function commandExecutionRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const hit = (s: number, e: number, message: string): Hit[] => {
    const [start, end] = rawSpan(prepared, s, e);
    return [{ rule: RULES.commandExecution, severity: 'high', message, start, end }];
  };
  const text = prepared.text;
  if (!execGate.test(text) && !persistenceGate.test(text) && !remotePipeGate.test(text)) {
    return [];
  }
  const remote = REMOTE_PIPE.exec(prepared.text);
  if (remote) return hit(remote.index, remote.index + remote[0].length, 'pipes a download into a shell');
  const schemaValue = ctx.entry.role === 'default' || ctx.entry.role === 'title';
  for (const c of clausesOf(prepared)) {
    const strength = orderStrength(c);
    const labelled = /^[a-z ]{0,20}(?:run|execute)[a-z ]{0,10}:/.test(c.text);
    if (strength === 0 && !labelled && !(schemaValue && c.userThirdPerson)) continue;
    if (c.negated && !c.sequence) continue;
    const [rs, re] = rawSpan(prepared, c.start, c.end);
    const rawClause = prepared.raw.slice(rs, re);
    const persist = PERSISTENCE.exec(c.text);
    if (persist && MODIFY_VERB.test(c.text)) {
      const setup = SETUP_ADVICE.test(c.text) && !DANGEROUS_ENV.test(c.text) && !c.userThirdPerson;
      // A cron or profile tool describing itself ("Add a cron job.") does what its name says.
      const ownPurpose = ownTopic(ctx, persist[0]) && strength < 2 && !c.userThirdPerson;
      if (!setup && !ownPurpose) {
        return hit(c.start, c.end, `orders a change to ${persist[0]} (persists beyond the session)`);
      }
    }
    if (EXEC_VERB.test(c.text) && (SHELL_WORDS.test(c.text) || COMMAND_SPAN.test(rawClause))) {
      const ordered = strength === 2 || labelled || c.userThirdPerson || c.sequence !== null;
      if (ordered && !/\b(?:e\.g\.|for example|such as)\b/.test(c.text)) {
        return hit(c.start, c.end, 'orders the model to run a command');
      }
    }
  }
  return [];
}
