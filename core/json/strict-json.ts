// Strict JSON parsing for every trust boundary (manifests, bundles, locks, registry bodies, MCP messages).
// JSON.parse silently resolves ambiguity (last duplicate key wins, lone surrogates pass, 2^53+1 rounds);
// two components that disagree on what a document says is how signature bypasses happen. This parser
// accepts only I-JSON (RFC 7493) whose meaning is unambiguous, and rejects everything else with a code.

import { McpLockError } from '../errors.ts';
import { MAX_NUMBER_LITERAL_CHARS, numberRoundTrips, scanNumberLiteral } from './json-number.ts';

export { numberRoundTrips } from './json-number.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface JsonLimits {
  /** Maximum size of the document in UTF-8 bytes (checked before parsing when given bytes). */
  maxBytes: number;
  /** Maximum nesting of arrays and objects. */
  maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxBytes: 16 * 1024 * 1024, maxDepth: 64 };

/** Keys that change object semantics in JavaScript when merged or assigned. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What each one-character escape stands for, indexed by the character after the backslash. */
const SIMPLE_ESCAPES: readonly (string | undefined)[] = (() => {
  const table: (string | undefined)[] = new Array(128).fill(undefined);
  for (const [c, s] of Object.entries({
    '"': '"',
    '\\': '\\',
    '/': '/',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
  })) {
    table[c.charCodeAt(0)] = s;
  }
  return table;
})();

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Parse a JSON document strictly. `what` names the document in error messages ("manifest", "tools/list").
 * Throws McpLockError with a JSON_* code; `data.path` says where (`$.tools[3].name`).
 */
