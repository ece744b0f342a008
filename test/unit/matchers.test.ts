// The suite's custom matcher says what it promises: exactly an McpLockError with exactly the code.
import { describe, expect, test } from 'vitest';
import { McpLockError } from '../../core/errors.ts';

describe('toThrowWithCode', () => {
  test('passes for the code, sync and through rejects', async () => {
    expect(() => {
      throw new McpLockError('NOT_FOUND', 'x');
    }).toThrowWithCode('NOT_FOUND');
    await expect(Promise.reject(new McpLockError('CONFLICT', 'x'))).rejects.toThrowWithCode('CONFLICT');
  });

  test('fails for another code, a bare error, or nothing thrown', async () => {
    expect(() =>
      expect(() => {
        throw new McpLockError('CONFLICT', 'x');
      }).toThrowWithCode('NOT_FOUND'),
    ).toThrow(/expected an McpLockError NOT_FOUND, got McpLockError CONFLICT/);
    expect(() =>
      expect(() => {
        throw new URIError('URI malformed');
      }).toThrowWithCode('NOT_FOUND'),
    ).toThrow(/got URIError: URI malformed/);
    expect(() => expect(() => 1).toThrowWithCode('NOT_FOUND')).toThrow(/nothing was thrown/);
    await expect(expect(Promise.reject(new TypeError('t'))).rejects.toThrowWithCode('NOT_FOUND')).rejects.toThrow(
      /got TypeError/,
    );
  });
});
