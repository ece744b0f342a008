// Issue #10.9: messages a person can act on. Changed instructions show the region around the first
// difference on both sides with hidden characters visible; a template whose uriTemplate changed is that
// template changed, with a field diff; a flood of drifted items prints a bounded summary while the audit
// log keeps every item.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { firstDifference } from '../../core/text/first-difference.ts';
import {
  audits,
  errorOf,
  notices,
  openedGuard,
  req,
  res,
  stops,
  TEMPLATE,
  toClient,
} from '../helpers/guard-harness.ts';

const LONG = `${'You are a careful assistant. '.repeat(20)}Answer in English.`;

describe('firstDifference', () => {
  const cases: [string, string, string, number | null, string, string][] = [
    ['equal texts', 'same', 'same', null, '', ''],
    ['a change at the end of a long text', `${'a'.repeat(100)}X`, `${'a'.repeat(100)}Y`, 100, '…aaaaX', '…aaaaY'],
    ['a change at the start', 'Xbc', 'Ybc', 0, 'Xbc', 'Ybc'],
    ['an appended tail', 'abc', 'abcdef', 3, 'abc', 'abcdef'],
    // The tag character is a surrogate pair; the window never splits it.
    ['an invisible tag character', 'ab\u{E0041}', 'ab\u{E0042}', 2, 'ab\u{E0041}', 'ab\u{E0042}'],
  ];
  for (const [what, a, b, offset, before, after] of cases) {
    it(what, () => {
      const w = firstDifference(a, b, 4);
      expect(w).toEqual(offset === null ? null : { offset, before, after });
    });
  }
});

describe('changed instructions', () => {
  it('show where the texts differ, on both sides, with the hidden character visible', () => {
    const g = openedGuard({ onDrift: 'filter' }, { instructions: LONG });
    g.fromClient(
      req(1, 'initialize', {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      }),
    );
    const poisoned = LONG.replace('Answer in English.', 'Answer in English.\u{E0049}\u{E0047}\u{E004E}');
    const text = notices(
      g.fromServer(res(1, { protocolVersion: '2025-11-25', capabilities: {}, instructions: poisoned })),
    )[0]!;
    expect(text).toMatch(/first difference at character 598/);
    const pinned = text.split('\n').find((l) => l.includes('pinned: "'))!;
    const now = text.split('\n').find((l) => l.includes('now:    "'))!;
    expect(pinned).toMatch(/Answer in English\."$/);
    expect(now).toContain('Answer in English.\\u{E0049}\\u{E0047}\\u{E004E}');
    expect(pinned).not.toBe(now.replace('now:   ', 'pinned:'));
    expect(now).toMatch(/hidden characters: tag ×3/);
  });

  it('benign twin: short changes are still shown whole', () => {
    const g = openedGuard({ onDrift: 'filter' }, { instructions: 'Be brief.' });
    g.fromClient(
      req(1, 'initialize', {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      }),
    );
    const text = notices(
      g.fromServer(res(1, { protocolVersion: '2025-11-25', capabilities: {}, instructions: 'Be long.' })),
    )[0]!;
    expect(text).toContain('~ instructions: "Be brief." → "Be long."');
  });
});

describe('a resource template whose uriTemplate changed', () => {
  const moved: JsonObject = { ...TEMPLATE, uriTemplate: 'notes://{+path}' };
  it('is reported as that template changed, with the field, and blocks', () => {
    const g = openedGuard();
    g.fromClient(req(1, 'resources/templates/list'));
    const effects = g.fromServer(res(1, { resourceTemplates: [moved] }));
    const error = errorOf(toClient(effects)[0]);
    expect(error.message).toMatch(
      /resource template "notes:\/\/note\/\{id\}" changed since it was pinned \(changed: uriTemplate\)/,
    );
    expect(notices(effects).join('\n')).toContain('~ uriTemplate: "notes://note/{id}" → "notes://{+path}"');
    expect(notices(effects).join('\n')).not.toMatch(/not pinned/);
    expect(stops(effects)).toHaveLength(1);
  });

  it('in filter mode it is hidden, and reads through the pinned template are refused for the session', () => {
    const g = openedGuard({ onDrift: 'filter' });
    g.fromClient(req(1, 'resources/templates/list'));
    const listed = toClient(g.fromServer(res(1, { resourceTemplates: [moved] })))[0]!;
    expect((listed.result as JsonObject).resourceTemplates).toEqual([]);
    const read = toClient(g.fromClient(req(2, 'resources/read', { uri: 'notes://note/7' })))[0];
    expect(errorOf(read).code).toBe(-32003);
  });

  it('benign twin: a genuinely new template with another name is reported as not pinned', () => {
    const g = openedGuard();
    g.fromClient(req(1, 'resources/templates/list'));
    const effects = g.fromServer(res(1, { resourceTemplates: [TEMPLATE, { uriTemplate: 'x://{id}', name: 'other' }] }));
    expect(errorOf(toClient(effects)[0]).message).toMatch(/resource template "x:\/\/\{id\}" is not pinned/);
  });
});

describe('a flood of drifted items', () => {
  const flood = Array.from({ length: 3000 }, (_, i) => ({ name: `tool_${i}`, inputSchema: { type: 'object' } }));

  it('prints the first few and a count on stderr; the audit log has every item', () => {
    const g = openedGuard();
    g.fromClient(req(1, 'tools/list'));
    const effects = g.fromServer(res(1, { tools: flood }));
    const text = notices(effects);
    expect(text.length).toBeLessThanOrEqual(12);
    expect(text.filter((t) => /BLOCKED tool "tool_\d+" is not pinned/.test(t))).toHaveLength(10);
    expect(text.some((t) => /… and 2990 more items blocked in tools\/list/.test(t))).toBe(true);
    expect(audits(effects).filter((a) => a.event === 'item')).toHaveLength(3000);
  });

  it('stays bounded across a whole session in filter mode', () => {
    const g = openedGuard({ onDrift: 'filter' });
    let printed = 0;
    let audited = 0;
    for (let page = 1; page <= 30; page++) {
      g.fromClient(req(page, 'tools/list'));
      const effects = g.fromServer(res(page, { tools: flood.slice(page * 100 - 100, page * 100) }));
      printed += notices(effects).length;
      audited += audits(effects).filter((a) => a.event === 'item').length;
    }
    expect(printed).toBeLessThanOrEqual(120);
    expect(audited).toBe(3000);
  });

  it('benign twin: a few drifted items are each printed in full', () => {
    const g = openedGuard({ onDrift: 'filter' });
    g.fromClient(req(1, 'tools/list'));
    const text = notices(g.fromServer(res(1, { tools: flood.slice(0, 3) })));
    expect(text).toHaveLength(3);
  });
});
