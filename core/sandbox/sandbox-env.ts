// The environment of a sandboxed server: the variables its manifest declares (values and secrets, as the
// launch plan gives them), and only what a program needs besides: a fixed PATH, the private HOME and
// /tmp, locale and time zone, and the proxy variables when it may use the network. Nothing else of the
// caller's environment (no USER, SHELL, SSH_AUTH_SOCK, cloud credentials …) gets in. (bubblewrap adds PWD,
// the installed server's directory it starts in.)

import type { KeyValueInput } from '../generated/manifest.ts';

/** Passed through from the launch plan when the caller has them: they say nothing about the user. */
const KEPT = ['LANG', 'LC_ALL', 'TZ', 'TERM'];

export const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';

/** Inside the sandbox's own network namespace, the port the bridge to the proxy listens on. */
export const BRIDGE_PORT = 3128;

export interface SandboxEnvInput {
  /** The launch plan's environment (base variables and the declared ones). */
  planned: Readonly<Record<string, string>>;
  /** The manifest's declared variables. */
  declared: readonly KeyValueInput[];
  home: string;
  /** Present when the server may use the network: the proxy socket the bridge connects to. */
  proxySocket?: string;
}

export function sandboxEnvironment(input: SandboxEnvInput): Record<string, string> {
  const env: Record<string, string> = { PATH: SANDBOX_PATH, HOME: input.home, TMPDIR: '/tmp' };
  for (const name of KEPT) {
    const value = input.planned[name];
    if (value !== undefined) env[name] = value;
  }
  for (const v of input.declared) {
    const value = input.planned[v.name];
    if (value !== undefined) env[v.name] = value;
  }
  if (input.proxySocket) {
    const url = `http://127.0.0.1:${BRIDGE_PORT}`;
    Object.assign(env, {
      HTTP_PROXY: url,
      HTTPS_PROXY: url,
      http_proxy: url,
      https_proxy: url,
      NO_PROXY: '',
      NODE_USE_ENV_PROXY: '1',
      MCP_LOCK_PROXY_SOCKET: input.proxySocket,
    });
  }
  return env;
}
