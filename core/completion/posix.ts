// The shell-independent half of `mcp-lock completion`: a command tree (what the CLI declares) and the POSIX
// sh program that answers "what may come next" for it. Every shell's script runs this one program with `sh`,
// so bash, zsh and fish complete exactly alike and the logic is written (and tested) once.
//
// The program is `__mcp_lock_candidates CURRENT WORD…` (WORDs: what precedes the cursor, without the
// program name). It walks the words down the subcommands, skipping every option's value, and prints either
// candidates, one per line as `word<TAB>description`, or a single `@file` / `@dir` for the shell to complete
// paths itself.

/** What an option's value is: a path to complete, a directory, one of fixed choices, or free text. */
export type CompletionValue =
  | { kind: 'file' }
  | { kind: 'dir' }
  | { kind: 'word' }
  | { kind: 'choice'; choices: readonly string[] };

export interface CompletionOption {
  /** Every spelling, e.g. ['-C', '--project']. */
  flags: readonly string[];
  description: string;
  /** Absent for a flag that takes no value. */
  value?: CompletionValue;
}

export interface CompletionCommand {
  name: string;
  description: string;
  options: readonly CompletionOption[];
  /** Its positional arguments in order (for a command without subcommands). */
  arguments: readonly CompletionValue[];
  commands: readonly CompletionCommand[];
}

const MAX_DESCRIPTION = 70;
// Plain words need no quoting inside the program's double quotes (no $, `, \\, " or space).
const SAFE_WORD = /^[A-Za-z0-9@%+,./:=_-]+$/;

/** A single-quoted sh word. */
export function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** One line of plain text for a description: control characters and runs of space folded, long text cut. */
export function oneLine(text: string): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim();
  const sentence = flat.split(/(?<=[.;])\s/)[0] ?? flat;
  return sentence.length <= MAX_DESCRIPTION ? sentence : `${sentence.slice(0, MAX_DESCRIPTION - 1).trimEnd()}…`;
}

/** Refuse words the sh program would have to quote: command names, flags and choices are plain words. */
function assertWord(word: string, what: string): string {
  if (!SAFE_WORD.test(word)) throw new Error(`completion: ${what} ${JSON.stringify(word)} is not a plain word`);
  return word;
}

interface Node {
  id: string;
  command: CompletionCommand;
}

function numbered(root: CompletionCommand): Node[] {
  const nodes: Node[] = [];
  const visit = (command: CompletionCommand) => {
    nodes.push({ id: `p${nodes.length}`, command });
    for (const sub of command.commands) visit(sub);
  };
  visit(root);
  return nodes;
}

/** A command's options, then the program's that it does not spell itself (e.g. --help). */
function withGlobal(own: readonly CompletionOption[], global: readonly CompletionOption[]): CompletionOption[] {
  const spelled = new Set(own.flatMap((o) => o.flags));
  return [...own, ...global.filter((o) => !o.flags.some((f) => spelled.has(f)))];
}

function candidateLines(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([word, description]) => `printf '%s\\t%s\\n' ${word} ${shQuote(oneLine(description))}`).join('; ');
}

function valueWord(value: CompletionValue): string {
  if (value.kind === 'choice') return `"choice ${value.choices.map((c) => assertWord(c, 'choice')).join(' ')}"`;
  return value.kind;
}

/** The POSIX sh program for this command tree; `root` is the program itself, its options global. */
export function posixCompletionProgram(root: CompletionCommand): string {
  const nodes = numbered(root);
  const idOf = new Map(nodes.map((n) => [n.command, n.id]));
  const subs: string[] = [];
  const values: string[] = [];
  const args: string[] = [];
  const options: string[] = [];
  const commands: string[] = [];
  for (const { id, command } of nodes) {
    for (const sub of command.commands)
      subs.push(`    "${id} ${assertWord(sub.name, 'command')}") echo ${idOf.get(sub)} ;;`);
    command.arguments.forEach((value, index) => {
      args.push(`    "${id} ${index}") echo ${valueWord(value)} ;;`);
    });
    // The program's own options are accepted after any subcommand too (commander's default).
    const own = id === 'p0' ? command.options : withGlobal(command.options, root.options);
    for (const option of own) {
      if (option.value === undefined) continue;
      const cases = option.flags.map((f) => `"${id} ${assertWord(f, 'flag')}"`).join('|');
      values.push(`    ${cases}) echo ${valueWord(option.value)} ;;`);
    }
    const flagPairs = own.flatMap((o) =>
      o.flags.filter((f) => f.startsWith('--')).map((f) => [f, o.description] as const),
    );
    options.push(`    ${id}) ${candidateLines(flagPairs)} ;;`);
    if (command.commands.length > 0)
      commands.push(`    ${id}) ${candidateLines(command.commands.map((c) => [c.name, c.description] as const))} ;;`);
  }
  return [
    '__mcp_lock_sub() {',
    '  case "$1 $2" in',
    ...subs,
    '    *) return 1 ;;',
    '  esac',
    '}',
    '__mcp_lock_value() {',
    '  case "$1 $2" in',
    ...values,
    '    *) return 1 ;;',
    '  esac',
    '}',
    '__mcp_lock_arg() {',
    '  case "$1 $2" in',
    ...args,
    '    *) echo file ;;',
    '  esac',
    '}',
    '__mcp_lock_options() {',
    '  case "$1" in',
    ...options,
    '  esac',
    '}',
    '__mcp_lock_commands() {',
    '  case "$1" in',
    ...commands,
    '    *) return 1 ;;',
    '  esac',
    '}',
    '__mcp_lock_candidates() {',
    '  cur=$1; shift',
    '  at=p0; want=; positional=0',
    '  for word in "$@"; do',
    '    if [ -n "$want" ]; then want=; continue; fi',
    '    case "$word" in',
    '      --*=*) ;;',
    '      -*) want=$(__mcp_lock_value "$at" "$word") || want= ;;',
    '      *) if next=$(__mcp_lock_sub "$at" "$word"); then at=$next; positional=0;',
    '         else positional=$((positional + 1)); fi ;;',
    '    esac',
    '  done',
    '  case "$cur" in',
    '    -*) [ -z "$want" ] && { __mcp_lock_options "$at"; return 0; } ;;',
    '  esac',
    '  if [ -z "$want" ]; then',
    '    __mcp_lock_commands "$at" && return 0',
    '    want=$(__mcp_lock_arg "$at" "$positional")',
    '  fi',
    '  case "$want" in',
    '    dir) echo @dir; return 0 ;;',
    '    file) echo @file; return 0 ;;',
    '    word) return 0 ;;',
    // Word splitting is wanted here: the choices are plain words (assertWord).
    "    choice\\ *) printf '%s\\n' ${want#choice } ; return 0 ;;",
    '  esac',
    '}',
    '',
  ].join('\n');
}
