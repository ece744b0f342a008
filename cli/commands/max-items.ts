// `--max-items` for manifest, add --tofu and run: how many items one listing (tools, prompts, resources
// or resource templates) may have before introspection or the guard fails closed. 10,000 by default, which
// no real server comes near; a server that really lists more is pinned and run with a raised cap, up to
// the ceiling the manifest and lock schemas allow.

import { DEFAULT_INTROSPECT_LIMITS } from '../../core/introspect/introspect.ts';
import { usageError } from '../command.ts';

/** The most items of one kind a manifest or lock may hold (schemas/manifest.schema.json). */
export const MAX_ITEMS_CEILING = 100_000;

export function maxItemsOption(prefix = ''): [string, string] {
  return [
    '--max-items <n>',
    `${prefix}most items (tools, prompts, resources, templates) one listing may have; more fails closed ` +
      `(default ${DEFAULT_INTROSPECT_LIMITS.maxItems}, at most ${MAX_ITEMS_CEILING})`,
  ];
}

/** The cap `--max-items` asks for (undefined: the default). */
export function parseMaxItems(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > MAX_ITEMS_CEILING) {
    throw usageError(`--max-items must be a whole number from 1 to ${MAX_ITEMS_CEILING}`);
  }
  return n;
}
