// How an entry nobody published becomes a trust-on-first-use pin: the npm spec exactly as the config runs
// it, the config's arguments as positional packageArguments (so `run` starts it with the same argv), and
// the NAMES of its environment variables as secrets (their values stay in the client config and are never
// written to a manifest). Also the lock name: the package's TOFU name (core/lockfile/tofu-name.ts), or the
// reversed host and the config key for a remote, so an unsigned pin never borrows a publisher's namespace.

import type { Argument, KeyValueInput } from '../generated/manifest.ts';
import { nameSegment, namespaceSegment, packageTofuName } from '../lockfile/tofu-name.ts';
import { type EntryLaunch, usesClientVariable } from './launch-spec.ts';

export type TofuRequest =
  | {
      ok: true;
      kind: 'npm' | 'remote';
      /** npm spec or URL. */
      target: string;
      name: string;
      packageArguments: Argument[];
      environmentVariables: KeyValueInput[];
    }
  | { ok: false; reason: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function tofuName(launch: EntryLaunch, key: string): string {
  if (launch.kind === 'npm') return packageTofuName(launch.pkg);
  if (launch.kind === 'remote') {
    let host = 'remote';
    try {
      const hostname = new URL(launch.url).hostname;
      host = /^[\d.]+$/.test(hostname) ? hostname : hostname.split('.').reverse().join('.');
    } catch {
      // the URL is checked again when it is introspected
    }
    return `${namespaceSegment(host)}/${nameSegment(key)}`;
  }
  return `local/${nameSegment(key)}`;
}

export function tofuRequest(launch: EntryLaunch, key: string): TofuRequest {
  if (launch.kind === 'remote') {
    if (launch.headerNames.length > 0) {
      return { ok: false, reason: `it sends headers (${launch.headerNames.join(', ')}), which mcp-lock cannot pin` };
    }
    if (launch.transport === 'sse') {
      return { ok: false, reason: 'it uses the deprecated SSE transport; mcp-lock pins Streamable HTTP servers' };
    }
    return {
      ok: true,
      kind: 'remote',
      target: launch.url,
      name: tofuName(launch, key),
      packageArguments: [],
      environmentVariables: [],
    };
  }
  if (launch.kind !== 'npm') return { ok: false, reason: 'not an npm package or remote server' };
  const variable = launch.args.find(usesClientVariable);
  if (variable !== undefined) {
    return { ok: false, reason: `its argument "${variable}" is filled in by the client, so it cannot be pinned` };
  }
  const names = Object.keys(launch.env);
  const bad = names.find((n) => !ENV_NAME.test(n));
  if (bad !== undefined) return { ok: false, reason: `"${bad}" is not an environment variable name` };
  return {
    ok: true,
    kind: 'npm',
    target: launch.spec,
    name: tofuName(launch, key),
    packageArguments: launch.args.map((value) => ({ type: 'positional', value })),
    environmentVariables: names.map((name) => ({ name, isSecret: true, isRequired: true })),
  };
}

/**
 * The values to start the server with while it is introspected: the config's own values, with a whole
 * `${VAR}` or `${VAR:-default}` (Claude Code's syntax) read from the caller's environment. Other client
 * variables (VS Code's ${input:…}) have no value here; the caller's environment may supply the name.
 */
export function introspectionEnv(
  env: Readonly<Record<string, string>>,
  callerEnv: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const ref = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/.exec(value);
    if (ref) {
      const resolved = callerEnv[ref[1]!] ?? ref[2];
      if (resolved !== undefined) out[name] = resolved;
    } else if (!usesClientVariable(value)) {
      out[name] = value;
    }
  }
  return out;
}
