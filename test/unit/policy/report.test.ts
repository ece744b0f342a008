// What verify, list and diff show of the policy: settings that differ from the defaults, tools that will
// ask before a call, path-like arguments without an allow-list, names the lock does not have, and how the
// same policy lands on another version.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../core/json/strict-json.ts';
import {
  changedSettings,
  checkPolicyNames,
  describeServerPolicy,
  diffServerPolicy,
  needsConfirmation,
  pathLikeArguments,
  policyLines,
} from '../../../core/policy/policy-report.ts';
import { DEFAULT_POLICY, type McpLockPolicy } from '../../../core/policy/policy-types.ts';
import { resolveServerPolicy } from '../../../core/policy/resolve-policy.ts';

const S = 'io.github.example/fs';
const tool = (name: string, annotations: JsonObject, properties: JsonObject = {}): JsonObject => ({
  name,
  inputSchema: { type: 'object', properties },
  annotations,
});

describe('needsConfirmation (sensitive: destructiveHint true, or not read-only and open-world)', () => {
  it.each<[JsonObject, boolean]>([
    [{ destructiveHint: true }, true],
    [{ readOnlyHint: false, openWorldHint: true }, true],
    [{ openWorldHint: true }, true],
    [{ readOnlyHint: true, openWorldHint: true }, false],
    [{ readOnlyHint: false, openWorldHint: false, destructiveHint: false }, false],
    [{}, false],
  ])('%j → %s', (annotations, expected) => {
    expect(needsConfirmation('sensitive', tool('t', annotations))).toBe(expected);
    expect(needsConfirmation('always', tool('t', annotations))).toBe(true);
    expect(needsConfirmation('never', tool('t', annotations))).toBe(false);
  });
});

describe('pathLikeArguments', () => {
  it('finds string and string-array arguments named like paths, not others', () => {
    const def = tool(
      't',
      {},
      {
        path: { type: 'string' },
        filePath: { type: 'string' },
        paths: { type: 'array', items: { type: 'string' } },
        source_dir: { type: 'string' },
        pathology: { type: 'string' },
        count: { type: 'number' },
        file: { type: 'object' },
      },
    );
    expect(pathLikeArguments(def)).toEqual(['/path', '/filePath', '/paths/*', '/source_dir']);
  });
});

describe('describing a server policy', () => {
  const policy: McpLockPolicy = {
    policyVersion: 1,
    defaults: { results: { hiddenCharacters: 'escape' } },
    servers: {
      [S]: {
        arguments: { paths: { '/path': { allow: ['docs'] } } },
        tools: { write: { confirm: { when: 'always' } }, gone: {} },
      },
    },
  };
  const tools = [
    tool('read', { readOnlyHint: true }, { path: { type: 'string' } }),
    tool('write', { destructiveHint: false }, { path: { type: 'string' }, target: { type: 'string' } }),
    tool('delete', { destructiveHint: true }, { directory: { type: 'string' } }),
  ];

  it('no policy: nothing differs from the defaults', () => {
    expect(changedSettings(DEFAULT_POLICY)).toEqual([]);
    const view = describeServerPolicy(resolveServerPolicy(undefined, S), tools);
    expect(policyLines(view, false)[0]).toBe('policy: the built-in defaults (no mcp-lock.policy.json)');
  });

  it('shows changed settings, per-tool overrides, confirmations and unguarded paths', () => {
    const view = describeServerPolicy(resolveServerPolicy(policy, S), tools);
    expect(view.changed).toEqual([
      { setting: 'arguments.paths./path', value: { allow: ['docs'] } },
      { setting: 'results.hiddenCharacters', value: 'escape' },
    ]);
    expect(view.tools).toEqual({ write: [{ setting: 'confirm.when', value: 'always' }], gone: [] });
    expect(view.confirm).toEqual(['write', 'delete']);
    expect(view.unguardedPaths).toEqual([{ tool: 'delete', pointer: '/directory' }]);
    expect(policyLines(view, true)).toEqual([
      'policy: arguments.paths./path={"allow":["docs"]}; results.hiddenCharacters="escape"',
      '  tool write: confirm.when="always"',
      'asks before calling: write, delete',
      'path arguments without an allow-list: delete /directory',
    ]);
  });

  it('checkPolicyNames warns about servers and tools the lock does not have (benign twin: known names)', () => {
    const findings = checkPolicyNames(
      { ...policy, servers: { ...policy.servers, 'io.github.other/x': {} } },
      new Map([[S, ['read', 'write', 'delete']]]),
    );
    expect(findings.map((f) => [f.severity, f.path])).toEqual([
      ['warning', 'mcp-lock.policy.json#/servers/io.github.example~1fs/tools/gone'],
      ['warning', 'mcp-lock.policy.json#/servers/io.github.other~1x'],
    ]);
    expect(checkPolicyNames(policy, new Map([[S, ['read', 'write', 'delete', 'gone']]]))).toEqual([]);
    expect(checkPolicyNames(policy, new Map([[S, undefined]]))).toEqual([]);
  });

  it('diffServerPolicy: new tools that will ask, new unguarded paths, named tools that are gone', () => {
    const next = [
      ...tools.filter((t) => t.name !== 'write'),
      tool('wipe', { destructiveHint: true }, { root: { type: 'string' }, path: { type: 'string' } }),
    ];
    expect(diffServerPolicy(resolveServerPolicy(policy, S), tools, next)).toEqual({
      newConfirm: ['wipe'],
      newUnguardedPaths: [{ tool: 'wipe', pointer: '/root' }],
      orphanedTools: ['write', 'gone'],
    });
    expect(diffServerPolicy(resolveServerPolicy(policy, S), tools, tools)).toEqual({
      newConfirm: [],
      newUnguardedPaths: [],
      orphanedTools: ['gone'],
    });
  });
});
