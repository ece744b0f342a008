// The runtime policy's checks on tools/call arguments, after the pinned inputSchema: size caps anywhere in
// the arguments (every string, keys included, and every array), then the path and URL allow-lists of the
// arguments the policy marks by pointer. Problems name the field by JSON pointer and never carry the value
// (it may be a secret). Pure: the filesystem is behind the PathResolver port.

import type { JsonValue } from '../json/strict-json.ts';
import type { PathResolver } from '../ports.ts';
import { escapeSegment, pointerToField, selectPointer } from './json-pointer.ts';
import { allowedDirectories, pathProblem } from './path-allow.ts';
import type { EffectiveArguments } from './policy-types.ts';
import { parseUrlPrefix, type UrlPrefix, urlProblem } from './url-allow.ts';

export interface PolicyArgumentProblem {
  /** The argument as a dotted path (`options.paths[2]`), as the schema problems name fields. */
  field: string;
  /** The same argument as a JSON pointer below `arguments` (`/options/paths/2`). */
  pointer: string;
  message: string;
  rule: 'maxStringLength' | 'maxArrayItems' | 'paths' | 'urls';
}

const MAX_PROBLEMS = 10;
/** Values one pointer may select; more and the call is refused rather than checked in part. */
export const MAX_MARKED_VALUES = 256;

/** A resolver with no filesystem: no symlinks, relative paths refused (for remote servers). */
export const LEXICAL_PATHS: PathResolver = { cwd: null, root: '/', home: null, realpath: (p) => p };

function problem(pointer: string, rule: PolicyArgumentProblem['rule'], message: string): PolicyArgumentProblem {
  return { field: pointerToField(pointer), pointer, message, rule };
}

/** The caps, walked once over the whole arguments value. */
function checkCaps(args: JsonValue, caps: EffectiveArguments, out: PolicyArgumentProblem[]): void {
  const visit = (value: JsonValue, at: string): void => {
    if (out.length >= MAX_PROBLEMS) return;
    if (typeof value === 'string') {
      if (value.length > caps.maxStringLength) {
        out.push(
          problem(at, 'maxStringLength', `is longer than ${caps.maxStringLength} characters (policy maxStringLength)`),
        );
      }
      return;
    }
    if (Array.isArray(value)) {
      if (value.length > caps.maxArrayItems) {
        out.push(problem(at, 'maxArrayItems', `has more than ${caps.maxArrayItems} items (policy maxArrayItems)`));
        return;
      }
      value.forEach((v, i) => {
        visit(v, `${at}/${i}`);
      });
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const child = `${at}/${escapeSegment(k)}`;
        if (k.length > caps.maxStringLength) {
          out.push(
            problem(
              child,
              'maxStringLength',
              `has a name longer than ${caps.maxStringLength} characters (policy maxStringLength)`,
            ),
          );
          continue;
        }
        visit(v, child);
      }
    }
  };
  visit(args, '');
}

function checkMarked(
  args: JsonValue,
  rules: EffectiveArguments['paths'],
  rule: 'paths' | 'urls',
  check: (value: string, allow: readonly string[]) => string | null,
  out: PolicyArgumentProblem[],
): void {
  for (const [pointer, { allow }] of Object.entries(rules)) {
    const { matches, truncated } = selectPointer(args, pointer, MAX_MARKED_VALUES);
    if (truncated) {
      out.push(problem(pointer, rule, `selects more than ${MAX_MARKED_VALUES} values to check`));
      return;
    }
    for (const m of matches) {
      if (out.length >= MAX_PROBLEMS) return;
      const kind = rule === 'paths' ? 'path' : 'URL';
      const why =
        typeof m.value === 'string'
          ? check(m.value, allow)
          : `is marked as a ${kind} by the policy but is not a string`;
      if (why !== null) out.push(problem(m.pointer, rule, `${why} (policy ${rule} ${pointer})`));
    }
  }
}

/** The policy problems of a call's arguments (already an object or absent); empty when it may pass. */
export function checkArgumentPolicy(
  args: JsonValue | undefined,
  policy: EffectiveArguments,
  fs: PathResolver = LEXICAL_PATHS,
): PolicyArgumentProblem[] {
  if (args === undefined) return [];
  const out: PolicyArgumentProblem[] = [];
  checkCaps(args, policy, out);
  if (out.length > 0) return out;
  checkMarked(
    args,
    policy.paths,
    'paths',
    (value, allow) => pathProblem(value, allowedDirectories(allow, fs), fs),
    out,
  );
  checkMarked(
    args,
    policy.urls,
    'urls',
    (value, allow) =>
      urlProblem(
        value,
        allow.map(parseUrlPrefix).filter((p): p is UrlPrefix => p !== null),
      ),
    out,
  );
  return out.slice(0, MAX_PROBLEMS);
}