export function parseStrictJson(
  input: string | Uint8Array,
  what = 'JSON document',
  limits?: Partial<JsonLimits>,
): JsonValue {
  const lim = { ...DEFAULT_JSON_LIMITS, ...limits };
  let text: string;
  if (typeof input === 'string') {
    text = input;
    // A JS string is UTF-16; its UTF-8 size is at least its length.
    if (text.length > lim.maxBytes || Buffer.byteLength(text, 'utf8') > lim.maxBytes) tooLarge(what, lim.maxBytes);
  } else {
    if (input.byteLength > lim.maxBytes) tooLarge(what, lim.maxBytes);
    try {
      text = utf8.decode(input);
    } catch {
      throw new McpLockError('JSON_INVALID_UTF8', `${what} is not valid UTF-8`, {
        hint: 'JSON must be encoded as UTF-8.',
      });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new McpLockError('JSON_SYNTAX', `${what} starts with a byte order mark`, {
      hint: 'Save the file as UTF-8 without a BOM.',
      data: { offset: 0 },
    });
  }
  return new Parser(text, what, lim.maxDepth).parseDocument();
}

/** Digits only, with an optional leading minus (the scanner has already refused leading zeros). */
function isPlainInteger(token: string): boolean {
  for (let i = token.charCodeAt(0) === 0x2d ? 1 : 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function tooLarge(what: string, maxBytes: number): never {
  throw new McpLockError('JSON_TOO_LARGE', `${what} is larger than ${maxBytes} bytes`, {
    hint: 'Documents at a trust boundary are size-capped; check that this is the file you meant.',
    data: { maxBytes },
  });
}

class Parser {
  private pos = 0;
  private readonly path: (string | number)[] = [];
  private readonly text: string;
  private readonly what: string;
  private readonly maxDepth: number;
  /** What the last parseEscape decoded (kept in a field so decoding allocates no closure). */
  private escaped = '';

  constructor(text: string, what: string, maxDepth: number) {
    this.text = text;
    this.what = what;
    this.maxDepth = maxDepth;
  }

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail('JSON_SYNTAX', 'unexpected data after the end of the document');
    return value;
  }

  private parseValue(depth: number): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.parseObject(depth + 1);
      case 0x5b /* [ */:
        return this.parseArray(depth + 1);
      case 0x22 /* " */:
        return this.parseString();
      case 0x74 /* t */:
        return this.parseLiteral('true', true);
      case 0x66 /* f */:
        return this.parseLiteral('false', false);
      case 0x6e /* n */:
        return this.parseLiteral('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        return this.fail('JSON_SYNTAX', Number.isNaN(c) ? 'unexpected end of input' : 'unexpected character');
    }
  }

  private parseObject(depth: number): JsonObject {
    if (depth > this.maxDepth) this.fail('JSON_TOO_DEEP', `nesting deeper than ${this.maxDepth} levels`);
    this.pos++; // {
    const result: JsonObject = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('JSON_SYNTAX', 'expected a string key');
      const key = this.parseString();
      if (FORBIDDEN_KEYS.has(key)) {
        this.path.push(key);
        this.fail('JSON_FORBIDDEN_KEY', `the key "${key}" is not allowed`);
      }
      // An own property is the duplicate check: no second hash table beside the object.
      if (Object.hasOwn(result, key)) {
        this.path.push(key);
        this.fail('JSON_DUPLICATE_KEY', `the key "${key}" appears twice in one object`);
      }
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('JSON_SYNTAX', 'expected ":" after a key');
      this.pos++;
      this.skipWhitespace();
      this.path.push(key);
      result[key] = this.parseValue(depth);
      this.path.pop();
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return result;
      }
      this.fail('JSON_SYNTAX', 'expected "," or "}"');
    }
  }

  private parseArray(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.fail('JSON_TOO_DEEP', `nesting deeper than ${this.maxDepth} levels`);
    this.pos++; // [
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      this.path.push(result.length);
      result.push(this.parseValue(depth));
      this.path.pop();
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return result;
      }
      this.fail('JSON_SYNTAX', 'expected "," or "]"');
    }
  }

  private parseString(): string {
    const text = this.text;
    let pos = this.pos + 1; // opening quote
    let out = '';
    let runStart = pos;
    for (;;) {
      if (pos >= text.length) {
        this.pos = pos;
        this.fail('JSON_SYNTAX', 'unterminated string');
      }
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(runStart, pos);
        this.pos = pos + 1;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(runStart, pos);
        pos = this.parseEscape(pos);
        out += this.escaped;
        runStart = pos;
        continue;
      }
      if (c < 0x20) {
        this.pos = pos;
        this.fail('JSON_SYNTAX', 'control character inside a string must be escaped');
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = text.charCodeAt(pos + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          this.checkNoncharacter(((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000, pos);
          pos += 2;
          continue;
        }
        this.pos = pos;
        this.fail('JSON_LONE_SURROGATE', 'a string contains an unpaired surrogate');
      }
      if (c >= 0xfdd0 && (c <= 0xfdef || c >= 0xfffe)) this.checkNoncharacter(c, pos);
      pos++;
    }
  }

  /** Decode one escape starting at the backslash into `escaped`; returns the position after it. */
  private parseEscape(pos: number): number {
    const e = this.text.charCodeAt(pos + 1);
    const s = SIMPLE_ESCAPES[e];
    if (s !== undefined) {
      this.escaped = s;
      return pos + 2;
    }
    if (e !== 0x75 /* u */) {
      this.pos = pos;
      this.fail('JSON_SYNTAX', 'invalid escape sequence');
    }
    const unit = this.hex4(pos + 2);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (this.text.charCodeAt(pos + 6) === 0x5c && this.text.charCodeAt(pos + 7) === 0x75) {
        const low = this.hex4(pos + 8);
        if (low >= 0xdc00 && low <= 0xdfff) {
          this.checkNoncharacter(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000, pos);
          this.escaped = String.fromCharCode(unit, low);
          return pos + 12;
        }
      }
      this.pos = pos;
      this.fail('JSON_LONE_SURROGATE', 'a string contains an unpaired surrogate escape');
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      this.pos = pos;
      this.fail('JSON_LONE_SURROGATE', 'a string contains an unpaired surrogate escape');
    }
    this.checkNoncharacter(unit, pos);
    this.escaped = String.fromCharCode(unit);
    return pos + 6;
  }

  private hex4(pos: number): number {
    let unit = 0;
    for (let i = 0; i < 4; i++) {
      const digit = hexValue(this.text.charCodeAt(pos + i));
      if (digit < 0) {
        this.pos = pos;
        this.fail('JSON_SYNTAX', 'invalid \\u escape');
      }
      unit = unit * 16 + digit;
    }
    return unit;
  }

  // Noncharacters (U+FDD0..U+FDEF and U+xFFFE/U+xFFFF) are forbidden by I-JSON.
  private checkNoncharacter(cp: number, pos: number): void {
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) {
      this.pos = pos;
      this.fail('JSON_NONCHARACTER', `a string contains the noncharacter U+${cp.toString(16).toUpperCase()}`);
    }
  }

  private parseNumber(): number {
    const end = scanNumberLiteral(this.text, this.pos);
    if (end < 0) this.fail('JSON_SYNTAX', 'invalid number');
    if (end - this.pos > MAX_NUMBER_LITERAL_CHARS) {
      this.fail('JSON_NUMBER_TOO_LONG', `a number literal is longer than ${MAX_NUMBER_LITERAL_CHARS} characters`);
    }
    const token = this.text.slice(this.pos, end);
    const value = Number(token);
    // Fast path (ids, counts): an integer of at most 15 digits is always exactly one double; -0 is not.
    if (end - this.pos <= 15 && isPlainInteger(token) && token !== '-0') {
      this.pos = end;
      return value;
    }
    if (!numberRoundTrips(token, value)) {
      this.fail('JSON_INEXACT_NUMBER', `the number ${token.slice(0, 40)} cannot be represented exactly`, {
        hint: 'Numbers must be finite, not -0, within ±(2^53−1) however written, and have no more precision than a double.',
      });
    }
    this.pos = end;
    return value;
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('JSON_SYNTAX', 'unexpected character');
    this.pos += word.length;
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private fail(code: Parameters<typeof jsonError>[0], reason: string, extra: { hint?: string } = {}): never {
    throw jsonError(code, `${this.what}: ${reason} at ${formatPath(this.path)} (offset ${this.pos})`, {
      path: formatPath(this.path),
      offset: this.pos,
      hint: extra.hint,
    });
  }
}

