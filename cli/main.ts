// The mcp-lock command line: declares the program and its commands. Each command lives in its own file
// under cli/commands/ and loads its heavy dependencies only when it runs.

import { Command, CommanderError } from 'commander';
import { McpLockError } from '../core/errors.ts';
import { registerCommands } from './commands/index.ts';
import { Output } from './output.ts';
import { VERSION } from './version.ts';

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('mcp-lock')
    .description(
      'Pin, sign, verify and guard MCP servers.\n\n' +
        'mcp-lock turns an MCP server into a pinned, signed, reviewed artifact: a manifest records the npm ' +
        'package with its whole dependency tree and the canonical hash of every tool, prompt, resource and the ' +
        'server instructions; mcp-lock.json pins it in your repository; install, verify and run refuse anything ' +
        'that drifted.\n\n' +
        'Exit codes: 0 ok, 1 verification failed, 2 usage or invalid input, 3 could not verify.',
    )
    .version(VERSION, '-V, --version')
    .option('--json', 'print one JSON document on stdout instead of text')
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'print only results and errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, helpWidth: 100 })
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error (exit 2).
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
        process.exitCode = 0;
        return;
      }
      const json = argv.includes('--json');
      const out = new Output({ json });
      if (json) out.error(new McpLockError('USAGE', error.message.replace(/^error: /, '')));
      process.exitCode = 2;
      return;
    }
    process.exitCode = new Output({ json: argv.includes('--json') }).error(error);
  }
}
