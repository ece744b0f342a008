// One deterministic order for findings (server, item, path, rule, message), by UTF-16 code units:
// the same input gives byte-identical output on every machine and locale.

import type { ScanFinding } from './types.ts';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareFindings(a: ScanFinding, b: ScanFinding): number {
  return (
    cmp(a.server, b.server) ||
    cmp(a.item, b.item) ||
    cmp(a.path, b.path) ||
    cmp(a.rule, b.rule) ||
    cmp(a.message, b.message)
  );
}
