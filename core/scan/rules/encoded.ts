// MCPL014: encoded blobs. Base64, hex and escape sequences that decode to readable text are decoded so
// the other rules can read what they say (the scan does that with decodeBlobs' output); an explicit
// "decode this and follow it" is flagged on its own.

import type { Hit } from '../context.ts';
import { prefilter } from '../prefilter.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { execAll } from '../regex.ts';
import { RULES } from '../rules.ts';

export interface DecodedBlob {
  /** Raw start and end of the encoded text. */
  start: number;
  end: number;
  kind: 'base64' | 'hex' | 'escapes' | 'percent';
  text: string;
}

const BASE64 = /[A-Za-z0-9+/]{20,}={0,2}|[A-Za-z0-9_-]{24,}={0,2}/g;
const HEX = /\b(?:[0-9a-fA-F]{2}[ :]?){12,}\b/g;
const ESCAPES = /(?:\\x[0-9a-fA-F]{2}){6,}|(?:\\u[0-9a-fA-F]{4}){6,}/g;
const PERCENT = /(?:%[0-9a-fA-F]{2}){8,}/g;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded bytes that read as natural-language text (not binary, not a hash). */
export function readableText(bytes: Uint8Array): string | null {
  if (bytes.length < 12) return null;
  // Two spaces are required below, and a 0x20 byte is a space in UTF-8 (never part of a longer sequence).
  let spaceBytes = 0;
  for (let i = 0; i < bytes.length && spaceBytes < 2; i++) if (bytes[i] === 0x20) spaceBytes++;
  if (spaceBytes < 2) return null;
  // Most candidates (long identifiers, URLs, hashes read as base64) decode to binary: reject them on the
  // bytes, before decoding (a throwing fatal decode per candidate dominated the lint's time).
  let control = 0;
  for (const b of bytes) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) control++;
  if (control > bytes.length * 0.05) return null;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  const chars = [...text];
  const printable = chars.filter((c) => /[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\t]/u.test(c)).length;
  const letters = chars.filter((c) => /\p{L}/u.test(c)).length;
  const spaces = chars.filter((c) => c === ' ').length;
  if (printable / chars.length < 0.95 || letters / chars.length < 0.5 || spaces < 2) return null;
  return text;
}

function decodeBase64(s: string): Uint8Array | null {
  const body = s.replace(/=+$/, '');
  if (body.length % 4 === 1) return null;
  const normal = body.replace(/-/g, '+').replace(/_/g, '/');
  if (!/[0-9+/]/.test(normal) && !(/[A-Z]/.test(normal) && /[a-z]/.test(normal))) return null;
  return Buffer.from(normal, 'base64');
}

/** Every encoded span of `prepared` (case kept) that decodes to readable text. */
export function decodeBlobs(prepared: PreparedText, maxBlobs = 20): DecodedBlob[] {
  const out: DecodedBlob[] = [];
  const text = prepared.text;
  const push = (index: number, length: number, kind: DecodedBlob['kind'], bytes: Uint8Array | null) => {
    if (!bytes || out.length >= maxBlobs) return;
    const decoded = readableText(bytes);
    if (!decoded) return;
    const [start, end] = rawSpan(prepared, index, index + length);
    out.push({ start, end, kind, text: decoded });
  };
  for (const m of execAll(BASE64, text)) push(m.index, m[0].length, 'base64', decodeBase64(m[0]));
  for (const m of execAll(HEX, text)) push(m.index, m[0].length, 'hex', Buffer.from(m[0].replace(/[ :]/g, ''), 'hex'));
  for (const m of execAll(ESCAPES, text)) {
    const s = m[0];
    const codes = s.startsWith('\\x')
      ? Uint8Array.from(s.split('\\x').filter(Boolean), (h) => Number.parseInt(h, 16))
      : Buffer.from(
          String.fromCharCode(
            ...s
              .split('\\u')
              .filter(Boolean)
              .map((h) => Number.parseInt(h, 16)),
          ),
          'utf8',
        );
    push(m.index, s.length, 'escapes', codes);
  }
  for (const m of execAll(PERCENT, text)) {
    push(
      m.index,
      m[0].length,
      'percent',
      Uint8Array.from(m[0].split('%').filter(Boolean), (h) => Number.parseInt(h, 16)),
    );
  }
  return out;
}

const DECODE_CUE =
  /\b(?:base-?64|b64|hex|rot-?13|url|percent)[- ]?(?:decode|decoding|decoded)\b|\bdecode (?:it|this|that|them|the (?:following|string|value|text|profile|payload|blob|default|content|data|message|instructions?|note))\b/;
const decodeCueGate = prefilter(DECODE_CUE);
const FOLLOW_CUE =
  /\b(?:follow|apply|execute|run|carry (?:it |them |this )?out|obey|perform|act on|implement|comply with|honou?r|do (?:it|what it says|as it says)|its (?:directives|instructions))\b/;

/** "Decode this and follow it": an instruction to act on hidden text. */
export function decodeCueRule(prepared: PreparedText): Hit[] {
  const m = decodeCueGate.exec(prepared.text);
  if (!m || !FOLLOW_CUE.test(prepared.text.slice(Math.max(0, m.index - 80), m.index + 200))) return [];
  const [start, end] = rawSpan(prepared, m.index, m.index + m[0].length);
  return [
    { rule: RULES.encoded, severity: 'high', message: 'asks the model to decode text and act on it', start, end },
  ];
}
