// Every command of the CLI, in the order `mcp-lock --help` lists them.
import type { Command } from 'commander';

export function registerCommands(_program: Command): void {}
