// The shape of a phrase pattern for the instruction rules (rules/phrases.ts), and the helpers the pattern
// files share. Patterns match prepared text (lower case, blanks collapsed, hidden characters removed);
// quantifiers are bounded so no pattern can backtrack badly on hostile input.

import { type Prefilter, prefilter } from './prefilter.ts';
import type { Severity } from './severity.ts';

export interface PhrasePattern {
  re: RegExp;
  /** The cheap first pass: whether the text holds one of the words every match needs. */
  gate: Prefilter;
  severity: Severity;
  message: string;
}

export const p = (re: RegExp, severity: Severity, message: string): PhrasePattern => ({
  re,
  gate: prefilter(re),
  severity,
  message,
});

/** Up to n words (no sentence punctuation) between two parts of a phrase. */
export const gap = (n: number) => `(?:[^\\s.!?]{1,40} ){0,${n}}`;
