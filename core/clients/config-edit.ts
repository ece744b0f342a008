// Rewriting a client config as text: only the values that change are replaced, in the file's own
// indentation and line endings, so everything else (other servers, other settings, comments in JSONC)
// keeps its exact bytes and `wrap --undo` has a small, reviewable diff to reverse.

import type { JsonObject, JsonValue } from '../json/strict-json.ts';
import type { ClientFormat } from './client-formats.ts';
import type { LocatedMember } from './json-locate.ts';

export interface TextStyle {
  indentUnit: string;
  eol: '\n' | '\r\n';
}

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** The file's indentation unit (first indented line) and line ending. */
export function detectStyle(text: string): TextStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)\S/.exec(text);
  let indentUnit = '  ';
  if (indented) indentUnit = indented[1]!.startsWith('\t') ? '\t' : ' '.repeat(Math.min(indented[1]!.length, 8));
  return { indentUnit, eol };
}

/** The whitespace at the start of the line that holds `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** A value formatted to sit at `baseIndent` in a file of this style (the first line is not indented). */
export function formatJsonValue(value: unknown, style: TextStyle, baseIndent: string): string {
  return JSON.stringify(value, null, style.indentUnit)
    .split('\n')
    .map((line, i) => (i === 0 ? line : baseIndent + line))
    .join(style.eol);
}

/** Apply non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > limit || edit.start > edit.end) throw new Error('overlapping or inverted edits');
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}

export interface Launcher {
  command: string;
  /** Arguments that start `mcp-lock run` for a lock entry. */
  args(name: string): string[];
}

/**
 * The entry rewritten to start `mcp-lock run`: command and args replaced where they were, a remote entry's
 * url and headers dropped, "type" set to stdio where the client has one; every other key (env, envFile,
 * cwd, …) kept in its place, so secrets stay in the client config and reach the server through `run`.
 */
/**
 * The environment a wrapped remote entry needs so `run` can build its headers: each variable its headers
 * reference (`${VAR}` or `${env:VAR}`), with the reference exactly as the user wrote it, for the client
 * to fill in when it starts `mcp-lock run`.
 */
export function headerEnv(headers: JsonValue | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return env;
  for (const value of Object.values(headers)) {
    if (typeof value !== 'string') continue;
    for (const m of value.matchAll(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g)) env[m[1]!] = m[0];
  }
  return env;
}

export function wrappedEntry(original: JsonObject, launcher: Launcher, name: string, format: ClientFormat): JsonObject {
  const out: JsonObject = {};
  let placed = false;
  const place = () => {
    out.command = launcher.command;
    out.args = launcher.args(name);
    placed = true;
  };
  if (format.stdioType === 'required' && !Object.hasOwn(original, 'type')) out.type = 'stdio';
  for (const [key, value] of Object.entries(original)) {
    if (key === 'type') out.type = 'stdio';
    else if (key === 'command' || key === 'url') {
      if (!placed) place();
    } else if (key === 'headers') {
      const env = headerEnv(value);
      if (Object.keys(env).length > 0 && !Object.hasOwn(original, 'env')) out.env = env;
    } else if (key !== 'args') out[key] = value;
  }
  if (!placed) place();
  return out;
}

/** Where an entry is in the config text: its value's range and members (see json-locate.ts). */
export interface EntryPosition {
  keyStart: number;
  valueStart: number;
  valueEnd: number;
  members: LocatedMember[] | undefined;
  /** The entry's parsed value (for the variables its headers reference). */
  value?: JsonValue;
}

/**
 * Text edits that turn one entry into `wrappedEntry(...)` member by member: "type" set to "stdio" (inserted
 * first where the client requires it), command and args replaced (args inserted after command if absent),
 * a remote's url replaced by command and args, headers removed. The rest of the entry (env and comments in
 * it) is not touched. The caller checks the result parses to exactly wrappedEntry(...).
 */
export function wrapEdits(
  text: string,
  entry: EntryPosition,
  launcher: Launcher,
  name: string,
  format: ClientFormat,
): TextEdit[] {
  const members = entry.members ?? [];
  const style = detectStyle(text);
  const multiline = text.slice(entry.valueStart, entry.valueEnd).includes('\n');
  const indent = members.length
    ? lineIndentAt(text, members[0]!.keyStart)
    : lineIndentAt(text, entry.keyStart) + style.indentUnit;
  const sep = multiline ? `,${style.eol}${indent}` : ', ';
  const find = (key: string) => members.find((m) => m.key === key);
  const argsMember = find('args');
  const args = launcher.args(name);
  const argsInline = argsMember ? !text.slice(argsMember.value.start, argsMember.value.end).includes('\n') : !multiline;
  const argsText = argsInline
    ? `[${args.map((a) => JSON.stringify(a)).join(', ')}]`
    : formatJsonValue(args, style, indent);
  const command = JSON.stringify(launcher.command);
  const edits: TextEdit[] = [];
  const type = find('type');
  if (type) edits.push({ start: type.value.start, end: type.value.end, text: '"stdio"' });
  else if (format.stdioType === 'required') {
    edits.push({
      start: entry.valueStart + 1,
      end: entry.valueStart + 1,
      text: multiline ? `${style.eol}${indent}"type": "stdio",` : ' "type": "stdio",',
    });
  }
  const commandMember = find('command');
  const url = find('url');
  if (commandMember) {
    edits.push({ start: commandMember.value.start, end: commandMember.value.end, text: command });
    if (argsMember) edits.push({ start: argsMember.value.start, end: argsMember.value.end, text: argsText });
    else
      edits.push({ start: commandMember.value.end, end: commandMember.value.end, text: `${sep}"args": ${argsText}` });
  } else if (url) {
    edits.push({ start: url.keyStart, end: url.value.end, text: `"command": ${command}${sep}"args": ${argsText}` });
  }
  const headers = find('headers');
  const parsed = entry.value && typeof entry.value === 'object' && !Array.isArray(entry.value) ? entry.value : {};
  const env = headers && !find('env') ? headerEnv(parsed.headers) : {};
  if (headers && Object.keys(env).length > 0) {
    const envText =
      headers.value.kind === 'object' && text.slice(headers.value.start, headers.value.end).includes('\n')
        ? formatJsonValue(env, style, indent)
        : JSON.stringify(env).replace(/,/g, ', ').replace(/":/g, '": ');
    edits.push({ start: headers.keyStart, end: headers.value.end, text: `"env": ${envText}` });
  } else if (headers) {
    const i = members.indexOf(headers);
    const next = members[i + 1];
    const previous = members[i - 1];
    if (next) edits.push({ start: headers.keyStart, end: next.keyStart, text: '' });
    else if (previous) edits.push({ start: previous.value.end, end: headers.value.end, text: '' });
  }
  return edits;
}
