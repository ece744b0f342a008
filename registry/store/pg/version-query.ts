// VersionQuery as SQL: the same filters and order as the file store (name, then version, in code-unit
// order: the key columns are COLLATE "C" and names and versions are ASCII), with keyset pagination on
// (name, version) so a deep page costs what the first does, and search through the trigram index.

import type { VersionQuery } from '../../../core/registry/ports.ts';

/** LIKE pattern matching `text` literally anywhere. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function versionQuerySql(query: VersionQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where = [`status = ANY($${values.push([...query.statuses])})`];
  if (query.after) {
    where.push(`(name, version) > ($${values.push(query.after.name)}, $${values.push(query.after.version)})`);
  }
  if (query.names) where.push(`name = ANY($${values.push([...query.names])})`);
  if (query.version) {
    where.push('latest' in query.version ? 'is_latest' : `version = $${values.push(query.version.exact)}`);
  }
  if (query.updatedSince !== undefined) where.push(`updated_at > $${values.push(query.updatedSince)}`);
  if (query.search !== undefined) {
    where.push(`search_text LIKE $${values.push(containsPattern(query.search.toLowerCase()))}`);
  }
  return {
    text: `SELECT record FROM versions WHERE ${where.join(' AND ')} ORDER BY name, version LIMIT $${values.push(query.limit)}`,
    values,
  };
}
