// Server names, namespaces and versions as the registry accepts them: the official server.json rules
// (reverse-DNS namespace, exactly one "/", no version ranges, never "latest") plus what keeps a name
// safe to use as a key, a path segment or a display string (no "." or ".." segments, no empty labels).

import { McpLockError } from '../errors.ts';

/** The official pattern (server.json 2025-12-11) and length bounds. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
export const SERVER_NAME_MIN = 3;
export const SERVER_NAME_MAX = 200;
export const VERSION_MAX = 255;

/** Characters a version may use: semver's, plus "_" (non-semver versions are allowed but bounded). */
const VERSION_CHARS = /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/;
const NAMESPACE_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

/** Why a server name is not acceptable, or null when it is. */
export function serverNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'is not a string';
  if (name.length < SERVER_NAME_MIN || name.length > SERVER_NAME_MAX) {
    return `must be ${SERVER_NAME_MIN} to ${SERVER_NAME_MAX} characters`;
  }
  if (!SERVER_NAME_PATTERN.test(name)) return 'must look like namespace/name using only A-Z a-z 0-9 . - _';
  const [namespace, local] = name.split('/') as [string, string];
  const nsProblem = namespaceProblem(namespace);
  if (nsProblem) return `namespace ${nsProblem}`;
  if (local === '.' || local === '..' || local.startsWith('.')) return 'must not start with "." after the "/"';
  return null;
}

/** Why a namespace (the part before "/") is not acceptable, or null. */
export function namespaceProblem(namespace: unknown): string | null {
  if (typeof namespace !== 'string' || namespace.length === 0) return 'is empty';
  if (namespace.length > SERVER_NAME_MAX) return 'is too long';
  const labels = namespace.split('.');
  if (labels.length < 2) return 'must be reverse-DNS with at least two labels (io.github.acme)';
  for (const label of labels) {
    if (!NAMESPACE_LABEL.test(label)) {
      return `has an invalid label "${label}" (labels are letters, digits and inner hyphens; no empty labels)`;
    }
  }
  return null;
}

export function assertServerName(name: unknown): asserts name is string {
  const problem = serverNameProblem(name);
  if (problem) {
    throw new McpLockError('NAME_INVALID', `the server name ${JSON.stringify(name)} ${problem}`, {
      hint: 'Server names are reverse-DNS namespace/name, e.g. io.github.acme/weather.',
    });
  }
}

export function assertNamespace(namespace: unknown): asserts namespace is string {
  const problem = namespaceProblem(namespace);
  if (problem) {
    throw new McpLockError('NAME_INVALID', `the namespace ${JSON.stringify(namespace)} ${problem}`, {
      hint: 'A namespace is the part of a server name before "/", e.g. io.github.acme.',
    });
  }
}

/** The namespace of a server name: `io.github.acme` for `io.github.acme/weather`. */
export function namespaceOf(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? name : name.slice(0, slash);
}

/** Why a version string is not acceptable, or null. Ranges and "latest" are refused, as officially. */
export function versionProblem(version: unknown): string | null {
  if (typeof version !== 'string' || version.length === 0) return 'is empty';
  if (version.length > VERSION_MAX) return `is longer than ${VERSION_MAX} characters`;
  if (version === 'latest') return 'must be an exact version, not "latest"';
  if (/[\^~<>=*|\s]/.test(version)) return 'looks like a version range; publish an exact version';
  if (!VERSION_CHARS.test(version)) return 'may only use letters, digits and . + _ - (starting with a letter or digit)';
  const core = version.split(/[+-]/, 1)[0] ?? '';
  if (core.split('.').some((part) => part === 'x' || part === 'X')) {
    return 'looks like a version range (x); publish an exact version';
  }
  return null;
}

export function assertVersion(version: unknown): asserts version is string {
  const problem = versionProblem(version);
  if (problem) {
    throw new McpLockError('VERSION_INVALID', `the version ${JSON.stringify(version)} ${problem}`, {
      hint: 'Versions are exact, preferably semver (1.2.3); ranges like ^1.2 or 1.x are not allowed.',
    });
  }
}

/** Split `name@version` (a CLI argument). Names cannot contain "@", so the first one separates. */
export function parseNameAtVersion(spec: string): { name: string; version: string } {
  const at = spec.indexOf('@');
  if (at <= 0 || at === spec.length - 1) {
    throw new McpLockError('SPEC_INVALID', `expected <name>@<version>, got ${JSON.stringify(spec)}`, {
      hint: 'For example io.github.acme/weather@1.2.0.',
    });
  }
  const name = spec.slice(0, at);
  const version = spec.slice(at + 1);
  assertServerName(name);
  assertVersion(version);
  return { name, version };
}
