// Issue #10.10: block means block for resources too. In block mode a listed resource that no pin covers
// is drift, like an unpinned tool, unless the pin declares that the server adds resources at run time;
// then it is hidden and unreadable, and the session goes on. Filter mode hides it either way.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { errorOf, openedGuard, RESOURCE, req, res, stops, toClient, toServer } from '../helpers/guard-harness.ts';

const ADDED: JsonObject = { uri: 'notes://session/1', name: 'session file' };

function listResources(dynamicResources: boolean, onDrift: 'block' | 'filter') {
  const g = openedGuard({ onDrift }, { dynamicResources });
  g.fromClient(req(1, 'resources/list'));
  const effects = g.fromServer(res(1, { resources: [RESOURCE, ADDED] }));
  return { g, effects, answer: toClient(effects)[0]! };
}

describe('a resource the server added at run time', () => {
  it('block mode, no declaration: drift, blocked, and the server is stopped', () => {
    const { g, effects, answer } = listResources(false, 'block');
    expect(errorOf(answer)).toMatchObject({ code: -32001 });
    expect(errorOf(answer).message).toMatch(/resource "notes:\/\/session\/1" is not pinned/);
    expect(stops(effects)).toHaveLength(1);
    expect(g.stopped?.code).toBe('DRIFT_DETECTED');
  });

  it('block mode, the pin declares run-time resources: hidden, unreadable, and the session goes on', () => {
    const { g, effects, answer } = listResources(true, 'block');
    expect((answer.result as JsonObject).resources).toEqual([RESOURCE]);
    expect(stops(effects)).toEqual([]);
    const read = g.fromClient(req(2, 'resources/read', { uri: ADDED.uri as string }));
    expect(toServer(read)).toEqual([]);
    expect(errorOf(toClient(read)[0]).code).toBe(-32003);
    expect(toServer(g.fromClient(req(3, 'resources/read', { uri: RESOURCE.uri as string })))).toHaveLength(1);
  });

  it('the declaration covers only new resources: a changed pinned resource still blocks', () => {
    const g = openedGuard({}, { dynamicResources: true });
    g.fromClient(req(1, 'resources/list'));
    const effects = g.fromServer(res(1, { resources: [{ ...RESOURCE, description: 'Read me first' }] }));
    expect(errorOf(toClient(effects)[0]).code).toBe(-32001);
  });

  for (const dynamic of [false, true]) {
    it(`filter mode keeps today's behaviour (${dynamic ? 'with' : 'without'} the declaration): hidden`, () => {
      const { effects, answer } = listResources(dynamic, 'filter');
      expect((answer.result as JsonObject).resources).toEqual([RESOURCE]);
      expect(stops(effects)).toEqual([]);
    });
  }

  it('benign twin: the pinned resources alone pass untouched in block mode', () => {
    const g = openedGuard();
    g.fromClient(req(1, 'resources/list'));
    const answer = res(1, { resources: [RESOURCE] });
    expect(g.fromServer(answer)).toContainEqual({ type: 'client', line: answer });
  });
});
