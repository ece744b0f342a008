// Brings the system packages the test suite needs; `npm test` runs it first (the `pretest` script), so the
// README's two commands work on a fresh Debian machine. What is present is left alone. What is missing is
// installed with apt-get (`apt-get update` first), as root or through `sudo -n`; when neither works, or
// there is no apt-get, it stops with a message naming exactly what to install. Never a skip: every test
// that needs a package must find it, and the check after installing proves it is there.
//
//   node scripts/system-deps.ts             check, install what is missing
//   node scripts/system-deps.ts --dry-run   check, print what it would run, change nothing
//
// The UI tests drive Debian's Chromium at /usr/bin/chromium (or MCP_LOCK_CHROMIUM; test/helpers/browser.ts);
// the sandbox uses bubblewrap's `bwrap` from PATH.

import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A system package the tests need, and how to tell it is installed. */
export interface Requirement {
  /** The Debian package that provides it. */
  readonly debian: string;
  /** What the tests use it for (shown when it is missing). */
  readonly usedBy: string;
  /** The executable the tests run: an absolute path, or a command name looked up on PATH. */
  readonly executable: string;
}

export function requirements(env: NodeJS.ProcessEnv): Requirement[] {
  return [
    {
      debian: 'chromium',
      usedBy: 'the web UI tests (test/ui/)',
      executable: env.MCP_LOCK_CHROMIUM || '/usr/bin/chromium',
    },
    { debian: 'bubblewrap', usedBy: 'the sandbox of mcp-lock run', executable: 'bwrap' },
  ];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where an executable is: itself when it is a path, else the first match on PATH; undefined when absent. */
export function locate(executable: string, env: NodeJS.ProcessEnv): string | undefined {
  if (executable === '') return undefined;
  if (executable.includes('/')) return isExecutable(executable) ? executable : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, executable);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function missing(required: readonly Requirement[], env: NodeJS.ProcessEnv): Requirement[] {
  return required.filter((r) => locate(r.executable, env) === undefined);
}

/** How this process may run apt-get: directly as root, through passwordless sudo, or not at all. */
export type Privilege = 'root' | 'sudo' | 'none';

export type InstallPlan =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'apt'; readonly commands: readonly (readonly string[])[] }
  | { readonly kind: 'refuse'; readonly reason: string };

/** Decide, without running anything, how to install the missing packages. */
export function planInstall(
  absent: readonly Requirement[],
  host: { readonly apt: boolean; readonly privilege: Privilege },
): InstallPlan {
  if (absent.length === 0) return { kind: 'nothing' };
  const packages = absent.map((r) => r.debian);
  if (!host.apt) return { kind: 'refuse', reason: 'apt-get is not on PATH (not a Debian-like system)' };
  if (host.privilege === 'none')
    return { kind: 'refuse', reason: 'installing needs root, and `sudo -n` is not available without a password' };
  const prefix = host.privilege === 'sudo' ? ['sudo', '-n', '--preserve-env=DEBIAN_FRONTEND'] : [];
  return {
    kind: 'apt',
    commands: [
      [...prefix, 'apt-get', 'update', '-qq'],
      [...prefix, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages],
    ],
  };
}

/** The message for a machine where the packages cannot be installed from here. */
export function refusal(absent: readonly Requirement[], reason: string): string {
  const lines = absent.map((r) => `  ${r.debian.padEnd(11)} provides ${r.executable}, for ${r.usedBy}`);
  return [
    'error SYSTEM_DEPS: npm test needs system packages that are missing:',
    ...lines,
    `They cannot be installed from here: ${reason}.`,
    `hint: install them, then run npm test again: sudo apt-get install -y ${absent.map((r) => r.debian).join(' ')}`,
    '      (another Chromium binary: set MCP_LOCK_CHROMIUM to its path)',
  ].join('\n');
}

function privilegeOf(env: NodeJS.ProcessEnv): Privilege {
  if (process.getuid?.() === 0) return 'root';
  if (locate('sudo', env) === undefined) return 'none';
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', env }).status === 0 ? 'sudo' : 'none';
}

function main(argv: readonly string[]): number {
  const dryRun = argv.includes('--dry-run');
  const env = process.env;
  const absent = missing(requirements(env), env);
  const plan = planInstall(absent, { apt: locate('apt-get', env) !== undefined, privilege: privilegeOf(env) });
  if (plan.kind === 'nothing') {
    console.log(
      `system-deps: ${requirements(env)
        .map((r) => r.debian)
        .join(', ')} present`,
    );
    return 0;
  }
  if (plan.kind === 'refuse') {
    console.error(refusal(absent, plan.reason));
    return 1;
  }
  console.log(`system-deps: installing ${absent.map((r) => r.debian).join(' ')} (needed by npm test)`);
  for (const command of plan.commands) {
    console.log(`system-deps: ${dryRun ? 'would run' : 'running'}: ${command.join(' ')}`);
    if (dryRun) continue;
    const [file = '', ...args] = command;
    const result = spawnSync(file, args, { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) {
      console.error(refusal(absent, `\`${command.join(' ')}\` failed (exit ${result.status ?? result.signal})`));
      return 1;
    }
  }
  if (dryRun) return 0;
  const still = missing(absent, env);
  if (still.length > 0) {
    console.error(refusal(still, 'apt-get installed them, but these executables are still not there'));
    return 1;
  }
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
