// The per-call fast paths and why they are safe: a result line of plain ASCII (no escape for a control
// or \u character) cannot hold anything the neutraliser removes, so it is not walked; writes made while
// one chunk is handled (a line and its newline, pipelined messages) are coalesced into one system call.

import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoalescingWriter } from '../../adapters/proxy/framing.ts';
import { neutralizeResult, plainLine } from '../../core/guard/result-filter.ts';
import type { JsonValue } from '../../core/json/strict-json.ts';

describe('plainLine (no neutralisation needed)', () => {
  it('accepts printable ASCII with only the escapes for " \\ / newline, return and tab', () => {
    expect(plainLine(JSON.stringify({ text: 'Echo: hi "there"\n\ttab / slash \\ back' }))).toBe(true);
    expect(plainLine(Buffer.from('{"a":"b"}\r'))).toBe(true);
  });

  it('refuses everything that could hide a character: non-ASCII, DEL, raw controls, \\u, \\b and \\f', () => {
    for (const line of [
      '{"a":"é"}',
      '{"a":"\u202e"}',
      '{"a":"\\u001b[2J"}',
      '{"a":"\\u0041"}',
      '{"a":"\\b"}',
      '{"a":"\\f"}',
      '{"a":"\u007f"}',
      '{"a":"\u0001"}',
      '{"a":"\\',
    ]) {
      expect(plainLine(line), line).toBe(false);
      expect(plainLine(Buffer.from(line)), line).toBe(false);
    }
  });

  it('property: whenever plainLine says yes, the neutraliser would change nothing', () => {
    const chars = [
      'a',
      ' ',
      '"',
      '\\',
      '/',
      '\n',
      '\t',
      '\r',
      '\b',
      '\f',
      '\u001b',
      '\u007f',
      '\u200b',
      'é',
      '\u{E0041}',
      '[',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 30 }), (parts) => {
        const result: JsonValue = { content: [{ type: 'text', text: parts.join('') }] };
        const line = JSON.stringify({ jsonrpc: '2.0', id: 1, result });
        if (plainLine(line)) expect(neutralizeResult(result).removed).toEqual({});
        else expect(plainLine(Buffer.from(line))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('framing', () => {
  it('coalesces the writes of one turn into one system call, in order', async () => {
    const calls: string[][] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        calls.push([String(chunk)]);
        done();
      },
      writev(chunks, done) {
        calls.push(chunks.map((c) => String(c.chunk)));
        done();
      },
    });
    const writer = new CoalescingWriter(sink);
    writer.write('{"n":1}');
    writer.write('{"n":2}');
    writer.write(Buffer.from('{"n":3}'));
    expect(calls).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([['{"n":1}\n', '{"n":2}\n', '{"n":3}', '\n']]);
    // Benign twin: the next turn is a batch of its own.
    writer.write(Buffer.from('{"n":4}'));
    await new Promise((r) => setImmediate(r));
    expect(calls.at(-1)).toEqual(['{"n":4}', '\n']);
    expect(calls).toHaveLength(2);
  });
});
