// A small pinned surface and the helpers that drive the pure guard in tests: raw lines in, effects out,
// and what each effect says (lines to the client or the server, audit records, notices, stops).

import type { Surface } from '../../core/generated/manifest.ts';
import { Guard, type GuardEffect, type GuardOptions } from '../../core/guard/guard.ts';
import { pinnedSurface } from '../../core/guard/pinned-surface.ts';
import type { JsonObject, JsonValue } from '../../core/json/strict-json.ts';
import { pinSurface } from '../../core/surface/pin.ts';

export const ECHO: JsonObject = {
  name: 'echo',
  description: 'Echo a message.',
  inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
};
export const RESOURCE: JsonObject = { uri: 'notes://index', name: 'index' };
export const TEMPLATE: JsonObject = { uriTemplate: 'notes://note/{id}', name: 'note' };

export interface SurfaceParts {
  instructions?: string | null;
  tools?: JsonObject[];
  prompts?: JsonObject[];
  resources?: JsonObject[];
  resourceTemplates?: JsonObject[];
  /** The pin declares that the server adds resources at run time. */
  dynamicResources?: boolean;
}

export function testSurface(parts: SurfaceParts = {}): Surface {
  return pinSurface(
    {
      protocolVersion: '2025-11-25',
      instructions: parts.instructions === undefined ? 'Be brief.' : parts.instructions,
      tools: parts.tools ?? [ECHO],
      prompts: parts.prompts ?? [],
      resources: parts.resources ?? [RESOURCE],
      resourceTemplates: parts.resourceTemplates ?? [TEMPLATE],
    },
    { dynamicResources: parts.dynamicResources === true },
  );
}

export const line = (message: JsonObject) => JSON.stringify(message);
export const req = (id: number | string, method: string, params?: JsonObject) =>
  line({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
export const note = (method: string, params?: JsonObject) =>
  line({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
export const res = (id: number | string, result: JsonValue) => line({ jsonrpc: '2.0', id, result });

export function toClient(effects: GuardEffect[]): JsonObject[] {
  return effects.flatMap((e) =>
    e.type === 'client' ? [JSON.parse(Buffer.from(e.line).toString()) as JsonObject] : [],
  );
}
export function toServer(effects: GuardEffect[]): JsonObject[] {
  return effects.flatMap((e) => (e.type === 'server' ? [e.message] : []));
}
export const stops = (effects: GuardEffect[]) => effects.filter((e) => e.type === 'stop');
export const audits = (effects: GuardEffect[]) => effects.flatMap((e) => (e.type === 'audit' ? [e.event] : []));
export const notices = (effects: GuardEffect[]) => effects.flatMap((e) => (e.type === 'notice' ? [e.text] : []));
export const errorOf = (message: JsonObject | undefined) =>
  message?.error as { code: number; message: string; data?: JsonObject };

/** A guard past the initialize handshake, over the given surface. */
export function openedGuard(options: Partial<GuardOptions> = {}, parts: SurfaceParts = {}): Guard {
  const g = new Guard({
    server: 'io.github.test/server',
    surface: pinnedSurface(testSurface(parts)),
    onDrift: 'block',
    ...options,
  });
  g.fromClient(
    req(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } }),
  );
  const instructions = parts.instructions === undefined ? 'Be brief.' : parts.instructions;
  g.fromServer(res(0, { protocolVersion: '2025-11-25', capabilities: {}, ...(instructions ? { instructions } : {}) }));
  g.fromClient(note('notifications/initialized'));
  return g;
}
