// Asking a person before a sensitive tool call (issue #13.6): which calls need a confirmation (from the
// PINNED annotations, never the live ones a server could change), the `elicitation/create` request the
// guard sends the client, and how the client's answer reads. Pure: values in, values out; the session
// moves (hold, forward, refuse, time out) are in confirm-flow.ts.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import { DEFAULT_POLICY, type EffectivePolicy } from '../policy/policy-types.ts';
import { visible } from '../text/hidden-chars.ts';

/** The `confirm` settings of the runtime policy (mcp-lock.policy.json), resolved for one tool. */
export type ConfirmSettings = EffectivePolicy['confirm'];

/** What applies when the policy says nothing: ask before sensitive calls, allow (audited) without elicitation. */
export const DEFAULT_CONFIRM: ConfirmSettings = DEFAULT_POLICY.confirm;

/** The longest a confirmation may wait, whatever the settings say (a held call must not live forever). */
export const MAX_CONFIRM_SECONDS = 3600;
/** Characters of the arguments shown in the request; the rest is counted, not sent. */
export const MAX_SHOWN_ARGUMENT_CHARS = 4000;
/** Property of the requested schema the client answers with. */
export const CONFIRM_FIELD = 'confirm';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a pinned tool definition is sensitive, or null when it is not (by its pinned annotations). */
export function sensitivityOf(definition: JsonObject | undefined): string | null {
  const a = isObject(definition?.annotations) ? definition.annotations : {};
  if (a.destructiveHint === true) return 'its pinned annotations say it is destructive';
  if (a.readOnlyHint !== true && a.openWorldHint === true) {
    return 'its pinned annotations say it is not read-only and reaches the open world';
  }
  return null;
}

/** Why this call needs a person's yes, or null when it does not. */
export function confirmationReason(settings: ConfirmSettings, definition: JsonObject | undefined): string | null {
  if (settings.when === 'never') return null;
  if (settings.when === 'always') return 'the policy asks for a confirmation of every call of this tool';
  return sensitivityOf(definition);
}

/**
 * Whether the client declared form elicitation in initialize: `elicitation: {}` (2025-06-18, form only)
 * or `elicitation: { form: {} }` (2025-11-25). A client that declared only URL mode cannot show a form.
 */
export function declaresFormElicitation(initializeParams: JsonObject | undefined): boolean {
  const caps = isObject(initializeParams?.capabilities) ? initializeParams.capabilities : undefined;
  const e = caps?.elicitation;
  if (!isObject(e)) return false;
  if (Object.keys(e).length === 0) return true;
  return isObject(e.form);
}

/** The arguments as the person sees them: pretty JSON, hidden characters made visible, bounded. */
export function shownArguments(args: JsonValue | undefined): string {
  const text = args === undefined ? '(none)' : JSON.stringify(args, null, 2);
  const chars = Array.from(text);
  const shown = visible(chars.slice(0, MAX_SHOWN_ARGUMENT_CHARS).join(''), { multiline: true });
  const rest = chars.length - MAX_SHOWN_ARGUMENT_CHARS;
  return rest > 0 ? `${shown}\n… (${rest} more characters not shown)` : shown;
}

/** The `elicitation/create` request for one held call (form mode, a single required boolean). */
export function confirmationRequest(
  id: string,
  server: string,
  tool: string,
  args: JsonValue | undefined,
  reason: string,
): JsonObject {
  const message =
    `mcp-lock asks before this tool call runs (${reason}).\n\n` +
    `Server: ${visible(server)}\nTool: ${visible(tool)}\nArguments:\n${shownArguments(args)}\n\n` +
    'Hidden characters are shown as \\u{…}. Confirm to run it; decline or cancel to refuse it.';
  return {
    jsonrpc: '2.0',
    id,
    method: 'elicitation/create',
    params: {
      message,
      requestedSchema: {
        type: 'object',
        properties: {
          [CONFIRM_FIELD]: {
            type: 'boolean',
            title: `Run ${visible(tool)} on ${visible(server)}?`,
            description: 'Yes runs the call as shown; no refuses it.',
            default: false,
          },
        },
        required: [CONFIRM_FIELD],
      },
    },
  };
}

export type ConfirmationAnswer =
  | { verdict: 'confirmed' }
  | { verdict: 'declined' | 'cancelled' | 'invalid'; reason: string };

/** What the client's response to the elicitation says; anything but accept + confirm: true refuses. */
export function readConfirmationAnswer(message: JsonObject): ConfirmationAnswer {
  if (isObject(message.error)) {
    const code = typeof message.error.code === 'number' ? message.error.code : 'no code';
    return { verdict: 'invalid', reason: `the client answered the confirmation with error ${code}` };
  }
  const result = message.result;
  if (!isObject(result)) return { verdict: 'invalid', reason: 'the client answered the confirmation with no result' };
  switch (result.action) {
    case 'accept': {
      const content = isObject(result.content) ? result.content : undefined;
      if (content?.[CONFIRM_FIELD] === true) return { verdict: 'confirmed' };
      if (content?.[CONFIRM_FIELD] === false) return { verdict: 'declined', reason: 'the user answered no' };
      return { verdict: 'invalid', reason: `the client accepted without a boolean "${CONFIRM_FIELD}"` };
    }
    case 'decline':
      return { verdict: 'declined', reason: 'the user declined' };
    case 'cancel':
      return { verdict: 'cancelled', reason: 'the user cancelled' };
    default:
      return { verdict: 'invalid', reason: 'the client answered the confirmation with an unknown action' };
  }
}

/** Settings made safe to run with: a timeout from 1 s to MAX_CONFIRM_SECONDS. */
export function boundedTimeoutMs(settings: ConfirmSettings): number {
  const s = Number.isFinite(settings.timeoutSeconds) ? settings.timeoutSeconds : DEFAULT_CONFIRM.timeoutSeconds;
  return Math.round(Math.min(Math.max(s, 1), MAX_CONFIRM_SECONDS) * 1000);
}
