// The page shell every UI page shares: landmarks, skip link, navigation, the session indicator ui.js fills
// in, one stylesheet and one script from /ui/assets (no inline script or style: the CSP forbids them).

import { type Html, html } from './html.ts';

export type NavItem = 'browse' | 'queue' | 'audit' | 'login' | 'none';

export interface PageOptions {
  title: string;
  nav: NavItem;
  content: Html;
  /** A fragment URL ui.js re-renders #content from when a token is present (curators see more). */
  authRefresh?: string;
  registry: string;
}

const NAV: [NavItem, string, string][] = [
  ['browse', '/ui/', 'Servers'],
  ['queue', '/ui/queue', 'Review queue'],
  ['audit', '/ui/audit', 'Audit log'],
];

export function page(options: PageOptions): string {
  const navLink = ([item, path, label]: [NavItem, string, string]) =>
    html`<li><a href="${path}"${options.nav === item ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · mcp-lock marketplace</title>
<link rel="icon" href="/ui/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/ui/assets/ui.css">
<script type="module" src="/ui/assets/ui.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/ui/">mcp-lock <span>marketplace</span></a>
  <nav aria-label="Main"><ul>${NAV.map(navLink)}</ul></nav>
  <div class="session" id="session" aria-live="polite">
    <span id="session-who">Not logged in</span>
    <a id="login-link" href="/ui/login"${options.nav === 'login' ? html` aria-current="page"` : ''}>Log in</a>
    <button type="button" id="logout" hidden>Log out</button>
  </div>
</header>
<main id="main" tabindex="-1">
<div id="content"${options.authRefresh ? html` data-auth-refresh="${options.authRefresh}"` : ''}>
${options.content}
</div>
<p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
</main>
<footer>
  <p>Registry <code>${options.registry}</code> · <a href="/openapi.json">API (OpenAPI)</a> · <a href="/mcp-lock/v1/keys">approval keys</a> ·
  Hidden characters are shown as <mark class="hc">\\u{…}</mark> chips; nothing is rendered silently.</p>
</footer>
</body>
</html>`.value
  }\n`;
}
