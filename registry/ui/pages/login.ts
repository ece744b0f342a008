// Log in with a registry token. The token stays in this browser tab (sessionStorage) and is sent only as
// an Authorization header by ui.js, never as a cookie, so another site cannot make the browser act with it.

import { type Html, html } from '../html.ts';

export function loginContent(): Html {
  return html`<h1>Log in</h1>
<form id="login" class="login" autocomplete="off">
  <label for="token">Registry token</label>
  <input id="token" name="token" type="password" required spellcheck="false" pattern="mcpl_[A-Za-z0-9_\\-]{43}"
    aria-describedby="token-help">
  <p id="token-help" class="muted small">A token from <code>mcp-lock registry token create</code> (it starts with <code>mcpl_</code>).
  It is kept in this tab only (sessionStorage, gone when the tab closes), sent only as an <code>Authorization: Bearer</code>
  header to this registry, and never stored in a cookie. Curators and admins see the review queue; admins also see the audit log.</p>
  <button type="submit">Log in</button>
  <p class="form-status" id="login-status" role="status" aria-live="polite"></p>
</form>
<noscript><p class="warn">Logging in needs JavaScript (the token travels in a header, never in a cookie). Browsing works without it.</p></noscript>`;
}
