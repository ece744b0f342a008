// The pieces of a fuzz input: text (kept exactly, lone surrogates included) or bytes, tagged with what they
// are, so any input can be saved as a JSON fixture and replayed.

import type fc from 'fast-check';

/** One piece of an input: text (kept exactly, lone surrogates included) or bytes. */
export type Part = { tag: string; text: string } | { tag: string; base64: string };

export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

export interface FuzzTarget {
  name: string;
  arbitrary: fc.Arbitrary<Part[]>;
  check(parts: Part[]): void | Promise<void>;
}

export const textPart = (tag: string, text: string): Part => ({ tag, text });
export const bytesPart = (tag: string, bytes: Uint8Array): Part => ({
  tag,
  base64: Buffer.from(bytes).toString('base64'),
});

export function partValue(part: Part): string | Uint8Array {
  return 'text' in part ? part.text : new Uint8Array(Buffer.from(part.base64, 'base64'));
}
