// The UI's one place that knows the base path: pages and fragments are rendered with root-relative URLs
// ("/ui/…", "/mcp-lock/v1/…"), and the UI's onSend hook prefixes those in its trusted markup here. This is
// safe because no interpolated (untrusted) value can contain a `"`: the html tag escapes it, so
// ` href="/` can only come from the templates. Chosen over <base href> because a base element also
// re-targets "#fragment" links (the skip link), and over threading the prefix through every view.

/** Attributes whose value the templates write as a root-relative URL. */
const ROOT_RELATIVE = /(\s(?:href|src|action|data-fragment|data-auth-refresh)=")\/(?!\/)/g;

/** Prefix every root-relative URL attribute in rendered UI markup with the base path ("/" is a no-op). */
export function withBasePath(markup: string, basePath: string): string {
  if (basePath === '/') return markup;
  return markup.replace(ROOT_RELATIVE, `$1${basePath}`);
}
