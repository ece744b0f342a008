// The runtime policy (mcp-lock.policy.json): its format, parser and resolver, in one import.

export { parsePolicy, urlPrefixProblem } from './parse-policy.ts';
export * from './policy-types.ts';
export {
  defaultServerPolicy,
  mergeSettings,
  resolveServerPolicy,
  resolveToolPolicy,
  ServerPolicy,
} from './resolve-policy.ts';
