// How the demo talks: numbered steps, the exact command each runs, its output indented beneath, and a few
// words of explanation. Modest colour on a terminal (never with NO_COLOR or when piped), plain text
// otherwise. Secrets (registry tokens) are replaced by a short redacted form wherever they would appear,
// and text that came from a server goes through visible() so hidden characters show as \u{…}.

import { visible } from '../core/text/hidden-chars.ts';

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';
const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
};

/** Quote an argument for display the way a POSIX shell would need it. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export class Narrator {
  private readonly color: boolean;
  private readonly write: (text: string) => void;
  private readonly secrets = new Map<string, string>();
  private step = 0;
  private readonly total: number;

  constructor(options: { color: boolean; total: number; write?: (text: string) => void }) {
    this.color = options.color;
    this.total = options.total;
    this.write = options.write ?? ((text) => process.stdout.write(text));
  }

  style(text: string, ...styles: Style[]): string {
    if (!this.color) return text;
    return styles.reduce((t, s) => `\x1b[${SGR[s][0]}m${t}\x1b[${SGR[s][1]}m`, text);
  }

  /** Never print this value; print `shown` instead (e.g. the first characters and an ellipsis). */
  secret(value: string, shown: string): void {
    if (value) this.secrets.set(value, shown);
  }

  redact(text: string): string {
    let out = text;
    for (const [value, shown] of this.secrets) out = out.split(value).join(shown);
    return out;
  }

  line(text = ''): void {
    this.write(`${this.redact(text)}\n`);
  }

  title(text: string): void {
    this.line(this.style(text, 'bold'));
  }

  part(text: string): void {
    this.line();
    this.line(this.style(`── ${text} `.padEnd(78, '─'), 'bold', 'magenta'));
  }

  /** A numbered step and what it is for. */
  begin(title: string, ...explanation: string[]): void {
    this.step++;
    this.line();
    this.line(this.style(`[${this.step}/${this.total}] ${title}`, 'bold', 'cyan'));
    for (const e of explanation) this.line(`      ${e}`);
  }

  get stepNumber(): number {
    return this.step;
  }

  /** The command about to run, as a user would type it (`where` is the directory it runs in). */
  command(args: readonly string[], where?: string, envNote?: string): void {
    const text = `$ ${envNote ? `${envNote} ` : ''}mcp-lock ${args.map(shellQuote).join(' ')}`;
    this.line(`  ${this.style(text, 'bold')}${where ? this.style(`   (in ${where})`, 'dim') : ''}`);
  }

  /** A line of a command's own output (mcp-lock already made untrusted text visible). */
  output(text: string): void {
    this.line(`  ${this.style('│', 'dim')} ${text}`);
  }

  /** Something the demo itself observed, e.g. what the MCP client received (untrusted: made visible). */
  observed(label: string, text: string): void {
    this.line(`  ${this.style('→', 'green')} ${label}${text ? ` ${visible(text)}` : ''}`);
  }

  note(text: string): void {
    this.line(`  ${this.style('·', 'dim')} ${text}`);
  }

  good(text: string): void {
    this.line(`  ${this.style('✔', 'green')} ${text}`);
  }

  bad(text: string): void {
    this.line(`  ${this.style('✘', 'red', 'bold')} ${this.style(text, 'red', 'bold')}`);
  }

  error(text: string): void {
    this.line();
    this.line(`${this.style('demo failed:', 'red', 'bold')} ${text}`);
  }
}