function jsonError(
  code:
    | 'JSON_SYNTAX'
    | 'JSON_DUPLICATE_KEY'
    | 'JSON_FORBIDDEN_KEY'
    | 'JSON_LONE_SURROGATE'
    | 'JSON_NONCHARACTER'
    | 'JSON_INEXACT_NUMBER'
    | 'JSON_NUMBER_TOO_LONG'
    | 'JSON_TOO_DEEP',
  message: string,
  info: { path: string; offset: number; hint: string | undefined },
): McpLockError {
  const hints: Record<string, string> = {
    JSON_DUPLICATE_KEY: 'Two parsers can disagree on which value wins; remove the duplicate.',
    JSON_FORBIDDEN_KEY: 'Keys like __proto__ and constructor can alter JavaScript objects and are refused.',
    JSON_LONE_SURROGATE: 'Unpaired surrogates turn into U+FFFD and would hash like another string.',
    JSON_TOO_DEEP: 'Deeply nested documents are refused to bound work; check the input.',
    JSON_NUMBER_TOO_LONG: 'Number literals are length-capped to bound work; no real value needs this many digits.',
  };
  return new McpLockError(code, message, {
    hint: info.hint ?? hints[code] ?? 'Fix the JSON syntax at the given offset.',
    data: { path: info.path, offset: info.offset },
  });
}

/** `$.tools[3].name` style path for error messages. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '$';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
