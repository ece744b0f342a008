// Does a URI belong to a pinned resource template? RFC 6570 templates compiled to anchored regular
// expressions that accept every expansion of the template (and, conservatively, a little more for
// unencoded characters a lenient server would accept, never across a path, query or fragment boundary
// the template does not itself allow). Built so no pattern can backtrack badly on a hostile URI.

const MAX_TEMPLATE = 4096;
export const MAX_URI = 4096;

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The pattern for one `{…}` expression, by operator. */
function expressionPattern(body: string): string | null {
  const op = /^[+#./;?&]/.test(body) ? body[0]! : '';
  const vars = (op ? body.slice(1) : body).split(',');
  if (vars.some((v) => !/^[A-Za-z0-9_%.]+(?:\*|:[1-9][0-9]{0,3})?$/.test(v))) return null;
  switch (op) {
    case '':
      // Simple expansion percent-encodes reserved characters; several variables are joined by commas.
      return '[^/?#]*';
    case '+':
      return '[^#]*';
    case '#':
      return '(?:#.*)?';
    case '.':
      return '(?:\\.[^/?#.]*)*';
    case '/':
      return '(?:/[^/?#]*)*';
    case ';':
      return '(?:;[^/?#;]*)*';
    case '?':
      return '(?:\\?[^#&]*(?:&[^#&]*)*)?';
    case '&':
      return '(?:&[^#&]*)*';
    default:
      return null;
  }
}

/** Compile a template; null when it is not a valid RFC 6570 template (then nothing matches it). */
export function compileUriTemplate(template: string): RegExp | null {
  if (template.length === 0 || template.length > MAX_TEMPLATE) return null;
  let pattern = '^';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (open < 0) {
      if (close >= 0) return null;
      pattern += escapeLiteral(template.slice(i));
      break;
    }
    if (close >= 0 && close < open) return null;
    pattern += escapeLiteral(template.slice(i, open));
    const end = template.indexOf('}', open);
    if (end < 0) return null;
    const body = template.slice(open + 1, end);
    if (body.includes('{')) return null;
    const expr = expressionPattern(body);
    if (expr === null) return null;
    // Two adjacent expressions of one class match what one does; keeping both only adds backtracking.
    if (!pattern.endsWith(expr)) pattern += expr;
    i = end + 1;
  }
  return new RegExp(`${pattern}$`, 's');
}

/** True when `uri` is an expansion of the compiled template. */
export function matchesTemplate(pattern: RegExp | null, uri: string): boolean {
  if (pattern === null || uri.length > MAX_URI) return false;
  return pattern.test(uri);
}
