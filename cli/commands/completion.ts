// `mcp-lock completion <shell>`: print a shell completion script for every command, subcommand and option
// the program declares (read from the commander tree itself, so it cannot fall behind the CLI).

import { Argument, type Command, type Option } from 'commander';
import type { CompletionCommand, CompletionOption, CompletionValue } from '../../core/completion/posix.ts';
import { completionScript, SHELLS, type Shell } from '../../core/completion/shells.ts';
import { action } from '../command.ts';

/** A value by its choices, else by what its placeholder is called (`<dir>`, `<file>`, `<manifest>`, …). */
function valueNamed(name: string, choices: readonly string[] | undefined): CompletionValue {
  if (choices) return { kind: 'choice', choices };
  const lower = name.toLowerCase();
  if (/dir/.test(lower)) return { kind: 'dir' };
  if (/file|path|config|key|bundle|manifest|target/.test(lower)) return { kind: 'file' };
  return { kind: 'word' };
}

function optionValue(option: Option): CompletionValue | undefined {
  if (!option.required && !option.optional) return undefined;
  const placeholder = /<([^>]+)>|\[([^\]]+)\]/.exec(option.flags);
  return valueNamed(placeholder?.[1] ?? placeholder?.[2] ?? '', option.argChoices);
}

function argumentsOf(command: Command): CompletionValue[] {
  return command.registeredArguments.map((a) => valueNamed(a.name(), a.argChoices));
}

function toOption(option: Option): CompletionOption {
  const flags = [option.short, option.long].filter((f): f is string => f !== undefined);
  const value = optionValue(option);
  return { flags, description: option.description, ...(value ? { value } : {}) };
}

const HELP: CompletionOption = { flags: ['-h', '--help'], description: 'display help for command' };

/** The completion tree of a commander program (hidden options and the implicit `help` command left out). */
export function toCompletionCommand(command: Command): CompletionCommand {
  return {
    name: command.name(),
    description: command.summary() || command.description(),
    options: [...command.options.filter((o) => !o.hidden).map(toOption), HELP],
    arguments: argumentsOf(command),
    commands: command.commands.filter((c) => c.name() !== 'help').map(toCompletionCommand),
  };
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh, fish)')
    .description(
      'Print a script that completes mcp-lock commands, subcommands, options and their values (directories, ' +
        'files, fixed choices) in bash, zsh or fish. Completing runs only the shell and sh, never Node.\n\n' +
        '  bash:  source <(mcp-lock completion bash)\n' +
        '  zsh:   source <(mcp-lock completion zsh)    (after compinit)\n' +
        '  fish:  mcp-lock completion fish | source\n\n' +
        'For every new shell, save the script instead: as ~/.local/share/bash-completion/completions/mcp-lock ' +
        '(bash), as _mcp-lock in a directory of $fpath (zsh), or as ~/.config/fish/completions/mcp-lock.fish (fish).',
    )
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .action(
      action(async (ctx, shell: Shell) => {
        // The whole program, whichever command this process loaded: completion covers all of them.
        const { buildProgram } = await import('../main.ts');
        const script = completionScript(shell, toCompletionCommand(await buildProgram()));
        if (ctx.out.json) ctx.out.result({ shell, script }, []);
        else ctx.out.document(script);
        return 0;
      }),
    );
}
