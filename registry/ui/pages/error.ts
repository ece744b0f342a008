// What a failed page or fragment shows: the registry's error code, message and hint, escaped.

import { type Html, html } from '../html.ts';
import { text } from '../text.ts';

export function errorContent(status: number, code: string, message: string, hint: string | undefined): Html {
  const needsLogin = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
  return html`<div class="error" role="alert" data-code="${code}">
  <h1>${status === 404 ? 'Not found' : needsLogin ? 'Not allowed' : 'Something went wrong'}</h1>
  <p><code>${code}</code> ${text(message)}</p>
  ${hint ? html`<p class="muted">${text(hint)}</p>` : ''}
  ${needsLogin ? html`<p><a href="/ui/login">Log in with another token</a></p>` : ''}
</div>`;
}
