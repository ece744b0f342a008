// The only place mcp-lock writes to the terminal. Results go to stdout (human text, or one JSON document
// with --json); progress, warnings and errors go to stderr. Untrusted text is passed through visible()
// so control, bidi, tag and zero-width characters are shown as \u{…} and never reach the terminal raw.

import { asMcpLockError, type McpLockError } from '../core/errors.ts';
import { visible } from '../core/text/hidden-chars.ts';
import { safeJsonStringify } from '../core/text/safe-json.ts';
import { exitCodeFor } from './exit-codes.ts';

export interface OutputStreams {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
}

export interface OutputOptions {
  json: boolean;
  color?: boolean;
  quiet?: boolean;
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/**
 * Whether to colour: FORCE_COLOR (as Node and supports-color read it: set to anything but 0 or false turns
 * colour on, 0 or false turns it off) wins over NO_COLOR (set and non-empty: off), which wins over the
 * terminal (a TTY that is not TERM=dumb). --no-color overrides all of them (the caller passes color: false).
 */
export function colorWanted(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

export class Output {
  readonly json: boolean;
  private readonly color: boolean;
  private readonly quiet: boolean;
  private readonly streams: OutputStreams;

  constructor(options: OutputOptions, streams: OutputStreams = process) {
    this.json = options.json;
    this.quiet = options.quiet ?? false;
    this.streams = streams;
    this.color = options.color ?? colorWanted(process.env, Boolean(streams.stderr.isTTY));
  }

  /** Style trusted text (our own words) when colour is on. */
  style(text: string, ...styles: Style[]): string {
    if (!this.color) return text;
    return styles.reduce((t, s) => `\x1b[${SGR[s][0]}m${t}\x1b[${SGR[s][1]}m`, text);
  }

  /** Untrusted text (from a server, a manifest, a registry) made visible and safe for one line. */
  untrusted(text: string): string {
    return visible(text);
  }

  /** Untrusted multi-line text (descriptions). */
  untrustedBlock(text: string): string {
    return visible(text, { multiline: true });
  }

  /** Progress and notes for humans, on stderr; silent with --json or --quiet. */
  progress(message: string): void {
    if (this.json || this.quiet) return;
    this.streams.stderr.write(`${message}\n`);
  }

  warn(message: string): void {
    if (this.json) return;
    this.streams.stderr.write(`${this.style('warning', 'yellow', 'bold')}: ${message}\n`);
  }

  /** Raw stderr line (for machine formats like GitHub annotations that go beside the JSON). */
  stderrLine(line: string): void {
    this.streams.stderr.write(`${line}\n`);
  }

  /** The command's result: `human` lines on stdout, or `data` as one JSON document with --json. */
  result(data: unknown, human: string | string[] | (() => string | string[])): void {
    if (this.json) {
      this.streams.stdout.write(`${safeJsonStringify(data)}\n`);
      return;
    }
    const text = typeof human === 'function' ? human() : human;
    const lines = Array.isArray(text) ? text : [text];
    if (lines.length > 0) this.streams.stdout.write(`${lines.join('\n')}\n`);
  }

  /** A document meant for a pipe (a manifest, a config) written to stdout as it is. */
  document(text: string): void {
    this.streams.stdout.write(text);
  }

  /** Report a failure and return the exit code it maps to. */
  error(error: unknown): number {
    const err: McpLockError = asMcpLockError(error);
    const code = exitCodeFor(err.code);
    if (this.json) {
      this.streams.stdout.write(`${safeJsonStringify({ ok: false, error: err.toJSON() })}\n`);
      return code;
    }
    const lines = [`${this.style('error', 'red', 'bold')} ${this.style(err.code, 'bold')}: ${visible(err.message)}`];
    if (err.hint) lines.push(`${this.style('hint', 'cyan')}: ${visible(err.hint)}`);
    if (err.code === 'INTERNAL' && err.stack) lines.push(this.style(visible(err.stack, { multiline: true }), 'dim'));
    this.streams.stderr.write(`${lines.join('\n')}\n`);
    return code;
  }
}
