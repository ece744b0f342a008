// The runtime policy inside the guard: argument caps and allow-lists refuse a call with -32602 naming the
// field (the server never sees it), hiddenCharacters remove | escape | off, and structuredContent against
// the pinned outputSchema (enforce | audit | off). Each refusal has a benign twin that passes untouched.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json/strict-json.ts';
import type { McpLockPolicy } from '../../core/policy/policy-types.ts';
import { resolveServerPolicy } from '../../core/policy/resolve-policy.ts';
import type { PathResolver } from '../../core/ports.ts';
import { audits, ECHO, errorOf, openedGuard, req, res, toClient, toServer } from '../helpers/guard-harness.ts';

const SERVER = 'io.github.mcp-lock-test/guard';
const READ: JsonObject = {
  name: 'read_file',
  description: 'Read a file.',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string' }, paths: { type: 'array', items: { type: 'string' } } },
  },
};
const WEATHER: JsonObject = {
  name: 'weather',
  description: 'Weather.',
  inputSchema: { type: 'object' },
  outputSchema: {
    type: 'object',
    properties: { temperature: { type: 'number' }, city: { type: 'string' } },
    required: ['temperature'],
  },
};
const FS: PathResolver = { cwd: '/srv/app', root: '/proj', home: null, realpath: (p) => p };

function guardWith(policy: McpLockPolicy) {
  return openedGuard(
    { server: SERVER, policy: resolveServerPolicy(policy, SERVER), paths: FS },
    { tools: [ECHO, READ, WEATHER] },
  );
}

const call = (id: number, name: string, args: JsonObject) => req(id, 'tools/call', { name, arguments: args });

describe('arguments under the policy', () => {
  const g = guardWith({
    policyVersion: 1,
    defaults: { arguments: { maxStringLength: 50, maxArrayItems: 3 } },
    servers: {
      [SERVER]: {
        tools: {
          read_file: { arguments: { paths: { '/path': { allow: ['docs'] }, '/paths/*': { allow: ['docs'] } } } },
        },
      },
    },
  });
  it.each<[string, string, JsonObject, string]>([
    ['a string over the cap', 'echo', { message: 'x'.repeat(51) }, '/message'],
    [
      'an array over the cap',
      'read_file',
      { paths: ['/proj/docs/a', '/proj/docs/b', '/proj/docs/c', '/proj/docs/d'] },
      '/paths',
    ],
    ['a path outside the allow-list', 'read_file', { path: '/etc/passwd' }, '/path'],
    ['a path escaping with ..', 'read_file', { path: '/proj/docs/../.ssh/id_rsa' }, '/path'],
    ['one item of a path array', 'read_file', { paths: ['/proj/docs/a', '/proj/other'] }, '/paths/1'],
    ['a relative path (the server resolves it in its own directory)', 'read_file', { path: 'docs/a' }, '/path'],
  ])('%s → -32602 naming the field; the server never sees it', (_name, tool, args, pointer) => {
    const effects = g.fromClient(call(1, tool, args));
    expect(toServer(effects)).toEqual([]);
    const error = errorOf(toClient(effects)[0]);
    expect(error.code).toBe(-32602);
    expect(error.data?.code).toBe('POLICY_VIOLATION');
    expect((error.data!.fields as JsonObject[])[0]?.pointer).toBe(pointer);
    const audit = audits(effects).find((a) => a.event === 'request')!;
    expect(audit).toMatchObject({ decision: 'blocked', reason: 'policy', key: tool });
    expect(JSON.stringify(audit)).not.toContain('passwd');
  });

  it.each<[string, string, JsonObject]>([
    ['a string at the cap', 'echo', { message: 'x'.repeat(50) }],
    [
      'paths inside the allow-list (relative entries are the project root)',
      'read_file',
      { path: '/proj/docs/a.md', paths: ['/proj/docs/b'] },
    ],
    ['a path argument of a tool the rule does not name', 'echo', { message: '/etc/passwd' }],
  ])('benign twin: %s is forwarded as sent', (_name, tool, args) => {
    const line = call(2, tool, args);
    const effects = g.fromClient(line);
    expect(effects).toContainEqual(expect.objectContaining({ type: 'server', line }));
    expect(toClient(effects)).toEqual([]);
    g.fromServer(res(2, { content: [] }));
  });
});

const SMUGGLED = `Sunny${String.fromCodePoint(0xe0041)}\u001b[31m!`;

