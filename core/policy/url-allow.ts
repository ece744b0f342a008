// URL allow-lists: an argument the policy marks as a URL must be an http(s) URL whose origin is an allowed
// entry's and whose path starts with that entry's path at a segment boundary. Parsed with the WHATWG URL
// parser (what Node's fetch uses), then refused outright when two parsers could read it differently:
// userinfo (`https://allowed.example@evil.example/`), backslashes, `..` or `.` segments (plain or
// percent-encoded), encoded slashes, control characters or spaces. Pure; the result is a reason or null.

export const MAX_URL_LENGTH = 8192;

export interface UrlPrefix {
  origin: string;
  path: string;
}

/** An allow-list entry as origin + path prefix (parse-policy.ts has already refused malformed ones). */
export function parseUrlPrefix(entry: string): UrlPrefix | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return { origin: url.origin, path: url.pathname };
}

function pathInside(path: string, prefix: string): boolean {
  if (prefix === '/' || prefix === '' || path === prefix) return true;
  return path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

/** Why a URL argument is not inside the allow-list, or null when it is. */
export function urlProblem(raw: string, prefixes: readonly UrlPrefix[]): string | null {
  if (raw.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters`;
  // Whitespace and controls are stripped or kept depending on the parser: refuse rather than guess.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return 'contains spaces or control characters';
  if (raw.includes('\\')) return 'contains a backslash';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `is a ${url.protocol} URL, not http(s)`;
  // `https:example.com` and `https:/example.com` parse too; a server's own parser may not agree.
  if (!/^https?:\/\//i.test(raw)) return 'is not written as http(s)://host/…';
  const authority = raw.slice(raw.indexOf('//') + 2).split(/[/?#]/, 1)[0] ?? '';
  if (url.username || url.password || authority.includes('@')) return 'carries a user name or password';
  const rawPath = raw.slice(raw.indexOf('//') + 2 + authority.length).split(/[?#]/, 1)[0] ?? '';
  if (/%2f|%5c/i.test(rawPath)) return 'has an encoded slash in its path';
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(rawPath)) return 'has . or .. segments in its path';
  if (!prefixes.some((p) => p.origin === url.origin && pathInside(url.pathname, p.path))) {
    return 'is not under an allowed URL';
  }
  return null;
}
