// Every string a definition puts in front of the model: values and keys, at any depth, with their JSON
// path and the role they play (a description, a default, a property name, …). Unknown fields and `x-*`
// extensions are walked like any other: what is not understood is still read by the model.

import type { JsonValue } from '../json/strict-json.ts';

export type StringRole =
  | 'name' // the item's own name/uri (top level)
  | 'title'
  | 'description'
  | 'instructions'
  | 'property-name' // a key under properties / patternProperties / $defs …
  | 'extension-key' // an `x-…` key
  | 'key' // any other object key
  | 'default' // default, const, examples, enum values
  | 'ref' // $ref, $dynamicRef, $recursiveRef
  | 'schema-uri' // $schema, $id
  | 'value'; // any other string value

export interface StringEntry {
  path: (string | number)[];
  text: string;
  role: StringRole;
  /** True inside inputSchema/outputSchema (or a prompt's arguments). */
  inSchema: boolean;
  /** The nearest enclosing property name, for defaults and descriptions of one parameter. */
  property: string | null;
}

const PROPERTY_CONTAINERS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependentRequired',
]);
const DEFAULT_KEYS = new Set(['default', 'const', 'examples', 'enum', 'example']);
const REF_KEYS = new Set(['$ref', '$dynamicRef', '$recursiveRef']);

export interface WalkLimits {
  maxStrings: number;
  maxDepth: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxStrings: 20_000, maxDepth: 128 };

function roleOfValue(path: (string | number)[], depthKey: string | undefined, topLevel: boolean): StringRole {
  if (depthKey === undefined) return 'value';
  if (topLevel && (depthKey === 'name' || depthKey === 'uri' || depthKey === 'uriTemplate')) return 'name';
  // A prompt's arguments are its parameters: their names are read like property names.
  if (depthKey === 'name' && path[0] === 'arguments' && path.length === 3) return 'property-name';
  if (depthKey === 'title') return 'title';
  if (depthKey === 'description') return 'description';
  if (REF_KEYS.has(depthKey)) return 'ref';
  if (depthKey === '$schema' || depthKey === '$id') return 'schema-uri';
  if (DEFAULT_KEYS.has(depthKey)) return 'default';
  return 'value';
}

/** The strings of a definition, and whether the limits cut the walk short (then say so, never skip silently). */
export interface WalkResult {
  strings: StringEntry[];
  truncated: boolean;
}

/** Walk a definition (iteratively, bounded) and return its strings in document order. */
export function walkStrings(definition: JsonValue, limits: WalkLimits = DEFAULT_WALK_LIMITS): StringEntry[] {
  return walkDefinition(definition, limits).strings;
}

export function walkDefinition(definition: JsonValue, limits: WalkLimits = DEFAULT_WALK_LIMITS): WalkResult {
  const out: StringEntry[] = [];
  let truncated = false;
  interface Frame {
    value: JsonValue;
    path: (string | number)[];
    inSchema: boolean;
    property: string | null;
  }
  const stack: Frame[] = [{ value: definition, path: [], inSchema: false, property: null }];
  while (stack.length > 0 && out.length < limits.maxStrings) {
    const { value, path, inSchema, property } = stack.pop()!;
    if (path.length > limits.maxDepth) {
      truncated = true;
      continue;
    }
    const last = path[path.length - 1];
    if (typeof value === 'string') {
      let role: StringRole;
      if (typeof last === 'number') {
        // An element of an enum/examples array is a default-like value; other array strings are values.
        const parent = path[path.length - 2];
        role = typeof parent === 'string' && DEFAULT_KEYS.has(parent) ? 'default' : 'value';
      } else {
        role = roleOfValue(path, last, path.length === 1);
      }
      out.push({ path, text: value, role, inSchema, property });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const frames: Frame[] = [];
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        frames.push({ value: v, path: [...path, i], inSchema, property });
      });
    } else {
      const container = typeof last === 'string' && PROPERTY_CONTAINERS.has(last);
      for (const [key, child] of Object.entries(value)) {
        const childPath = [...path, key];
        const schemaNow =
          inSchema || (path.length === 0 && (key === 'inputSchema' || key === 'outputSchema' || key === 'arguments'));
        const role: StringRole = container ? 'property-name' : key.startsWith('x-') ? 'extension-key' : 'key';
        out.push({ path: childPath, text: key, role, inSchema: schemaNow, property: container ? key : property });
        frames.push({ value: child, path: childPath, inSchema: schemaNow, property: container ? key : property });
      }
    }
    for (let i = frames.length - 1; i >= 0; i--) stack.push(frames[i]!);
  }
  if (stack.length > 0 || out.length > limits.maxStrings) truncated = true;
  return { strings: out.slice(0, limits.maxStrings), truncated };
}
