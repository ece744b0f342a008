// The TUF and two-person settings of the registry configuration: defaults, sources, and bounds.

import { describe, expect, test } from 'vitest';
import { resolveRegistryConfig } from '../../registry/config.ts';
import { expectCode } from '../helpers/expect-code.ts';

const resolve = (flags = {}, env = {}, file?: object) =>
  resolveRegistryConfig({
    flags,
    env,
    cwd: '/tmp',
    ...(file ? { file: { path: '/tmp/c.json', content: JSON.stringify(file) } } : {}),
  });

describe('TUF expiry and curators', () => {
  test('defaults: a one-day timestamp, one curator who is not the publisher', () => {
    const c = resolve();
    expect(c.tufExpiries.timestamp).toBe(86400);
    expect(c.curatorsRequired).toEqual({ '*': 1 });
  });

  test('flag beats environment beats file; durations take units', () => {
    expect(resolve({}, {}, { tufExpiries: { timestamp: 7200, targets: '3d' } }).tufExpiries).toMatchObject({
      timestamp: 7200,
      targets: 259200,
    });
    expect(
      resolve({}, { MCP_LOCK_REGISTRY_TIMESTAMP_EXPIRY: '12h' }, { tufExpiries: { timestamp: 60 } }).tufExpiries
        .timestamp,
    ).toBe(43200);
    expect(
      resolve({ timestampExpiry: '30m' }, { MCP_LOCK_REGISTRY_TIMESTAMP_EXPIRY: '12h' }).tufExpiries.timestamp,
    ).toBe(1800);
  });

  test('out-of-bounds or unknown values are refused with the setting named', () => {
    expect(expectCode(() => resolve({ timestampExpiry: '5s' }), 'CONFIG_INVALID').message).toMatch(
      /--timestamp-expiry/,
    );
    expectCode(() => resolve({ timestampExpiry: '40d' }), 'CONFIG_INVALID');
    expectCode(() => resolve({}, {}, { tufExpiries: { delegated: 60 } }), 'CONFIG_INVALID');
    expectCode(() => resolve({}, {}, { curatorsRequired: { 'io.github.acme': 0 } }), 'CONFIG_INVALID');
    expectCode(() => resolve({}, {}, { curatorsRequired: { 'bad/ns': 2 } }), 'CONFIG_INVALID');
  });

  test('curators per namespace keep the default for the rest', () => {
    expect(resolve({}, {}, { curatorsRequired: { 'io.github.acme': 2 } }).curatorsRequired).toEqual({
      '*': 1,
      'io.github.acme': 2,
    });
  });
});
