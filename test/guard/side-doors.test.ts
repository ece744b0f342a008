// Issue #10.5: no side doors. An id-less client message whose method is a request method is a request
// disguised as a notification (the server would run it, the gate would never see it): it is dropped and
// audited, never forwarded. Benign twins: the real client notifications pass untouched.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { audits, note, notices, openedGuard, toClient, toServer } from '../helpers/guard-harness.ts';

const SMUGGLED: [string, JsonObject][] = [
  ['tools/call', { name: 'echo', arguments: { message: 'hi' } }],
  ['tools/call', { name: 'not-pinned' }],
  ['prompts/get', { name: 'greet' }],
  ['resources/read', { uri: 'file:///etc/passwd' }],
  ['completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'a', value: 'b' } }],
  ['resources/subscribe', { uri: 'notes://index' }],
  ['resources/unsubscribe', { uri: 'notes://index' }],
  ['tools/list', {}],
  ['resources/list', {}],
  ['initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } }],
  ['logging/setLevel', { level: 'debug' }],
  ['ping', {}],
  ['subscriptions/listen', {}],
  ['server/discover', {}],
  ['x-vendor/anything', {}],
];

const BENIGN: [string, JsonObject | undefined][] = [
  ['notifications/initialized', undefined],
  ['notifications/cancelled', { requestId: 5, reason: 'user' }],
  ['notifications/progress', { progressToken: 't', progress: 1 }],
  ['notifications/roots/list_changed', undefined],
];

describe('id-less client messages', () => {
  for (const [method, params] of SMUGGLED) {
    it(`drops and audits ${method} sent without an id`, () => {
      const g = openedGuard();
      const effects = g.fromClient(note(method, params));
      expect(toServer(effects)).toEqual([]);
      expect(toClient(effects)).toEqual([]);
      expect(audits(effects)).toEqual([
        expect.objectContaining({ event: 'client-message', decision: 'blocked', method }),
      ]);
      expect(notices(effects)[0]).toMatch(/came without an id/);
      expect(g.stopped).toBeNull();
    });
  }

  for (const [method, params] of BENIGN) {
    it(`benign twin: forwards ${method} untouched`, () => {
      const g = openedGuard();
      const sent = note(method, params);
      const effects = g.fromClient(sent);
      expect(effects.filter((e) => e.type === 'server')).toEqual([
        { type: 'server', line: sent, message: JSON.parse(sent) },
      ]);
      expect(audits(effects)).toEqual([]);
    });
  }
});
