// `mcp-lock completion <shell>`: the bash, zsh and fish scripts (shell code in strings: biome.json turns off
// the template-placeholder lint here, since `${…}` is the shells' own syntax). Each embeds the POSIX program of
// posix.ts and, on TAB, runs it with `sh` on the words before the cursor, then hands its candidates (or a
// request for file or directory names) to the shell's own completion machinery. Nothing here runs Node, so
// completing stays instant.

import { type CompletionCommand, posixCompletionProgram, shQuote } from './posix.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

// Appended to the embedded program: sh -c "$program$CALL" sh CURRENT WORD…
const CALL = '\n__mcp_lock_candidates "$@"\n';

function bash(program: string): string {
  return [
    '# mcp-lock completion for bash. Load it in this shell: source <(mcp-lock completion bash)',
    '# or for every shell: mcp-lock completion bash > ~/.local/share/bash-completion/completions/mcp-lock',
    `__mcp_lock_sh=${shQuote(program + CALL)}`,
    '_mcp_lock() {',
    "  local IFS=$'\\n' tab=$'\\t' cur=${COMP_WORDS[COMP_CWORD]} out line",
    '  local -a words=()',
    '  out=$(sh -c "$__mcp_lock_sh" sh "$cur" "${COMP_WORDS[@]:1:COMP_CWORD-1}")',
    '  COMPREPLY=()',
    '  case $out in',
    '    @file) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return 0 ;;',
    '    @dir) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return 0 ;;',
    '  esac',
    '  for line in $out; do words+=("${line%%"$tab"*}"); done',
    '  COMPREPLY=($(compgen -W "${words[*]}" -- "$cur"))',
    '}',
    'complete -F _mcp_lock mcp-lock',
    '',
  ].join('\n');
}

function zsh(program: string): string {
  return [
    '#compdef mcp-lock',
    '# mcp-lock completion for zsh. Load it after compinit: source <(mcp-lock completion zsh)',
    '# or for every shell: mcp-lock completion zsh > "${fpath[1]}/_mcp-lock"',
    `__mcp_lock_sh=${shQuote(program + CALL)}`,
    '_mcp_lock() {',
    "  local out line tab=$'\\t'",
    '  local -a described',
    '  out=$(sh -c "$__mcp_lock_sh" sh "${words[CURRENT]}" "${(@)words[2,CURRENT-1]}")',
    '  case $out in',
    '    (@file) _files; return ;;',
    '    (@dir) _files -/; return ;;',
    '  esac',
    '  for line in "${(@f)out}"; do',
    '    [[ -n $line ]] || continue',
    '    described+=("${${line%%$tab*}//:/\\\\:}:${line#*$tab}")',
    '  done',
    "  _describe -t values 'mcp-lock' described",
    '}',
    // Autoloaded from fpath, the file's body is the completion function itself; sourced, it registers it.
    'if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then _mcp_lock "$@"; else compdef _mcp_lock mcp-lock; fi',
    '',
  ].join('\n');
}

/** A fish single-quoted string: only \\ and \' are escapes there. */
function fishQuote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function fish(program: string): string {
  return [
    '# mcp-lock completion for fish. Load it in this shell: mcp-lock completion fish | source',
    '# or for every shell: mcp-lock completion fish > ~/.config/fish/completions/mcp-lock.fish',
    `set -g __mcp_lock_sh ${fishQuote(program + CALL)}`,
    'function __mcp_lock_complete',
    // -x (fish 4) expands the tokens; fish 3 only knows -o, which did the same.
    '    set -l words (commandline -xpc 2>/dev/null; or commandline -opc)',
    '    set -e words[1]',
    '    set -l cur (commandline -ct)',
    '    set -l out (sh -c "$__mcp_lock_sh" sh "$cur" $words)',
    '    switch "$out"',
    '        case @file',
    '            __fish_complete_path "$cur"',
    '        case @dir',
    '            __fish_complete_directories "$cur"',
    "        case '*'",
    '            test -n "$out"; and printf \'%s\\n\' $out',
    '    end',
    'end',
    "complete -c mcp-lock -f -a '(__mcp_lock_complete)'",
    '',
  ].join('\n');
}

/** The completion script for `shell` over the command tree `root` (the program, its options global). */
export function completionScript(shell: Shell, root: CompletionCommand): string {
  const program = posixCompletionProgram(root);
  if (shell === 'bash') return bash(program);
  if (shell === 'zsh') return zsh(program);
  return fish(program);
}
