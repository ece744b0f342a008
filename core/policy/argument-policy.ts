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
/** Values the marked-argument rules of one call may select; more and it is refused rather than checked in part. */
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

/** The values all marked-argument rules of one call may select together; more and the call is refused. */
interface Budget {
  left: number;
}

function checkMarked(
  args: JsonValue,
  rules: EffectiveArguments['paths'],
  rule: 'paths' | 'urls',
  prepare: (allow: readonly string[]) => (value: string) => string | null,
  budget: Budget,
  out: PolicyArgumentProblem[],
): void {
  const kind = rule === 'paths' ? 'path' : 'URL';
  for (const [pointer, { allow }] of Object.entries(rules)) {
    if (out.length >= MAX_PROBLEMS) return;
    const { matches, truncated } = selectPointer(args, pointer, budget.left);
    budget.left -= matches.length;
    if (truncated) {
      out.push(problem(pointer, rule, `selects more than ${MAX_MARKED_VALUES} values to check in one call`));
      return;
    }
    if (matches.length === 0) continue;
    const check = prepare(allow);
    for (const m of matches) {
      if (out.length >= MAX_PROBLEMS) return;
      const why =
        typeof m.value === 'string' ? check(m.value) : `is marked as a ${kind} by the policy but is not a string`;
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
  const budget: Budget = { left: MAX_MARKED_VALUES };
  checkMarked(
    args,
    policy.paths,
    'paths',
    (allow) => {
      const dirs = allowedDirectories(allow, fs);
      return (value) => pathProblem(value, dirs, fs);
    },
    budget,
    out,
  );
  checkMarked(
    args,
    policy.urls,
    'urls',
    (allow) => {
      const prefixes = allow.map(parseUrlPrefix).filter((p): p is UrlPrefix => p !== null);
      return (value) => urlProblem(value, prefixes);
    },
    budget,
    out,
  );
  return out.slice(0, MAX_PROBLEMS);
}
