// What a rule knows while it reads one string: the string's place in its item, the item's own name,
// its parameters and its sibling tools on the same server (so "call list_tables first" inside a
// database server is workflow advice, not a reference to someone else's tool).

import type { Digest } from '../canonical/digest.ts';
import type { PreparedText } from './prepared-text.ts';
import type { RuleMeta } from './rules.ts';
import type { Severity } from './severity.ts';
import type { StringEntry } from './walk.ts';

export type ItemKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates' | 'instructions';

/** Membership only: lets one set of server-wide names serve every item without copying it. */
export interface NameSet {
  has(name: string): boolean;
}

export interface ItemInfo {
  server: string;
  kind: ItemKind;
  /** name, uri or uriTemplate; '' for instructions. */
  key: string;
  /** 'tools/<name>' … or 'instructions'. */
  label: string;
  digest: Digest;
  /** Lower-cased names this item answers to (its own name). */
  self: ReadonlySet<string>;
  /** Lower-cased names of the other tools and prompts of the same server. */
  siblings: NameSet;
  /** Words of the server's tool and prompt names ("issue" from search_issues), singular and plural. */
  siblingWords?: NameSet;
  /** Lower-cased property and argument names of this item. */
  params: ReadonlySet<string>;
}

export interface StringContext {
  entry: StringEntry;
  item: ItemInfo;
  /** 0 for text as written; 1+ for text recovered by decoding (tags, base64, …). */
  decodeDepth: number;
}

/** One rule hit inside one string; start/end index the raw string. */
export interface Hit {
  rule: RuleMeta;
  severity: Severity;
  message: string;
  start: number;
  end: number;
}

export type TextRule = (text: PreparedText, ctx: StringContext) => Hit[];

/** A hit that belongs to an item rather than one string (schema shape, the item's name). */
export interface ItemHit {
  rule: RuleMeta;
  severity: Severity;
  message: string;
  path: (string | number)[];
  excerpt: string;
}
