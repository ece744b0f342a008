// Deterministic, reviewable JSON files (manifests, mcp-lock.json): keys sorted in UTF-16 order (the
// RFC 8785 order), two-space indent, trailing newline. Same content, same bytes, clean diffs.

/** A copy of a JSON value with object keys sorted; arrays keep their order. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      // defineProperty, not assignment: a "__proto__" key must stay data, never become the prototype.
      Object.defineProperty(out, key, {
        value: sortKeysDeep((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}

export function formatDeterministicJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}
