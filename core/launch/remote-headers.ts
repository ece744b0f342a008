// HTTP headers a pinned remote server needs (an Authorization built from a secret, an API key header),
// recorded in the manifest as server.json templates: `{ name, value: "Bearer {API_TOKEN}", variables:
// { API_TOKEN: { isSecret: true } } }`. Each variable is read from the caller's environment variable of the
// same name when the server is introspected or run, so a secret's value is never in a manifest, the lock
// or the audit log. Values are checked for header injection (CR, LF, NUL) and bounded.

import { McpLockError } from '../errors.ts';
import type { KeyValueInput } from '../generated/manifest.ts';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,200}$/;
const VARIABLE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Header names whose literal values are credentials: they must come from a variable. */
const CREDENTIAL = /authorization|cookie|token|secret|key|password|auth/i;
const MAX_VALUE = 8192;
const MAX_HEADERS = 50;

export interface RemoteHeaders {
  headers: Record<string, string>;
  /** Variables whose values are secret (never log them). */
  secretNames: string[];
  /** Required variables that were not set (only when `skipMissing`). */
  missing: string[];
}

/**
 * A header written as `Name: value with ${VAR} references` (the CLI's --header, a client config's headers
 * with `${VAR}` or `${env:VAR}`) as a manifest template. A literal credential is refused: it would be stored.
 */
export function parseHeaderTemplate(name: string, value: string): KeyValueInput {
  if (!HEADER_NAME.test(name)) throw headerError(`"${name}" is not an HTTP header name`);
  const variables: Record<string, { isSecret: true; isRequired: true }> = {};
  const template = value.replace(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, v: string) => {
    variables[v] = { isSecret: true, isRequired: true };
    return `{${v}}`;
  });
  if (/\$\{[^}]*\}/.test(template)) {
    throw headerError(`the ${name} header uses a variable mcp-lock cannot read (only \${VAR} and \${env:VAR})`);
  }
  if (Object.keys(variables).length === 0 && CREDENTIAL.test(name)) {
    throw headerError(`the ${name} header has a literal value, which would be stored in the manifest`, {
      hint: `Write it with a variable, e.g. --header '${name}: Bearer \${API_TOKEN}', and set API_TOKEN when you run mcp-lock.`,
    });
  }
  checkValue(name, template);
  return Object.keys(variables).length ? { name, value: template, variables } : { name, value: template };
}

function headerError(message: string, options: { hint?: string } = {}): McpLockError {
  return new McpLockError('CONFIG_INVALID', message, options);
}

function checkValue(name: string, value: string): void {
  if (/[\r\n\0]/.test(value)) throw headerError(`the ${name} header value contains a line break or NUL`);
  if (value.length > MAX_VALUE) throw headerError(`the ${name} header value is longer than ${MAX_VALUE}`);
}

/** The headers to send, with every {VAR} filled from the caller's environment. */
export function planRemoteHeaders(
  templates: readonly KeyValueInput[] = [],
  callerEnv: Readonly<Record<string, string | undefined>>,
  options: { skipMissing?: boolean } = {},
): RemoteHeaders {
  if (templates.length > MAX_HEADERS) throw headerError(`more than ${MAX_HEADERS} headers`);
  const headers: Record<string, string> = {};
  const secretNames: string[] = [];
  const missing: string[] = [];
  for (const h of templates) {
    if (!HEADER_NAME.test(h.name)) throw headerError(`"${h.name}" is not an HTTP header name`);
    const template = h.value ?? '';
    let incomplete = false;
    const value = template.replace(VARIABLE, (whole, v: string) => {
      const input = h.variables?.[v];
      if (!input) return whole;
      if (!ENV_NAME.test(v)) throw headerError(`the ${h.name} header's variable ${v} is not a variable name`);
      if (input.isSecret) secretNames.push(v);
      const found = callerEnv[v] ?? input.default;
      if (found !== undefined) return found;
      if (input.isRequired === false) return '';
      if (!options.skipMissing) {
        throw new McpLockError('CONFIG_INVALID', `the ${h.name} header needs ${v}, which is not set`, {
          hint: `Set ${v} in the environment mcp-lock runs in (the client config's env of the wrapped entry).`,
        });
      }
      missing.push(v);
      incomplete = true;
      return '';
    });
    if (incomplete) continue;
    checkValue(h.name, value);
    headers[h.name] = value;
  }
  return { headers, secretNames: [...new Set(secretNames)], missing: [...new Set(missing)] };
}
