// Mutations for fuzzing documents that start out valid: structural edits of the parsed JSON (replace,
// delete or add a member, change a type, duplicate a key in the text) and byte edits of the serialised
// text (flip, insert, delete, truncate, splice a token that parsers disagree on). Each is a fast-check
// arbitrary, so a failing input shrinks toward the smallest edit that breaks something.

import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values a mutation may put in: every JSON type, edge numbers and strings, and small containers. */
export const edgeJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 2 ** 53 - 1, 1e300, -1e-300, '', ' ', '\u0000', 'a'.repeat(300)),
  fc.constantFrom<Json>('%E0%A4%A', 'https://registry.npmjs.org/%', 'sha512-', '1.0.0', 'latest', '\u202e', 'ü'),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Splices for the text level: tokens on which lenient and strict JSON parsers disagree. */
const TEXT_SPLICES = [
  '"__proto__":{},',
  '"a":1,"a":2,',
  '\\ud800',
  '9007199254740993.0',
  '90071992547409930e-1',
  '-0',
  `1${'0'.repeat(600)}`,
  '1e400',
  '\uFEFF',
  '\\u0000',
  '[[[[[[[[',
  '}}}}',
  ',',
  'null',
  '\u2028',
] as const;

export type StructuralEdit =
  | { op: 'replace'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: Json };

export type TextEdit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'insert'; at: number; byte: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'splice'; at: number; token: number };

export const structuralEdit: fc.Arbitrary<StructuralEdit> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: edgeJson }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('name', 'version', 'integrity', 'resolved', 'digest')),
    value: edgeJson,
  }),
);

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), token: fc.nat({ max: TEXT_SPLICES.length - 1 }) }),
);

/** Paths (list of keys and indexes) of every value inside `value`, the root first. */
function allPaths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) allPaths(v, [...prefix, i], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
  }
  return out;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Apply structural edits to a copy of `value` (paths are chosen modulo the paths that exist). */
export function applyStructural(value: Json, edits: readonly StructuralEdit[]): Json {
  let root = clone(value);
  for (const edit of edits) {
    const paths = allPaths(root);
    const path = paths[edit.at % paths.length]!;
    if (path.length === 0) {
      if (edit.op === 'replace') root = clone(edit.value);
      continue;
    }
    let parent = root as Json;
    for (const part of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[part as never]!;
    const last = path[path.length - 1]!;
    const target = (parent as Record<string | number, Json>)[last as never]!;
    // Inserted values are copied: an arbitrary may hand out the same object for every run.
    if (edit.op === 'replace') (parent as Record<string | number, Json>)[last as never] = clone(edit.value);
    else if (edit.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete (parent as Record<string, Json>)[last as string];
    } else if (target && typeof target === 'object' && !Array.isArray(target)) {
      (target as Record<string, Json>)[edit.key] = clone(edit.value);
    } else if (Array.isArray(target)) target.push(clone(edit.value));
  }
  return root;
}

/** Apply byte edits to the UTF-8 bytes of `text` (positions modulo the current length). */
export function applyText(text: string, edits: readonly TextEdit[]): Uint8Array {
  let bytes = Buffer.from(text, 'utf8');
  for (const edit of edits) {
    const at = bytes.length === 0 ? 0 : edit.at % (bytes.length + 1);
    if (edit.op === 'flip' && bytes.length > 0) {
      const i = at % bytes.length;
      bytes[i] = bytes[i]! ^ (1 << edit.bit);
    } else if (edit.op === 'insert')
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([edit.byte]), bytes.subarray(at)]);
    else if (edit.op === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.length)]);
    else if (edit.op === 'truncate') bytes = bytes.subarray(0, at);
    else if (edit.op === 'splice') {
      bytes = Buffer.concat([
        bytes.subarray(0, at),
        Buffer.from(TEXT_SPLICES[edit.token]!, 'utf8'),
        bytes.subarray(at),
      ]);
    }
  }
  return new Uint8Array(bytes);
}

/** A mutated document: structural edits, then serialised, then (sometimes) byte edits. */
export function mutatedDocument(seed: Json): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.array(structuralEdit, { minLength: 0, maxLength: 3 }), fc.array(textEdit, { minLength: 0, maxLength: 2 }))
    .map(([structural, text]) => applyText(JSON.stringify(applyStructural(seed, structural)), text));
}

export type { Json };
