// The runtime policy file: parsed strictly (size cap, unknown keys, bad values → POLICY_INVALID naming the
// field by JSON pointer) and resolved default < defaults < server < tool, objects merged, arrays replaced.
import { describe, expect, it } from 'vitest';
import type { McpLockError } from '../../../core/errors.ts';
import { parsePolicy } from '../../../core/policy/parse-policy.ts';
import { DEFAULT_POLICY, type McpLockPolicy } from '../../../core/policy/policy-types.ts';
import { resolveServerPolicy, resolveToolPolicy } from '../../../core/policy/resolve-policy.ts';

const FS = 'io.github.example/fs';

function parseError(text: string): McpLockError {
  try {
    parsePolicy(text);
  } catch (error) {
    return error as McpLockError;
  }
  throw new Error('parsePolicy accepted it');
}

describe('parsePolicy', () => {
  it.each([
    ['unknown top-level key', { policyVersion: 1, rules: {} }, '/rules'],
    [
      'unknown setting',
      { policyVersion: 1, defaults: { results: { hiddenChars: 'remove' } } },
      '/defaults/results/hiddenChars',
    ],
    ['bad enum', { policyVersion: 1, defaults: { secrets: { arguments: 'warn' } } }, '/defaults/secrets/arguments'],
    ['wrong version', { policyVersion: 2 }, '/policyVersion'],
    ['no version', {}, ''],
    [
      'negative cap',
      { policyVersion: 1, defaults: { arguments: { maxStringLength: -1 } } },
      '/defaults/arguments/maxStringLength',
    ],
    [
      'fractional limit',
      { policyVersion: 1, defaults: { limits: { callsPerMinute: 1.5 } } },
      '/defaults/limits/callsPerMinute',
    ],
    [
      'server limit on a tool',
      { policyVersion: 1, servers: { [FS]: { tools: { read: { limits: { serverCallsPerMinute: 5 } } } } } },
      `/servers/${FS.replace('/', '~1')}/tools/read/limits/serverCallsPerMinute`,
    ],
    [
      'pointer without /',
      { policyVersion: 1, defaults: { arguments: { paths: { path: { allow: [] } } } } },
      '/defaults/arguments/paths',
    ],
    [
      'allow-list missing',
      { policyVersion: 1, defaults: { arguments: { paths: { '/path': {} } } } },
      '/defaults/arguments/paths/~1path',
    ],
    ['server name without namespace', { policyVersion: 1, servers: { fs: {} } }, '/servers'],
    [
      'URL with userinfo',
      { policyVersion: 1, defaults: { arguments: { urls: { '/url': { allow: ['https://a.example@b.example/'] } } } } },
      '/defaults/arguments/urls/~1url/allow/0',
    ],
    [
      'URL with ..',
      { policyVersion: 1, defaults: { arguments: { urls: { '/url': { allow: ['https://example.com/a/../b'] } } } } },
      '/defaults/arguments/urls/~1url/allow/0',
    ],
    [
      'URL with an encoded slash',
      { policyVersion: 1, defaults: { arguments: { urls: { '/url': { allow: ['https://example.com/a%2Fb'] } } } } },
      '/defaults/arguments/urls/~1url/allow/0',
    ],
    [
      'URL not http',
      { policyVersion: 1, defaults: { arguments: { urls: { '/url': { allow: ['file:///etc'] } } } } },
      '/defaults/arguments/urls/~1url/allow/0',
    ],
  ])('%s → POLICY_INVALID at the field', (_name, value, pointer) => {
    const error = parseError(JSON.stringify(value));
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.data?.pointer).toBe(pointer);
    expect(error.message).toContain('mcp-lock.policy.json');
    expect(error.hint).toMatch(/README/);
  });

  it.each([
    ['duplicate key', '{"policyVersion":1,"policyVersion":1}', 'JSON_DUPLICATE_KEY'],
    ['__proto__ key', '{"policyVersion":1,"defaults":{"__proto__":{}}}', 'JSON_FORBIDDEN_KEY'],
    ['not JSON', '{policyVersion: 1}', 'JSON_SYNTAX'],
    ['too large', `{"policyVersion":1,"x":"${'a'.repeat(1024 * 1024)}"}`, 'JSON_TOO_LARGE'],
  ])('%s → %s', (_name, text, code) => {
    expect(() => parsePolicy(text)).toThrowWithCode(code as never);
  });

  it('accepts a benign policy using every setting, and plain URL prefixes', () => {
    const policy = parsePolicy(
      JSON.stringify({
        policyVersion: 1,
        defaults: {
          arguments: { urls: { '/url': { allow: ['https://docs.example.com/api/', 'http://127.0.0.1:8080'] } } },
        },
        servers: { [FS]: { tools: { 'write/file': { confirm: { when: 'always' } } } } },
      }),
    );
    expect(policy.servers?.[FS]?.tools?.['write/file']?.confirm?.when).toBe('always');
  });
});