describe('hiddenCharacters', () => {
  it.each<['remove' | 'escape' | 'off', string, string]>([
    ['remove', 'Sunny!', 'neutralized'],
    ['escape', 'Sunny\\u{E0041}\\u{1B}[31m!', 'neutralized'],
    ['off', SMUGGLED, 'reported'],
  ])('%s', (mode, text, decision) => {
    const g = guardWith({ policyVersion: 1, servers: { [SERVER]: { results: { hiddenCharacters: mode } } } });
    g.fromClient(call(1, 'echo', { message: 'x' }));
    const effects = g.fromServer(res(1, { content: [{ type: 'text', text: SMUGGLED }] }));
    expect((toClient(effects)[0]!.result as JsonObject).content).toEqual([{ type: 'text', text }]);
    expect(audits(effects)).toContainEqual(
      expect.objectContaining({ event: 'result', decision, removed: { tag: 1, ansi: 1 } }),
    );
  });

  it('a tool-level setting applies to that tool only', () => {
    const g = guardWith({
      policyVersion: 1,
      servers: { [SERVER]: { tools: { echo: { results: { hiddenCharacters: 'escape' } } } } },
    });
    g.fromClient(call(1, 'echo', { message: 'x' }));
    const escaped = toClient(g.fromServer(res(1, { content: [{ type: 'text', text: SMUGGLED }] })))[0]!;
    expect(JSON.stringify(escaped)).toContain('\\\\u{E0041}');
    g.fromClient(call(2, 'read_file', {}));
    const removed = toClient(g.fromServer(res(2, { content: [{ type: 'text', text: SMUGGLED }] })))[0]!;
    expect((removed.result as JsonObject).content).toEqual([{ type: 'text', text: 'Sunny!' }]);
  });
});

describe('outputSchema', () => {
  const bad = { content: [{ type: 'text', text: '{}' }], structuredContent: { temperature: 'hot' } };
  const good = {
    content: [{ type: 'text', text: '{"temperature":21}' }],
    structuredContent: { temperature: 21, city: 'Zürich' },
  };

  it('enforce (default): a violation becomes an error result naming the field, audited', () => {
    const g = guardWith({ policyVersion: 1 });
    g.fromClient(call(1, 'weather', {}));
    const effects = g.fromServer(res(1, bad));
    const result = toClient(effects)[0]?.result as JsonObject;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/structuredContent \\"temperature\\" must be number/);
    expect(result.structuredContent).toBeUndefined();
    expect(audits(effects)).toContainEqual(
      expect.objectContaining({
        decision: 'blocked',
        reason: 'outputSchema',
        key: 'weather',
        fields: [{ field: 'temperature', message: 'must be number' }],
      }),
    );
  });

  it('enforce: a result without structuredContent for a tool with an outputSchema is a violation', () => {
    const g = guardWith({ policyVersion: 1 });
    g.fromClient(call(1, 'weather', {}));
    const result = toClient(g.fromServer(res(1, { content: [{ type: 'text', text: '21' }] })))[0]?.result as JsonObject;
    expect(result.isError).toBe(true);
  });

  it('benign twins: a conforming result, an error result, and a tool without outputSchema pass byte for byte', () => {
    const g = guardWith({ policyVersion: 1 });
    for (const [id, tool, result] of [
      [1, 'weather', good],
      [2, 'weather', { content: [{ type: 'text', text: 'no such city' }], isError: true }],
      [3, 'echo', { content: [], structuredContent: { anything: true } }],
    ] as const) {
      g.fromClient(call(id, tool, tool === 'echo' ? { message: 'x' } : {}));
      const line = res(id, result as unknown as JsonObject);
      const effects = g.fromServer(line);
      expect(effects).toContainEqual({ type: 'client', line });
      expect(audits(effects).filter((a) => a.event === 'result')).toEqual([]);
    }
  });

  it('audit: the violation is forwarded and audited; off: not even checked', () => {
    for (const [mode, audited] of [
      ['audit', 1],
      ['off', 0],
    ] as const) {
      const g = guardWith({ policyVersion: 1, servers: { [SERVER]: { results: { outputSchema: mode } } } });
      g.fromClient(call(1, 'weather', {}));
      const line = res(1, bad);
      const effects = g.fromServer(line);
      expect(effects).toContainEqual({ type: 'client', line });
      expect(audits(effects).filter((a) => a.reason === 'outputSchema')).toHaveLength(audited);
    }
  });
});
