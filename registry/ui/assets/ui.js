// mcp-lock marketplace UI client: the only script the pages load (CSP: script-src 'self', no inline).
// It keeps the registry token in this tab's sessionStorage and sends it only as an Authorization header
// with fetch (never a cookie, so a cross-site request cannot carry it: CSRF has nothing to ride on), loads
// the token-dependent fragments (review queue, audit log, pending versions), and posts curator actions to
// the same curation API the CLI uses. Everything it inserts is HTML the registry rendered and escaped;
// anything else (error messages, names) goes in through textContent.

const TOKEN_KEY = 'mcp-lock.registry-token';
// The registry's base path ("/" or "/mcp/" behind a proxy): this script is served at <base>ui/assets/ui.js.
const BASE = new URL('../../', import.meta.url).pathname;
const UI = `${BASE}ui/`;
const TOKEN_PATTERN = /^mcpl_[A-Za-z0-9_-]{43}$/;

const token = () => sessionStorage.getItem(TOKEN_KEY);
const $ = (selector, root = document) => root.querySelector(selector);

function authHeaders() {
  const t = token();
  return t ? { authorization: `Bearer ${t}` } : {};
}

function announce(message) {
  const region = $('#announce');
  if (region) region.textContent = message;
}

/** The logged-in principal, or null; a rejected token is forgotten. */
async function whoami() {
  if (!token()) return null;
  const res = await fetch(`${UI}fragments/session`, { headers: authHeaders(), credentials: 'omit', cache: 'no-store' });
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  if (!res.ok) return null;
  return res.json();
}

function showSession(who) {
  const label = $('#session-who');
  const login = $('#login-link');
  const logout = $('#logout');
  if (!label || !login || !logout) return;
  label.textContent = who ? `${who.label || who.tokenId} (${who.role})` : 'Not logged in';
  login.hidden = Boolean(who);
  logout.hidden = !who;
}

/** Replace a container's content with a fragment fetched with the token (server-rendered, escaped HTML). */
async function loadFragment(container, url) {
  container.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(url, {
      headers: { ...authHeaders(), accept: 'text/html' },
      credentials: 'omit',
      cache: 'no-store',
    });
    const type = res.headers.get('content-type') || '';
    if (res.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSession(null);
    }
    if (!type.startsWith('text/html')) {
      container.textContent = `The registry answered ${res.status} with something that is not a page.`;
      return false;
    }
    container.innerHTML = await res.text();
    container.dataset.src = url;
    return res.ok;
  } catch (error) {
    container.textContent = `Could not reach the registry: ${error instanceof Error ? error.message : String(error)}`;
    return false;
  } finally {
    container.removeAttribute('aria-busy');
  }
}

const ACTIONS = ['approve', 'reject', 'deprecate', 'yank'];
const PROGRESS = {
  approve: 'Approving and countersigning…',
  reject: 'Rejecting…',
  deprecate: 'Deprecating…',
  yank: 'Yanking…',
};
const DONE = { approve: 'approved', reject: 'rejected', deprecate: 'deprecated', yank: 'yanked' };

/** A curation action (approve, reject, deprecate, yank) through the curation API, exactly as the CLI does. */
async function curate(form, action) {
  const status = $('.form-status', form);
  const name = form.dataset.name;
  const version = form.dataset.version;
  const reason = form.elements.namedItem('reason').value.trim();
  const needsReason = (form.dataset.reasonRequired || '').split(' ').includes(action);
  if (needsReason && reason === '') {
    status.textContent = `Say why you ${action} it: the reason is required and goes into the audit log.`;
    form.elements.namedItem('reason').focus();
    return;
  }
  for (const button of form.querySelectorAll('button')) button.disabled = true;
  status.textContent = PROGRESS[action];
  const url = `${BASE}mcp-lock/v1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/${action}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...authHeaders(), 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'omit',
      body: JSON.stringify(reason ? { reason } : {}),
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const error = body?.error;
      status.textContent = `${action} failed: ${error?.message ?? `HTTP ${res.status}`}${error?.hint ? ` (${error.hint})` : ''}`;
      for (const button of form.querySelectorAll('button')) button.disabled = false;
      return;
    }
    const done = `${name}@${version} is now ${body?.status ?? DONE[action]}.`;
    const fragment = form.closest('[data-fragment]');
    const page = form.closest('#content[data-auth-refresh]');
    if (fragment) await loadFragment(fragment, fragment.dataset.src || fragment.dataset.fragment);
    else if (page) await loadFragment(page, page.dataset.authRefresh);
    announce(done);
    const notice = $('#curate-result');
    if (notice) notice.textContent = done;
  } catch (error) {
    status.textContent = `Could not reach the registry: ${error instanceof Error ? error.message : String(error)}`;
    for (const button of form.querySelectorAll('button')) button.disabled = false;
  }
}

async function copy(button) {
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const value = source.textContent;
  try {
    await navigator.clipboard.writeText(value);
    button.textContent = 'Copied';
  } catch {
    // No clipboard permission: select the text so Ctrl+C copies it.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = 'Selected: press Ctrl+C';
  }
  setTimeout(() => {
    button.textContent = 'Copy';
  }, 2000);
}

/**
 * Where to go after logging in: the `next` the login link carried, only if it is a page of this UI on
 * this origin (never another site: no scheme, no `//host`, no backslash tricks).
 */
function returnPath() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next?.startsWith(UI) || next.includes('\\') || next.startsWith('//')) return null;
  const url = new URL(next, location.origin);
  if (url.origin !== location.origin || !url.pathname.startsWith(UI) || url.pathname.startsWith(`${UI}login`))
    return null;
  return url.pathname + url.search + url.hash;
}

