// tuf-js failures map onto our three outcomes: expired state could not be verified (exit 3), anything
// that fails verification is REGISTRY_STATE_INVALID (exit 1), the network is REGISTRY_UNAVAILABLE.

import { describe, expect, test } from 'vitest';
import { toStateError } from '../../../adapters/consumer/tuf-state.ts';
import { exitCodeFor } from '../../../cli/exit-codes.ts';

const R = 'https://registry.example';

describe('toStateError', () => {
  test.each([
    ['Final timestamp.json is expired', 'REGISTRY_STATE_EXPIRED', 3],
    ['Unable to load snapshot metadata error Error: Final timestamp.json is expired', 'REGISTRY_STATE_EXPIRED', 3],
    ['New timestamp version 3 is less than current version 5', 'REGISTRY_STATE_INVALID', 1],
    ['root was signed by 0/1 keys', 'REGISTRY_STATE_INVALID', 1],
    [
      'Unable to load targets error Error: Version 4 of targets does not match snapshot version 5',
      'REGISTRY_STATE_INVALID',
      1,
    ],
    ['fetch failed', 'REGISTRY_UNAVAILABLE', 3],
  ])('%s → %s', (message, code, exit) => {
    const error = toStateError(R, new Error(message));
    expect(error.code).toBe(code);
    expect(exitCodeFor(error.code)).toBe(exit);
    expect(error.message).toContain(R);
    expect(error.hint).toBeTruthy();
  });
});
