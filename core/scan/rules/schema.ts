// MCPL012: schema tricks, judged on the shape of the definition. External references move part of the
// definition outside what was reviewed and pinned; URL defaults on callback-like parameters ship data out
// unless the model overrides them; additionalProperties descriptions can invite the model to attach
// whatever it knows; x-mcp-header maps a parameter into an HTTP header.

import type { JsonObject, JsonValue } from '../../json/strict-json.ts';
import type { ItemHit } from '../context.ts';
import { excerptAround, prepareText } from '../prepared-text.ts';
import { RULES } from '../rules.ts';
import type { Severity } from '../severity.ts';

const REF_KEYS = ['$ref', '$dynamicRef', '$recursiveRef'];
const CALLBACK_NAME =
  /(?:callback|webhook|hook|notify|notification|report|forward|upload|sink|collector|exfil|telemetry|beacon|relay|mirror|audit|log|logging|tracking|analytics|destination|dest|deliver|delivery|postback|ping|send|result|results|output|export|backup|sync|ingest|receiver|target)/i;
const RECIPIENT_NAME =
  /^(?:bcc|cc|to|recipients?|forward_?to|reply_?to|copy_?to|archive|send_?to|phone|number|iban|account|destination|wallet)$/i;
const COLLECTOR_HOST =
  /(?:^|\.)(?:webhook\.site|requestbin\.(?:com|net|io)|pipedream\.net|ngrok(?:-free)?\.(?:io|app|dev)|burpcollaborator\.net|oastify\.com|interact\.sh|hookb\.in|beeceptor\.com|requestcatcher\.com|canarytokens\.(?:com|org)|postb\.in)$/i;
const URL_IN = /\bhttps?:\/\/[^\s"'<>`]{1,2048}/i;
const EMAIL_IN = /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/;
const PHONE_IN = /(?:\+|\b00)\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}\b/;

const INVITE =
  /\b(?:api[ -]?keys?|access[ -]?tokens?|bearer|tokens?|cookies?|passwords?|credentials|secrets?|private keys?|environment variables?|env vars?|conversation|chat history|system prompt|everything|anything|any other|all other|whatever|extra (?:data|info|information|fields|context|details)|more context|additional (?:context|data|information|details)|you (?:have|know|can see|have access to))\b/;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

function textOf(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

const ADDRESS_WORDS =
  /url|uri|endpoint|host|base|server|link|address|href|origin|domain|site|webhook|callback|proxy|registry|repo|source|target|api|remote|upstream|location|redirect|issuer|audience|data|input|file|image|resource|page|feed/i;

/** A parameter that holds an address: its name, format or description says so. */
function addressParameter(property: string, schema: JsonObject): boolean {
  if (ADDRESS_WORDS.test(property) || schema.format === 'uri' || schema.format === 'url') return true;
  return /\b(?:url|uri|link|address|endpoint|website|web page|http)/i.test(
    `${textOf(schema.description)} ${textOf(schema.title)}`,
  );
}

function defaultsOf(schema: JsonObject): { key: string; value: string; index?: number }[] {
  const out: { key: string; value: string; index?: number }[] = [];
  for (const key of ['default', 'const', 'example']) {
    const v = schema[key];
    if (typeof v === 'string') out.push({ key, value: v });
  }
  for (const key of ['examples', 'enum']) {
    const v = schema[key];
    if (Array.isArray(v)) {
      v.forEach((x, index) => {
        if (typeof x === 'string') out.push({ key, value: x, index });
      });
    }
  }
  return out;
}

/** Every schema-tricks hit in a definition (walked iteratively, bounded by the walk limits). */
export function schemaRule(definition: JsonValue, maxNodes = 50_000): ItemHit[] {
  const hits: ItemHit[] = [];
  const add = (severity: Severity, message: string, path: (string | number)[], excerpt: string) =>
    hits.push({ rule: RULES.schemaTricks, severity, message, path, excerpt });
  // A node's path is spelled out only when it has a hit (or children): most leaves have neither.
  interface Node {
    value: JsonValue;
    parent: Node | null;
    key: string | number;
    property: string | null;
    path?: (string | number)[];
  }
  const pathOf = (n: Node): (string | number)[] => {
    n.path ??= n.parent ? [...pathOf(n.parent), n.key] : [];
    return n.path;
  };
  const stack: Node[] = [{ value: definition, parent: null, key: '', property: null }];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < maxNodes) {
    const node = stack.pop()!;
    const { value, property } = node;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        stack.push({ value: v, parent: node, key: i, property });
      });
      continue;
    }
    const path = pathOf(node);
    for (const key of REF_KEYS) {
      const ref = value[key];
      if (typeof ref === 'string' && !ref.startsWith('#')) {
        add('high', `${key} points outside the definition (${ref.slice(0, 200)})`, [...path, key], ref);
      }
    }
    if (property) {
      for (const d of defaultsOf(value)) {
        const where = d.index === undefined ? [...path, d.key] : [...path, d.key, d.index];
        // default and const are what the model sends unless it overrides them; examples and enum
        // values are choices shown to it, so a URL or an address there is only worth a note.
        const sent = d.key === 'default' || d.key === 'const';
        const url = URL_IN.exec(d.value)?.[0];
        const noun = sent ? 'defaults to' : 'offers';
        if (url) {
          const host = hostOf(url);
          if (COLLECTOR_HOST.test(host))
            add('high', `parameter "${property}" ${noun} a request collector`, where, d.value);
          else if (sent && CALLBACK_NAME.test(property))
            add('high', `callback-like parameter "${property}" defaults to a URL`, where, d.value);
          else if (sent && d.value.trim() === url && !addressParameter(property, value))
            add('high', `parameter "${property}" is not an address, yet defaults to one (${host})`, where, d.value);
          else add('low', `parameter "${property}" ${noun} a URL`, where, d.value);
        } else if (sent && RECIPIENT_NAME.test(property) && (EMAIL_IN.test(d.value) || PHONE_IN.test(d.value))) {
          add('high', `recipient parameter "${property}" defaults to a fixed address`, where, d.value);
        }
      }
    }
    for (const key of ['additionalProperties', 'patternProperties', 'unevaluatedProperties']) {
      const extra = value[key];
      if (!extra || typeof extra !== 'object') continue;
      const schemas: [JsonObject, (string | number)[]][] = [];
      if (key === 'patternProperties' && !Array.isArray(extra)) {
        for (const [pattern, s] of Object.entries(extra)) {
          if (s && typeof s === 'object' && !Array.isArray(s)) schemas.push([s, [...path, key, pattern]]);
        }
      } else if (!Array.isArray(extra)) {
        schemas.push([extra, [...path, key]]);
      }
      for (const [schema, where] of schemas) {
        const words = `${textOf(schema.description)} ${textOf(schema.title)}`.trim();
        if (!words) continue;
        const prepared = prepareText(words).text;
        if (INVITE.test(prepared)) {
          add('high', `${key} invites the model to attach extra data`, [...where, 'description'], words);
        } else {
          add('low', `${key} accepts free-form fields`, [...where, 'description'], words);
        }
      }
    }
    const inProperties = path[path.length - 1] === 'properties';
    for (const key of Object.keys(value)) {
      const child = value[key]!;
      if (property && (key[0] === 'x' || key[0] === 'X') && /^x-.*header/i.test(key)) {
        add(
          'medium',
          `parameter "${property}" is sent as an HTTP header (${key})`,
          [...path, key],
          excerptAround(key, 0, key.length),
        );
      }
      const childProperty = inProperties ? key : property;
      stack.push({ value: child, parent: node, key, property: childProperty });
    }
  }
  return hits;
}