/** The login link brings the reader back to the page they were on. */
function linkLoginBack() {
  if (location.pathname.startsWith(`${UI}login`)) return;
  const back = `${UI}login?next=${encodeURIComponent(location.pathname + location.search)}`;
  for (const link of document.querySelectorAll(`a[href="${UI}login"]`)) link.href = back;
}

async function login(form) {
  const status = $('#login-status');
  const value = form.elements.namedItem('token').value.trim();
  if (!TOKEN_PATTERN.test(value)) {
    status.textContent = 'That is not a registry token (mcpl_ followed by 43 characters).';
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, value);
  const who = await whoami();
  showSession(who);
  if (!who) {
    status.textContent = 'The registry does not know this token (or it was revoked).';
    return;
  }
  form.reset();
  status.textContent = `Logged in as ${who.label || who.tokenId} (${who.role}).`;
  const back = returnPath();
  if (back) {
    location.assign(back);
    return;
  }
  const next = who.role === 'publisher' ? UI : `${UI}queue`;
  const link = document.createElement('a');
  link.href = next;
  link.textContent = who.role === 'publisher' ? 'Browse servers' : 'Go to the review queue';
  status.append(' ', link);
}

/**
 * Search as you type on the catalogue: the form stays a plain GET form (it works without this script);
 * this only waits for a pause in typing, fetches the results fragment for the same query, swaps #results
 * and keeps the address in step, so reloading or sharing it shows the same page.
 */
let liveTimer;
let liveAbort;
function liveSearch(form) {
  clearTimeout(liveTimer);
  liveTimer = setTimeout(async () => {
    const results = $('#results');
    if (!results) return;
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() !== '') params.set(k, v.trim());
    const qs = params.toString() ? `?${params}` : '';
    liveAbort?.abort();
    liveAbort = new AbortController();
    results.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(`${UI}fragments/browse${qs}`, {
        headers: { accept: 'text/html' },
        credentials: 'omit',
        signal: liveAbort.signal,
      });
      if (!(res.headers.get('content-type') || '').startsWith('text/html')) return;
      const template = document.createElement('template');
      template.innerHTML = await res.text();
      const fresh = template.content.querySelector('#results');
      if (!fresh) return;
      results.replaceWith(fresh);
      history.replaceState(null, '', `${UI}${qs}`);
      document.body.dataset.results = qs;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      announce(`Could not search: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      results.removeAttribute('aria-busy');
    }
  }, 250);
}

// A section's full detail (an item's definition, the dependency tree) is fetched when it is first opened;
// without scripts the <details> holds a link to the same detail as a page. `toggle` does not bubble.
document.addEventListener(
  'toggle',
  (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open || !details.classList.contains('lazy')) return;
    if (details.dataset.loaded) return;
    const body = $('.lazy-body', details);
    if (!body || !details.dataset.src) return;
    details.dataset.loaded = 'loading';
    loadFragment(body, details.dataset.src).then((ok) => {
      details.dataset.loaded = ok ? 'true' : '';
    });
  },
  true,
);

document.addEventListener('input', (event) => {
  const form = event.target instanceof Element ? event.target.closest('form[data-live]') : null;
  if (form) liveSearch(form);
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const copyButton = target?.closest('button.copy');
  if (copyButton) {
    copy(copyButton);
    return;
  }
  if (target?.closest('#logout')) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSession(null);
    location.assign(UI);
    return;
  }
  const link = target?.closest('a[data-fragment-link]');
  const container = link?.closest('[data-fragment]');
  if (link && container) {
    event.preventDefault();
    loadFragment(container, link.getAttribute('href'));
  }
});

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.id === 'login') {
    event.preventDefault();
    login(form);
  } else if (form.classList.contains('curate')) {
    event.preventDefault();
    const chosen = event.submitter?.value;
    if (ACTIONS.includes(chosen)) curate(form, chosen);
  } else if (form.hasAttribute('data-fragment-form')) {
    const container = form.closest('[data-fragment]');
    if (!container) return;
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v !== '') params.set(k, v);
    loadFragment(container, `${form.getAttribute('action')}?${params}`);
  }
});

async function start() {
  linkLoginBack();
  const who = await whoami();
  showSession(who);
  if (!who) return;
  const content = $('#content[data-auth-refresh]');
  // Curators and publishers may see more of a server (pending, rejected versions) than the public page.
  if (content) await loadFragment(content, content.dataset.authRefresh);
  for (const container of document.querySelectorAll('[data-fragment]')) {
    await loadFragment(container, container.dataset.fragment);
  }
  document.body.dataset.ready = 'true';
}

start().finally(() => {
  document.body.dataset.ready = 'true';
});
