// Reading mcp-lock.policy.json: strict I-JSON within a size cap, then the schema (unknown keys are
// errors), then what a schema cannot say (an allow-listed URL must be a plain origin + path prefix).
// Every failure is POLICY_INVALID with the JSON pointer of the bad field, so `run` and `verify` can name it.

import { McpLockError } from '../errors.ts';
import { parseStrictJson } from '../json/strict-json.ts';
import { checkPolicySchema } from '../schema/validate.ts';
import { type McpLockPolicy, POLICY_FILE, POLICY_LIMITS, type Settings } from './policy-types.ts';

const HINT = `Fix ${POLICY_FILE} (see README "Runtime policy"), or remove it to use the defaults.`;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function invalid(pointer: string, message: string, findings?: unknown[]): McpLockError {
  return new McpLockError('POLICY_INVALID', `${POLICY_FILE}: ${pointer || '/'} ${message}`, {
    hint: HINT,
    data: { pointer, ...(findings ? { findings } : {}) },
  });
}

/** Why an allow-listed URL prefix is not one, or undefined when it is fine. */
export function urlPrefixProblem(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash || entry.includes('?') || entry.includes('#')) return 'must not have a query or fragment';
  if (/%2f|%5c/i.test(entry)) return 'must not contain encoded slashes';
  if (/(^|\/)\.\.?(\/|$)/.test(entry.slice(url.protocol.length + 2))) return 'must not contain . or .. segments';
  return undefined;
}

function checkSettings(settings: Settings | undefined, at: string): void {
  for (const [pointer, rule] of Object.entries(settings?.arguments?.urls ?? {})) {
    rule.allow.forEach((entry, i) => {
      const problem = urlPrefixProblem(entry);
      if (problem) throw invalid(`${at}/arguments/urls/${escapePointer(pointer)}/allow/${i}`, problem);
    });
  }
}

function assertPolicySchema(value: unknown): asserts value is McpLockPolicy {
  const findings = checkPolicySchema(value);
  if (findings.length === 0) return;
  // Several errors at one spot (an enum and a type, say) are one problem: name the first.
  const first = findings[0]!;
  throw invalid(String(first.data?.pointer ?? ''), first.message, findings);
}

/** Parse mcp-lock.policy.json strictly. Throws JSON_* (not JSON) or POLICY_INVALID (not a policy). */
export function parsePolicy(input: string | Uint8Array): McpLockPolicy {
  const policy: unknown = parseStrictJson(input, POLICY_FILE, POLICY_LIMITS);
  assertPolicySchema(policy);
  checkSettings(policy.defaults, '/defaults');
  for (const [server, own] of Object.entries(policy.servers ?? {})) {
    const at = `/servers/${escapePointer(server)}`;
    checkSettings(own, at);
    for (const [tool, settings] of Object.entries(own.tools ?? {})) {
      checkSettings(settings, `${at}/tools/${escapePointer(tool)}`);
    }
  }
  return policy;
}
