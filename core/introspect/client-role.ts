// The client mcp-lock plays while it introspects a server: it declares every capability the MCP SDK
// client can offer, so a server that registers tools only for capable clients (roots, sampling,
// elicitation, tasks) shows its whole surface at pin time. A client that declares less at run time sees
// a subset of those pins, which the guard accepts; nothing beyond the pins ever passes.
//
// The server's own requests during introspection are answered harmlessly: no roots, sampling refused
// as a user would refuse it, elicitation declined, nothing run as a task.

import type { JsonObject } from '../json/strict-json.ts';

/** Everything the SDK's ClientCapabilities schema lets a client declare (1.32: roots, sampling, elicitation, tasks). */
export const INTROSPECTION_CAPABILITIES: JsonObject = {
  roots: { listChanged: true },
  sampling: { context: {}, tools: {} },
  elicitation: { form: {}, url: {} },
  tasks: {
    list: {},
    cancel: {},
    requests: { sampling: { createMessage: {} }, elicitation: { create: {} } },
  },
};

/** A JSON-RPC answer body: exactly one of result or error. */
export type ServerRequestAnswer = { result: JsonObject } | { error: { code: number; message: string } };

/** The answer to a server→client request received while introspecting. */
export function answerServerRequest(method: string): ServerRequestAnswer {
  switch (method) {
    case 'ping':
      return { result: {} };
    case 'roots/list':
      return { result: { roots: [] } };
    case 'elicitation/create':
      return { result: { action: 'decline' } };
    case 'sampling/createMessage':
      // The spec's example code for a user who rejects a sampling request.
      return { error: { code: -1, message: 'mcp-lock is introspecting the server and samples no model' } };
    default:
      return { error: { code: -32601, message: `mcp-lock does not handle ${method} while introspecting` } };
  }
}
