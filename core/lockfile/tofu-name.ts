// The lock name of a server pinned trust-on-first-use. An unsigned pin never borrows a publisher's
// namespace (a package's own `mcpName` is only its claim), so the name says where the code came from:
// npm.<scope>/<package> (npm/<package> unscoped) for an npm package, the same under local. for a package
// pinned from a local directory or tarball. `add --tofu` and `import` both name through here, so one
// npm package gets one lock entry whichever pinned it first.

/** Text as the part of a server name after the slash. */
export function nameSegment(text: string): string {
  const clean = text
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return clean || 'server';
}

/** Text as the namespace part of a server name (before the slash). */
export function namespaceSegment(text: string): string {
  return text.replace(/[^a-zA-Z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'unknown';
}

/** The lock name of an npm package pinned on first use; `origin` local for a directory or tarball. */
export function packageTofuName(pkg: string, origin: 'npm' | 'local' = 'npm'): string {
  const [scope, bare] = pkg.startsWith('@') ? pkg.slice(1).split('/') : [undefined, pkg];
  return `${scope ? `${origin}.${namespaceSegment(scope)}` : origin}/${nameSegment(bare ?? pkg)}`;
}
