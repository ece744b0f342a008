// Pins are taken by a fully capable client (core/introspect/client-role.ts), so a client that declares
// fewer capabilities sees a subset of the pinned tools: the guard shows that subset unchanged in block
// mode, and still blocks any tool beyond the pins, whatever the client declared.

import { describe, expect, it } from 'vitest';
import { Guard, type GuardEffect } from '../../core/guard/guard.ts';
import { pinnedSurface } from '../../core/guard/pinned-surface.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { pinSurface } from '../../core/surface/pin.ts';

const tool = (name: string): JsonObject => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object' },
});
const PINNED = ['echo', 'get-roots-list', 'trigger-sampling-request', 'trigger-elicitation-request'].map(tool);

function session(capabilities: JsonObject): Guard {
  const guard = new Guard({
    server: 'io.github.test/everything',
    surface: pinnedSurface(
      pinSurface({
        protocolVersion: '2025-11-25',
        instructions: null,
        tools: PINNED,
        prompts: [],
        resources: [],
        resourceTemplates: [],
      }),
    ),
    onDrift: 'block',
  });
  const init = { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'c', version: '1' } };
  guard.fromClient(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: init }));
  guard.fromServer(
    JSON.stringify({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} } } }),
  );
  guard.fromClient(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return guard;
}

function listed(guard: Guard, tools: JsonObject[]): GuardEffect[] {
  guard.fromClient(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
  return guard.fromServer(JSON.stringify({ jsonrpc: '2.0', id: 2, result: { tools } }));
}

const answers = (effects: GuardEffect[]) =>
  effects.flatMap((e) => (e.type === 'client' ? [JSON.parse(String(e.line)) as JsonObject] : []));

describe('a client that declares fewer capabilities than introspection did', () => {
  it('gets the subset of pinned tools its capabilities unlock, untouched', () => {
    const guard = session({});
    const effects = listed(guard, [tool('echo')]);
    expect(answers(effects)).toEqual([{ jsonrpc: '2.0', id: 2, result: { tools: [tool('echo')] } }]);
    expect(effects.some((e) => e.type === 'stop')).toBe(false);
    expect(guard.stopped).toBeNull();
  });

  it('never gets a tool beyond the pins: block mode stops the server', () => {
    const guard = session({ roots: {}, sampling: {}, elicitation: {} });
    const effects = listed(guard, [...PINNED, tool('trigger-url-elicitation')]);
    expect(answers(effects)[0]!.error).toMatchObject({ data: { code: 'DRIFT_DETECTED' } });
    expect(guard.stopped?.code).toBe('DRIFT_DETECTED');
  });
});
