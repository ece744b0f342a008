// The result of a JSON-RPC response, or the McpLockError it stands for, the same way for every transport:
// a JSON-RPC error keeps its code and message (shown with hidden characters made visible, bounded), a
// response without a result object is a protocol error.

import { McpLockError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { visible } from '../../core/text/hidden-chars.ts';

export function rpcResult(message: JsonObject, method: string): JsonObject | McpLockError {
  const error = message.error;
  if (error && typeof error === 'object' && !Array.isArray(error)) {
    const rpcCode = typeof error.code === 'number' ? error.code : null;
    const rpcMessage = typeof error.message === 'string' ? error.message : '';
    return new McpLockError(
      'SERVER_PROTOCOL_ERROR',
      `${method} failed: ${visible(rpcMessage.slice(0, 500))} (${rpcCode})`,
      {
        data: { rpcCode, rpcMessage: rpcMessage.slice(0, 2000), method },
      },
    );
  }
  const result = message.result;
  if (!result || typeof result !== 'object' || Array.isArray(result)) {
    return new McpLockError('SERVER_PROTOCOL_ERROR', `${method} returned no result object`);
  }
  return result;
}
