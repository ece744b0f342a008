// Issue #13.2: tools/call arguments are checked against the pinned inputSchema (Ajv, strict, no coercion,
// no defaults injected) before anything is forwarded. An invalid call gets -32602 naming the field and
// never reaches the server; a valid one is forwarded byte for byte.

import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../core/json/strict-json.ts';
import { audits, errorOf, openedGuard, req, toClient, toServer } from '../helpers/guard-harness.ts';

const SEND: JsonObject = {
  name: 'send',
  description: 'Send a message.',
  inputSchema: {
    type: 'object',
    properties: {
      to: { type: 'string', format: 'email' },
      count: { type: 'integer', minimum: 1 },
      options: { type: 'object', properties: { priority: { type: 'string', enum: ['low', 'high'], default: 'low' } } },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['to'],
    additionalProperties: false,
  },
};
const DRAFT7: JsonObject = {
  name: 'legacy',
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { n: { type: 'number' } },
    required: ['n'],
  },
};
const BROKEN: JsonObject = { name: 'broken', inputSchema: { type: 'object', properties: { a: { type: 'strin' } } } };
const UNKNOWN_KEYWORD: JsonObject = { name: 'odd', inputSchema: { type: 'object', 'x-sneaky': true } };

function call(name: string, args: JsonValue | undefined) {
  const g = openedGuard({}, { tools: [SEND, DRAFT7, BROKEN, UNKNOWN_KEYWORD] });
  const sent = req(5, 'tools/call', { name, ...(args === undefined ? {} : { arguments: args }) });
  const effects = g.fromClient(sent);
  return { effects, sent, forwarded: toServer(effects), answer: toClient(effects)[0] };
}

describe('an unknown keyword in a pinned inputSchema', () => {
  it('is reported once per tool (audit and stderr), and the rest of the schema is enforced', () => {
    const g = openedGuard(
      {},
      { tools: [{ name: 'odd', inputSchema: { type: 'object', required: ['a'], 'x-sneaky': 1 } }] },
    );
    const first = g.fromClient(req(1, 'tools/call', { name: 'odd', arguments: { a: 1 } }));
    expect(audits(first)[0]).toMatchObject({ event: 'input-schema', decision: 'reported', key: 'odd' });
    expect(String(audits(first)[0]!.reason)).toMatch(/unknown keyword: "x-sneaky"/);
    expect(toServer(first)).toHaveLength(1);
    const second = g.fromClient(req(2, 'tools/call', { name: 'odd', arguments: {} }));
    expect(audits(second).map((a) => a.event)).toEqual(['request', 'call']);
    expect(errorOf(toClient(second)[0]).message).toMatch(/argument "a" is required/);
  });
});

describe('tools/call arguments', () => {
  const invalid: [string, string, JsonValue | undefined, RegExp][] = [
    ['a missing required field', 'send', {}, /argument "to" is required/],
    ['no arguments at all', 'send', undefined, /argument "to" is required/],
    ['a wrong type (no coercion of "3" to 3)', 'send', { to: 'a@b.c', count: '3' }, /argument "count" must be integer/],
    ['a number out of range', 'send', { to: 'a@b.c', count: 0 }, /argument "count" must be >= 1/],
    [
      'an enum miss in a nested object',
      'send',
      { to: 'a@b.c', options: { priority: 'urgent' } },
      /argument "options.priority" must be equal to one of the allowed values/,
    ],
    ['a wrong array item', 'send', { to: 'a@b.c', tags: ['ok', 7] }, /argument "tags\[1\]" must be string/],
    [
      'a field the schema does not allow',
      'send',
      { to: 'a@b.c', bcc: 'x@evil.example' },
      /argument "bcc" is not allowed by the schema/,
    ],
    ['arguments that are not an object', 'send', ['a@b.c'], /arguments must be an object/],
    ['a draft-07 schema', 'legacy', { n: 'one' }, /argument "n" must be number/],
    [
      'a pinned schema that does not compile (fail closed)',
      'broken',
      { a: 'x' },
      /the pinned inputSchema cannot be enforced/,
    ],
  ];
  for (const [what, tool, args, pattern] of invalid) {
    it(`refuses ${what} with -32602, and the server never sees it`, () => {
      const { effects, forwarded, answer } = call(tool, args);
      expect(forwarded).toEqual([]);
      expect(errorOf(answer)).toMatchObject({ code: -32602, data: { code: 'SCHEMA_INVALID', tool } });
      expect(errorOf(answer).message).toMatch(pattern);
      const audit = audits(effects)[0]!;
      expect(audit).toMatchObject({ event: 'request', decision: 'blocked', key: tool, reason: 'arguments' });
      // Field paths only: no argument value is ever written to the audit log.
      expect(JSON.stringify(audit)).not.toContain('evil.example');
    });
  }

  const valid: [string, string, JsonObject][] = [
    ['the required field only', 'send', { to: 'a@b.c' }],
    ['every field', 'send', { to: 'a@b.c', count: 2, options: { priority: 'high' }, tags: ['x'] }],
    ['a format the schema names but JSON Schema treats as an annotation', 'send', { to: 'not an email' }],
    ['a draft-07 schema', 'legacy', { n: 1.5 }],
    ['a schema with an unknown keyword (ignored, as JSON Schema says)', 'odd', { any: 'thing' }],
  ];
  for (const [what, tool, args] of valid) {
    it(`benign twin: forwards ${what} exactly as sent (no defaults injected)`, () => {
      const { effects, sent, forwarded } = call(tool, args);
      expect(effects).toContainEqual({ type: 'server', line: sent, message: JSON.parse(sent) });
      expect((forwarded[0]!.params as JsonObject).arguments).toEqual(args);
    });
  }
});
