// Every command of the CLI, in the order `mcp-lock --help` lists them. Each is loaded only when needed:
// running one command imports just its module (start-up time matters for `run` and CI), while --help
// and unknown commands load them all.
import type { Command } from 'commander';

type Register = (program: Command) => void;

export const COMMANDS: readonly { name: string; load: () => Promise<Register> }[] = [
  { name: 'manifest', load: async () => (await import('./manifest.ts')).registerManifest },
  { name: 'keygen', load: async () => (await import('./keygen.ts')).registerKeygen },
  { name: 'sign', load: async () => (await import('./sign.ts')).registerSign },
  { name: 'verify-manifest', load: async () => (await import('./verify-manifest.ts')).registerVerifyManifest },
  { name: 'publish', load: async () => (await import('./publish.ts')).registerPublish },
  { name: 'registry', load: async () => (await import('./registry.ts')).registerRegistry },
  { name: 'init', load: async () => (await import('./init.ts')).registerInit },
  { name: 'add', load: async () => (await import('./add.ts')).registerAdd },
  { name: 'install', load: async () => (await import('./install.ts')).registerInstall },
  { name: 'verify', load: async () => (await import('./verify.ts')).registerVerify },
  { name: 'scan', load: async () => (await import('./scan.ts')).registerScan },
  { name: 'update', load: async () => (await import('./update.ts')).registerUpdate },
  { name: 'outdated', load: async () => (await import('./outdated.ts')).registerOutdated },
  { name: 'rollback', load: async () => (await import('./rollback.ts')).registerRollback },
  { name: 'diff', load: async () => (await import('./diff.ts')).registerDiff },
  { name: 'list', load: async () => (await import('./list.ts')).registerList },
  { name: 'remove', load: async () => (await import('./remove.ts')).registerRemove },
  { name: 'run', load: async () => (await import('./run.ts')).registerRun },
  { name: 'pause', load: async () => (await import('./pause.ts')).registerPause },
  { name: 'resume', load: async () => (await import('./pause.ts')).registerResume },
  { name: 'status', load: async () => (await import('./status.ts')).registerStatus },
  { name: 'audit', load: async () => (await import('./audit.ts')).registerAudit },
  { name: 'import', load: async () => (await import('./import.ts')).registerImport },
  { name: 'wrap', load: async () => (await import('./wrap.ts')).registerWrap },
  { name: 'completion', load: async () => (await import('./completion.ts')).registerCompletion },
];

/** The command an argv names (its first word that is not an option), if it is one of ours. */
export function commandNamed(argv: readonly string[]): string | undefined {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  return COMMANDS.some((c) => c.name === word) ? word : undefined;
}

/** Register the command argv names, or every command when it names none (help, typos). */
export async function registerCommands(program: Command, argv: readonly string[] = []): Promise<void> {
  const only = commandNamed(argv);
  if (only === undefined && (argv.includes('--version') || argv.includes('-V'))) return;
  for (const command of COMMANDS) {
    if (only === undefined || command.name === only) (await command.load())(program);
  }
}
