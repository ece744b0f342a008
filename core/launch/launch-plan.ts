// How a pinned npm server is started: its executable inside the installed package, the arguments and
// environment the manifest's package entry declares (server.json packageArguments and
// environmentVariables), secrets read from the caller's environment at launch and never stored.
// The same plan serves manifest introspection and `mcp-lock run`, so both see the same server.

import { McpLockError } from '../errors.ts';
import type { Argument, KeyValueInput, Package } from '../generated/manifest.ts';

/** Variables passed through from the caller's environment so a Node program can run at all. */
export const BASE_ENV_NAMES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ'];

export interface LaunchEnvironment {
  /** The caller's environment (for the base variables and secret values). */
  callerEnv: Readonly<Record<string, string | undefined>>;
}

export interface LaunchPlan {
  args: string[];
  env: Record<string, string>;
  /** Names of variables whose values are secret (never log their values). */
  secretNames: string[];
}

function argumentValue(arg: Argument, index: number): string {
  const value = arg.value ?? arg.default;
  if (value === undefined) {
    throw new McpLockError(
      'CONFIG_INVALID',
      `argument ${index + 1} (${arg.valueHint ?? arg.name ?? arg.type}) has no value`,
      {
        hint: 'Give every argument a value in the manifest (mcp-lock manifest --arg …).',
      },
    );
  }
  if (arg.variables && Object.keys(arg.variables).length > 0) {
    throw new McpLockError(
      'CONFIG_INVALID',
      `argument ${index + 1} uses {variables}, which mcp-lock does not substitute`,
    );
  }
  return value;
}

export function planArguments(args: readonly Argument[] = []): string[] {
  const out: string[] = [];
  args.forEach((arg, i) => {
    if (arg.type === 'named') {
      if (!arg.name) throw new McpLockError('CONFIG_INVALID', `argument ${i + 1} is named but has no name`);
      out.push(arg.name);
      if (arg.value !== undefined || arg.default !== undefined) out.push(argumentValue(arg, i));
    } else {
      out.push(argumentValue(arg, i));
    }
  });
  return out;
}

export function planEnvironment(
  vars: readonly KeyValueInput[] = [],
  launch: LaunchEnvironment,
): { env: Record<string, string>; secretNames: string[] } {
  const env: Record<string, string> = {};
  for (const name of BASE_ENV_NAMES) {
    const value = launch.callerEnv[name];
    if (value !== undefined) env[name] = value;
  }
  const secretNames: string[] = [];
  for (const v of vars) {
    if (v.isSecret) {
      secretNames.push(v.name);
      const value = launch.callerEnv[v.name];
      if (value !== undefined) env[v.name] = value;
      else if (v.isRequired) {
        throw new McpLockError('SECRET_MISSING', `the server needs the secret ${v.name}, which is not set`, {
          hint: `Set ${v.name} in the environment mcp-lock runs in.`,
          data: { name: v.name },
        });
      }
      continue;
    }
    const value = v.value ?? v.default;
    if (value !== undefined) env[v.name] = value;
    else if (v.isRequired) {
      throw new McpLockError('CONFIG_INVALID', `the environment variable ${v.name} has no value`);
    }
  }
  return { env, secretNames };
}

/** Arguments and environment for an npm package entry of a manifest. */
export function planLaunch(pkg: Package, launch: LaunchEnvironment): LaunchPlan {
  if (pkg.transport.type !== 'stdio') {
    throw new McpLockError('CONFIG_INVALID', `package transport ${pkg.transport.type} is not supported; use stdio`);
  }
  const { env, secretNames } = planEnvironment(pkg.environmentVariables, launch);
  return { args: planArguments(pkg.packageArguments), env, secretNames };
}
