// outdated and rollback decide from the signed server index only: the pin's status, the approved
// versions after it, the last approved one before it.

import { describe, expect, test } from 'vitest';
import { checkOutdated, isBlocking, previousApproved } from '../../../core/lockfile/outdated.ts';
import type { ServerIndexFacts } from '../../../core/registry/tuf/targets.ts';

const index: ServerIndexFacts = {
  name: 'io.github.acme/weather',
  latest: '1.3.0',
  versions: [
    { version: '1.0.0', status: 'approved', statusReason: null },
    { version: '1.1.0', status: 'deprecated', statusReason: 'use 1.2' },
    { version: '1.2.0', status: 'yanked', statusReason: 'leaks tokens' },
    { version: '1.3.0', status: 'approved', statusReason: null },
  ],
};

describe('checkOutdated', () => {
  test('an old approved pin lists only the approved versions after it', () => {
    const r = checkOutdated(index.name, '1.0.0', index);
    expect(r).toEqual({
      name: index.name,
      version: '1.0.0',
      status: 'approved',
      statusReason: null,
      latest: '1.3.0',
      newer: ['1.3.0'],
    });
    expect(isBlocking(r)).toBe(false);
  });

  test('a yanked pin blocks and carries its reason; a deprecated one does not block', () => {
    const yanked = checkOutdated(index.name, '1.2.0', index);
    expect(yanked).toMatchObject({ status: 'yanked', statusReason: 'leaks tokens', newer: ['1.3.0'] });
    expect(isBlocking(yanked)).toBe(true);
    expect(isBlocking(checkOutdated(index.name, '1.1.0', index))).toBe(false);
  });

  test('a pin the signed index does not list is unlisted and blocks', () => {
    const r = checkOutdated(index.name, '9.9.9', index);
    expect(r).toMatchObject({ status: 'unlisted', newer: [] });
    expect(isBlocking(r)).toBe(true);
  });
});

describe('previousApproved', () => {
  test('skips yanked and deprecated versions', () => {
    expect(previousApproved(index, '1.3.0')).toBe('1.0.0');
    expect(previousApproved(index, '1.1.0')).toBe('1.0.0');
  });

  test('nothing before the first version, nothing for an unlisted one', () => {
    expect(previousApproved(index, '1.0.0')).toBeNull();
    expect(previousApproved(index, '0.0.1')).toBeNull();
  });
});
