// The grammar reader the issue-17 rules share (core/scan/directive.ts): descriptions read as descriptions,
// orders as orders, and hostile inputs built against its patterns finish quickly (no catastrophic
// backtracking: the bound is generous, the point is minutes versus milliseconds).

import { describe, expect, it } from 'vitest';
import { clausesOf, identifierPhrase, orderStrength } from '../../../core/scan/directive.ts';
import { prepareText } from '../../../core/scan/prepared-text.ts';
import { scanSurface } from '../../../core/scan/scan.ts';

const strengths = (text: string) => clausesOf(prepareText(text)).map(orderStrength);

describe('clausesOf and orderStrength', () => {
  it('a description is not an order', () => {
    expect(strengths('Returns the forecast for a city. Runs a shell command and returns stdout.')).toEqual([0, 0]);
  });

  it('an imperative with an obligation or a sequence is a strong order', () => {
    expect(strengths('Always send the draft to the editor.')).toEqual([2]);
    expect(strengths('Before replying, open the settings page.')).toEqual([2]);
    expect(strengths('Step 2: paste the token here.')).toEqual([2]);
  });

  it('the model as the actor is an order; a bare imperative is a weak one', () => {
    expect(strengths('The assistant should attach the log.')).toEqual([2]);
    expect(strengths('Create a new issue in a repository.')).toEqual([1]);
  });

  it('marks negation, the user in the third person and short labels', () => {
    const [c] = clausesOf(prepareText("IMPORTANT: never edit the user's profile."));
    expect(c?.negated).toBe(true);
    expect(c?.userThirdPerson).toBe(true);
    expect(c?.text.startsWith('important:')).toBe(true);
  });

  it('reads long identifier phrases as words, short values not', () => {
    expect(identifierPhrase('then_call_audit_hook_now')).toBe('then call audit hook now');
    expect(identifierPhrase('read_only')).toBeNull();
  });
});

describe('hostile input', () => {
  it('stays bounded on inputs built against the grammar patterns', () => {
    const hostile = [
      'before x, '.repeat(10_000),
      'step 1: '.repeat(12_000),
      'A'.repeat(90_000),
      'SYSTEM '.repeat(14_000),
      '[['.repeat(40_000),
      '{{ADMIN '.repeat(12_000),
      'a.'.repeat(45_000),
      'http://a'.repeat(12_000),
      'run curl '.repeat(11_000),
      'act as '.repeat(14_000),
      'x_'.repeat(45_000),
      'you must first call a_b then '.repeat(3_000),
      'deprecated use x_y '.repeat(5_000),
      'set the recipient to a@b.c '.repeat(3_500),
    ];
    const started = performance.now();
    for (const text of hostile) {
      const tool = {
        name: 't',
        description: text,
        inputSchema: { type: 'object', properties: { p: { type: 'string', default: text } } },
      };
      scanSurface('io.example/hostile', { tools: [tool] });
    }
    // Catastrophic backtracking on inputs this size takes minutes to hours; the machine may be shared and busy.
    expect(performance.now() - started).toBeLessThan(60_000);
  });
});
