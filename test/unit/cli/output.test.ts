// Output, the only place that prints: results on stdout, everything else on stderr, untrusted text made
// visible, --json one document with hidden characters escaped, exit codes by category.

import { describe, expect, test } from 'vitest';
import { Output, type OutputStreams } from '../../../cli/output.ts';
import { McpLockError } from '../../../core/errors.ts';

function capture(): { streams: OutputStreams; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    streams: { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) } },
    out: () => out,
    err: () => err,
  };
}

describe('Output', () => {
  test('human results go to stdout, progress and warnings to stderr; --quiet silences progress only', () => {
    const c = capture();
    const o = new Output({ json: false, color: false }, c.streams);
    o.progress('working');
    o.warn('careful');
    o.result({ x: 1 }, ['line one', 'line two']);
    expect(c.out()).toBe('line one\nline two\n');
    expect(c.err()).toBe('working\nwarning: careful\n');
    const q = capture();
    const quiet = new Output({ json: false, color: false, quiet: true }, q.streams);
    quiet.progress('working');
    quiet.warn('careful');
    expect(q.err()).toBe('warning: careful\n');
  });

  test('--json prints exactly one document, with hidden characters escaped and values unchanged', () => {
    const c = capture();
    const o = new Output({ json: true, color: false }, c.streams);
    o.progress('not shown');
    o.warn('not shown');
    o.result({ description: 'ok\u{E0041}\u202E' }, 'unused');
    expect(c.err()).toBe('');
    expect(c.out()).toContain('"ok\\udb40\\udc41\\u202e"');
    expect(c.out().endsWith('}\n')).toBe(true);
    expect(JSON.parse(c.out())).toEqual({ description: 'ok\u{E0041}\u202E' });
  });

  test('untrusted text shows hidden characters visibly (even a joiner); an accent or an emoji stays as it is', () => {
    const o = new Output({ json: false, color: false }, capture().streams);
    expect(o.untrusted('read \u200Bme')).toBe('read \\u{200B}me');
    expect(o.untrusted('👩\u200D💻')).toBe('👩\\u{200D}💻');
    expect(o.untrusted('café 🎉 日本')).toBe('café 🎉 日本');
  });

  test('errors: code, message and hint on stderr (or one JSON document), and the exit code by category', () => {
    const c = capture();
    const o = new Output({ json: false, color: false }, c.streams);
    expect(o.error(new McpLockError('USAGE', 'bad flag', { hint: 'try --help' }))).toBe(2);
    expect(c.err()).toBe('error USAGE: bad flag\nhint: try --help\n');
    expect(o.error(new McpLockError('INTEGRITY_MISMATCH', 'changed'))).toBe(1);
    expect(o.error(new McpLockError('NETWORK_ERROR', 'offline'))).toBe(3);
    const j = capture();
    expect(new Output({ json: true }, j.streams).error(new McpLockError('NOT_FOUND', 'x'))).toBe(2);
    expect(JSON.parse(j.out())).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'x' } });
  });

  test('colour only when asked: styled text carries SGR codes with colour on, none with it off', () => {
    expect(new Output({ json: false, color: true }, capture().streams).style('x', 'red')).toBe('\x1b[31mx\x1b[39m');
    expect(new Output({ json: false, color: false }, capture().streams).style('x', 'red')).toBe('x');
  });
});