describe('resolve', () => {
  const policy: McpLockPolicy = {
    policyVersion: 1,
    defaults: {
      arguments: { maxStringLength: 1000, paths: { '/path': { allow: ['docs', 'src'] } } },
      limits: { identicalCalls: { max: 5 } },
    },
    servers: {
      [FS]: {
        arguments: { paths: { '/paths/*': { allow: ['docs'] } } },
        results: { hiddenCharacters: 'escape' },
        tools: {
          write: {
            arguments: { paths: { '/path': { allow: ['out'] } } },
            limits: { callsPerMinute: 3, identicalCalls: { windowSeconds: 5 } },
            confirm: { when: 'always' },
          },
        },
      },
    },
  };

  it('no policy file: every field is the built-in default', () => {
    expect(resolveToolPolicy(undefined, FS, 'read')).toEqual(DEFAULT_POLICY);
    expect(resolveServerPolicy(undefined, FS).settings).toEqual(DEFAULT_POLICY);
  });

  it.each([
    ['default kept', 'other/server', 'x', (p: typeof DEFAULT_POLICY) => p.arguments.maxArrayItems, 10_000],
    [
      'defaults override the default',
      'other/server',
      'x',
      (p: typeof DEFAULT_POLICY) => p.arguments.maxStringLength,
      1000,
    ],
    [
      'objects merged: identicalCalls.max from defaults',
      FS,
      'write',
      (p: typeof DEFAULT_POLICY) => p.limits.identicalCalls,
      { max: 5, windowSeconds: 5 },
    ],
    [
      'server level applies to an unnamed tool',
      FS,
      'read',
      (p: typeof DEFAULT_POLICY) => p.results.hiddenCharacters,
      'escape',
    ],
    ['tool inherits the server level', FS, 'write', (p: typeof DEFAULT_POLICY) => p.results.hiddenCharacters, 'escape'],
    [
      'tool overrides',
      FS,
      'write',
      (p: typeof DEFAULT_POLICY) => p.confirm,
      { when: 'always', withoutElicitation: 'allow', timeoutSeconds: 120 },
    ],
    [
      'path rules merged by pointer, arrays replaced',
      FS,
      'write',
      (p: typeof DEFAULT_POLICY) => p.arguments.paths,
      { '/path': { allow: ['out'] }, '/paths/*': { allow: ['docs'] } },
    ],
    [
      'other server does not see FS rules',
      'other/server',
      'write',
      (p: typeof DEFAULT_POLICY) => p.limits.callsPerMinute,
      600,
    ],
    [
      'serverCallsPerMinute stays the server level',
      FS,
      'write',
      (p: typeof DEFAULT_POLICY) => p.limits.serverCallsPerMinute,
      1200,
    ],
  ])('%s', (_name, server, tool, pick, expected) => {
    expect(pick(resolveToolPolicy(policy, server, tool))).toEqual(expected);
  });

  it('resolving never changes the policy or the defaults, and caches per tool', () => {
    const before = JSON.stringify(policy);
    const sp = resolveServerPolicy(policy, FS);
    const write = sp.forTool('write');
    (write.arguments.paths as Record<string, unknown>)['/x'] = { allow: [] };
    expect(JSON.stringify(policy)).toBe(before);
    expect(DEFAULT_POLICY.arguments.paths).toEqual({});
    expect(Object.isFrozen(DEFAULT_POLICY.limits.identicalCalls)).toBe(true);
    expect(sp.forTool('write')).toBe(write);
    expect(sp.forTool('read')).toBe(sp.settings);
  });

  it('a tool named like an Object.prototype member is an ordinary unnamed tool', () => {
    expect(resolveToolPolicy(policy, FS, 'constructor')).toEqual(resolveServerPolicy(policy, FS).settings);
    expect(resolveToolPolicy(policy, 'toString/x', 'hasOwnProperty').limits.callsPerMinute).toBe(600);
  });
});
