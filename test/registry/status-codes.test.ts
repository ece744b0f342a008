// The registry client's status-to-code mapping is the inverse of the registry's httpStatusFor: every code
// the registry sends with its status comes back to the client as the same code, except that any 5xx is
// "could not verify" (REGISTRY_UNAVAILABLE), and a peer cannot turn a status into a code of another kind.

import { describe, expect, test } from 'vitest';
import { errorCodeForResponse } from '../../adapters/registry-client/client.ts';
import { ERROR_CODES, type ErrorCode, errorCategory, isErrorCode } from '../../core/errors.ts';
import { httpStatusFor } from '../../registry/http-status.ts';

const ALL = Object.values(ERROR_CODES).flat() as ErrorCode[];

describe('errorCodeForResponse inverts httpStatusFor', () => {
  test.each(ALL)('%s survives the round trip through HTTP', (code) => {
    const status = httpStatusFor(code);
    const back = errorCodeForResponse(status, code);
    if (status >= 500) expect(back).toBe('REGISTRY_UNAVAILABLE');
    else expect(back).toBe(code);
  });

  test('no code the registry sends below 500 is one of "could not verify"', () => {
    const below = ALL.filter((c) => httpStatusFor(c) < 500);
    expect(below.filter((c) => errorCategory(c) === 'unverifiable')).toEqual([]);
  });

  test('a spoofed code cannot change the kind: "could not verify" codes on a 4xx, unknown codes, no code', () => {
    expect(errorCodeForResponse(400, 'REGISTRY_UNAVAILABLE')).toBe('REGISTRY_PROTOCOL');
    expect(errorCodeForResponse(422, 'NO_SUCH_CODE')).toBe('REGISTRY_PROTOCOL');
    expect(errorCodeForResponse(400, undefined)).toBe('REGISTRY_PROTOCOL');
    expect(errorCodeForResponse(404, 'CONFLICT')).toBe('NOT_FOUND');
    expect(errorCodeForResponse(302, 'NOT_FOUND')).toBe('REGISTRY_PROTOCOL');
  });
});

describe('isErrorCode', () => {
  test('knows every code and nothing else', () => {
    for (const c of ALL) expect(isErrorCode(c)).toBe(true);
    for (const v of ['', 'not_found', 'toString', '__proto__', 42, null, undefined]) expect(isErrorCode(v)).toBe(false);
  });
});
