// Reading the project's runtime policy, mcp-lock.policy.json beside mcp-lock.json. It is optional: no
// file means the built-in defaults. A file that exists but cannot be read or parsed is an error (fail
// closed), never "no policy".

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../core/policy/parse-policy.ts';
import { type McpLockPolicy, POLICY_FILE, POLICY_LIMITS } from '../../core/policy/policy-types.ts';
import { readInputFile } from '../fs/read-input.ts';

export function policyPath(root: string): string {
  return join(root, POLICY_FILE);
}

/** The project's policy, or undefined when it has no policy file. Throws on a file that is not a policy. */
export function readPolicy(root: string): McpLockPolicy | undefined {
  const path = policyPath(root);
  if (!existsSync(path)) return undefined;
  return parsePolicy(readInputFile(path, POLICY_FILE, POLICY_LIMITS.maxBytes));
}
