// Does a URI belong to a pinned resource template? RFC 6570 templates compiled to a small automaton that
// accepts every expansion of the template (and, conservatively, a little more for unencoded characters a
// lenient server would accept, never across a path, query or fragment boundary the template does not
// itself allow). Matching simulates the automaton, so it takes time linear in the URI whatever the
// template and the URI are: a hostile URI cannot make it backtrack.

const MAX_TEMPLATE = 4096;
export const MAX_URI = 8192;

type CharSet = (c: string) => boolean;

type Token =
  | { type: 'literal'; char: string }
  /** An expression: empty, or `prefix` (if any) followed by any run of characters in `set`. */
  | { type: 'expression'; prefix: string | null; set: CharSet };

export interface UriTemplateMatcher {
  template: string;
  tokens: Token[];
}

const notIn =
  (chars: string): CharSet =>
  (c) =>
    !chars.includes(c);
const any: CharSet = () => true;

/** What one `{…}` expression can expand to, by operator (RFC 6570 §3.2). */
function expression(body: string): Token | null {
  const op = /^[+#./;?&]/.test(body) ? body[0]! : '';
  const vars = (op ? body.slice(1) : body).split(',');
  if (vars.some((v) => !/^[A-Za-z0-9_%.]+(?:\*|:[1-9][0-9]{0,3})?$/.test(v))) return null;
  switch (op) {
    case '':
      // Simple expansion percent-encodes reserved characters; several variables are joined by commas.
      return { type: 'expression', prefix: null, set: notIn('/?#') };
    case '+':
      return { type: 'expression', prefix: null, set: notIn('#') };
    case '#':
      return { type: 'expression', prefix: '#', set: any };
    case '.':
      return { type: 'expression', prefix: '.', set: notIn('/?#') };
    case '/':
      return { type: 'expression', prefix: '/', set: notIn('?#') };
    case ';':
      return { type: 'expression', prefix: ';', set: notIn('/?#') };
    case '?':
      return { type: 'expression', prefix: '?', set: notIn('#') };
    case '&':
      return { type: 'expression', prefix: '&', set: notIn('#') };
    default:
      return null;
  }
}

/** Compile a template; null when it is not a valid RFC 6570 template (then nothing matches it). */
export function compileUriTemplate(template: string): UriTemplateMatcher | null {
  if (template.length === 0 || template.length > MAX_TEMPLATE) return null;
  const tokens: Token[] = [];
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '}') return null;
    if (c !== '{') {
      tokens.push({ type: 'literal', char: c });
      i++;
      continue;
    }
    const end = template.indexOf('}', i);
    if (end < 0) return null;
    const body = template.slice(i + 1, end);
    if (body.includes('{')) return null;
    const token = expression(body);
    if (token === null) return null;
    tokens.push(token);
    i = end + 1;
  }
  return { template, tokens };
}

/**
 * True when `uri` is an expansion of the compiled template. States are (token index, inside an expression
 * after its prefix); each character moves the whole state set one step, so the work is |uri| × |tokens|.
 */
export function matchesTemplate(matcher: UriTemplateMatcher | null, uri: string): boolean {
  if (matcher === null || uri.length > MAX_URI) return false;
  const { tokens } = matcher;
  const n = tokens.length;
  const closure = (states: Set<number>): Set<number> => {
    const stack = [...states];
    while (stack.length > 0) {
      const state = stack.pop()!;
      const index = state >> 1;
      const token = tokens[index];
      if (token?.type !== 'expression') continue;
      const next: number[] = [(index + 1) << 1]; // an expression may end (or be empty)
      if ((state & 1) === 0 && token.prefix === null) next.push((index << 1) | 1);
      for (const s of next) {
        if (!states.has(s)) {
          states.add(s);
          stack.push(s);
        }
      }
    }
    return states;
  };
  let current = closure(new Set([0]));
  // UTF-16 code units on both sides (the template's literals were split the same way).
  for (let i = 0; i < uri.length; i++) {
    const c = uri[i]!;
    const next = new Set<number>();
    for (const state of current) {
      const index = state >> 1;
      const token = tokens[index];
      if (!token) continue;
      if (token.type === 'literal') {
        if ((state & 1) === 0 && token.char === c) next.add((index + 1) << 1);
      } else if ((state & 1) === 1) {
        if (token.set(c)) next.add(state);
      } else if (token.prefix === c) {
        next.add((index << 1) | 1);
      }
    }
    if (next.size === 0) return false;
    current = closure(next);
  }
  return current.has(n << 1);
}
