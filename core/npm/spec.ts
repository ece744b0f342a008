// npm package specs mcp-lock accepts: a registry package name with an optional version, range or tag.
// Git URLs, tarball URLs, file paths, links and aliases are refused: none of them is a pinned,
// integrity-checked registry artifact.

import { McpLockError } from '../errors.ts';

export interface NpmSpec {
  name: string;
  /** Version, range or dist-tag as written; undefined means "latest". */
  range: string | undefined;
}

export const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export function isNpmName(name: string): boolean {
  return name.length <= 214 && NPM_NAME.test(name);
}

export function parseNpmSpec(spec: string): NpmSpec {
  const fail = (why: string): never => {
    throw new McpLockError('SPEC_INVALID', `"${spec}" is not a registry package spec: ${why}`, {
      hint: 'Use name@version, e.g. @modelcontextprotocol/server-everything@2026.8.31.',
    });
  };
  if (spec.length === 0 || spec.length > 300) fail('empty or too long');
  if (/^(?:[a-z+]+:|\.|\/|~)/i.test(spec) || spec.includes('://'))
    fail('URLs, git, file and alias specs are not allowed');
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at < 0 ? spec : spec.slice(0, at);
  const range = at < 0 ? undefined : spec.slice(at + 1);
  if (!isNpmName(name)) fail(`"${name}" is not a valid package name`);
  if (range !== undefined) {
    if (range.length === 0) fail('the version after @ is empty');
    if (!/^[A-Za-z0-9.^~<>=|*+ -]+$/.test(range) || range.includes(':'))
      fail('the version is not a version, range or tag');
  }
  return { name, range };
}

/** True when the range names exactly one version (x.y.z with optional prerelease/build). */
export function isExactVersion(range: string | undefined): boolean {
  return range !== undefined && /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(range);
}
