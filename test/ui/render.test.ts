// The web UI without a browser: escaping and hidden-character rendering (every class, and benign text that
// must stay untouched), the JSON view, lint findings present / absent / malformed, the lock entry the page
// shows against what the CLI would write, and the UI routes through inject: security headers, CSRF, token
// scopes, pending versions, assets and errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEntryAgainstManifest } from '../../core/lockfile/lockfile.ts';
import type { VersionRecord } from '../../core/registry/records.ts';
import { escapeHtml, type Html, html } from '../../registry/ui/html.ts';
import { CONTENT_SECURITY_POLICY } from '../../registry/ui/plugin.ts';
import { hiddenIn, hiddenWarning, json, text } from '../../registry/ui/text.ts';
import { findingsOf, findingsView } from '../../registry/ui/views/findings.ts';
import { addCommand, FILES_PLACEHOLDER, lockEntry } from '../../registry/ui/views/install.ts';
import {
  bearer,
  curate,
  makeRegistry,
  publish,
  syntheticManifest,
  type TestRegistry,
  weatherTools,
} from '../registry/helpers.ts';

/** The text a browser would show for an HTML fragment (tags dropped, entities decoded). */
const shown = (h: Html | string) =>
  String(h)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('html escaping', () => {
  it('escapes every interpolated string, in content and in quoted attributes', () => {
    const evil = `"><script>alert('x')</script><img src=x onerror=alert(1)>&`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).toBe(
      `<p title="${escapeHtml(evil)}">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;</p>`,
    );
    expect(shown(out)).toBe(evil);
  });

  it('passes Html through, joins arrays, drops null, undefined and booleans', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`${inner}${['a', '<', 1]}${null}${undefined}${false}`.value).toBe('<b>&lt;i&gt;</b>a&lt;1');
  });

  it('replaces hidden characters in plain interpolations with a visible label (safe in attributes)', () => {
    expect(html`<a title="${'x\u202Ey\u{E0041}'}">`.value).toBe('<a title="x\\u{202E}y\\u{E0041}">');
  });

  it('refuses a template whose literal has an invalid escape instead of dropping it', () => {
    const bad = (strings: TemplateStringsArray) => html(strings);
    expect(() => bad(Object.assign([undefined], { raw: ['\\u{…}'] }) as unknown as TemplateStringsArray)).toThrow(
      /invalid escape/,
    );
  });
});

describe('hidden characters made visible', () => {
  const cases: [string, string, string][] = [
    ['tag', '\u{E0041}', '\\u{E0041}'],
    ['zero-width', '\u200B', '\\u{200B}'],
    ['zero-width', '\uFEFF', '\\u{FEFF}'],
    ['bidi', '\u202E', '\\u{202E}'],
    ['bidi', '\u2066', '\\u{2066}'],
    ['escape', '\u001B', '\\u{001B}'],
    ['control', '\u0007', '\\u{0007}'],
    ['control', '\u007F', '\\u{007F}'],
    ['c1-control', '\u009B', '\\u{009B}'],
    ['line-separator', '\u2028', '\\u{2028}'],
    ['variation-selector', '\uFE0F', '\\u{FE0F}'],
    ['invisible', '\u00AD', '\\u{00AD}'],
    ['carriage-return', '\r', '\\u{000D}'],
  ];
  for (const [cls, char, label] of cases) {
    it(`shows ${cls} ${label} as a chip and never the raw character`, () => {
      const out = text(`before${char}after`).value;
      expect(out).toContain(`<mark class="hc" data-hidden="${cls}"`);
      expect(out).toContain(`>${label}</mark>`);
      expect(out.includes(char)).toBe(false);
      expect(shown(out)).toBe(`before${label}${cls === 'tag' ? '[hidden text: “A”]' : ''}after`);
    });
  }

  it('decodes a run of tag characters into the text it smuggles', () => {
    const smuggled = [...'Ignore <all>'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const out = text(`Get weather.${smuggled} Done`).value;
    expect(out.match(/<mark class="hc"/g)?.length).toBe(12);
    expect(out).toContain('[hidden text: “Ignore &lt;all&gt;”]</span> Done');
  });

  it('escapes ANSI sequences and control characters rather than passing them through', () => {
    const out = text('\u001B[31mred\u001B[0m').value;
    expect(out).toBe(
      '<mark class="hc" data-hidden="escape" title="hidden: escape (starts an ANSI sequence)">\\u{001B}</mark>[31mred' +
        '<mark class="hc" data-hidden="escape" title="hidden: escape (starts an ANSI sequence)">\\u{001B}</mark>[0m',
    );
  });

  it('benign twin: ordinary text in any script, emoji, newlines and tabs is unchanged (multi-line)', () => {
    const benign = 'Prévisions météo 天気予報 прогноз 👍🏽 — “quoted”\n\tindented';
    expect(text(benign, { multiline: true }).value).toBe(escapeHtml(benign));
    expect(hiddenIn(benign).total).toBe(0);
    expect(hiddenWarning({ description: benign }).value).toBe('');
  });

  it('shows newlines and tabs as \\n and \\t on one line', () => {
    expect(shown(text('a\nb\tc'))).toBe('a\\nb\\tc');
  });

  it('counts hidden characters in keys and values of a definition, by class', () => {
    const s = hiddenIn({ 'na\u200Bme': ['x\u202E', { y: '\u{E0041}\u{E0042}' }] });
    expect(s).toEqual({ total: 4, byClass: { 'zero-width': 1, bidi: 1, tag: 2 } });
    expect(shown(hiddenWarning({ a: '\u200B' }))).toBe('⚠ 1 hidden character: 1 zero-width character');
  });

  it('renders JSON with escaped quotes and backslashes, and chips inside keys and strings', () => {
    const out = json({ 'k\u200B': 'say "hi" \\ <b>', n: 1, t: true, z: null, a: [] }).value;
    expect(shown(out)).toBe(
      '{\n  "k\\u{200B}": "say \\"hi\\" \\\\ <b>",\n  "n": 1,\n  "t": true,\n  "z": null,\n  "a": []\n}',
    );
    expect(out).not.toContain('<b>');
  });
});

describe('lint findings', () => {
  const findings = [
    { rule: 'hidden-chars', severity: 'medium', item: 'tools/b', path: '$.description', message: 'm1', excerpt: '' },
    {
      rule: 'exfil',
      severity: 'high',
      item: 'tools/a',
      path: '$.description',
      message: '<b>m2</b>',
      excerpt: 'x\u202Ey',
    },
  ];

  it('shows attached findings, most severe first, escaped', () => {
    const parsed = findingsOf({ findings });
    const out = findingsView(parsed).value;
    expect(out.indexOf('exfil')).toBeLessThan(out.indexOf('hidden-chars'));
    expect(out).toContain('2 lint findings');
    expect(out).toContain('&lt;b&gt;m2&lt;/b&gt;');
    expect(out).toContain('\\u{202E}</mark>');
    expect(out).toContain('class="sev-high"');
    expect(out).toContain('worst: <span class="severity">high</span>');
  });

  it('says "not scanned" when a version carries no findings, and "nothing found" for an empty list', () => {
    expect(findingsOf({})).toBeNull();
    expect(findingsView(null).value).toContain('not scanned');
    expect(findingsView(findingsOf({ findings: [] })).value).toContain('found nothing');
  });

  it('tolerates malformed entries without crashing or inventing markup', () => {
    const parsed = findingsOf({ findings: [null, 'x', [], { rule: 7, severity: '<script>', message: undefined }] });
    expect(parsed).toEqual([{ rule: '7', severity: '<script>', item: '', path: '', message: '', excerpt: '' }]);
    const out = findingsView(parsed).value;
    expect(out).toContain('class="sev-unknown"');
    expect(out).not.toContain('<script>');
  });
});

describe('add command and lock entry', () => {
  const manifest = syntheticManifest();
  const record = {
    name: 'io.github.acme/weather',
    version: '1.0.0',
    status: 'approved',
    signer: { type: 'key', keyId: 'ab'.repeat(32), publicKey: 'PEM' },
    approval: { keyId: 'cd'.repeat(32), approvedAt: '2025-01-01T00:00:00.000Z', curator: 'alice' },
  } as unknown as VersionRecord;

  it('is the command the CLI takes, with the registry URL normalised', () => {
    expect(addCommand('http://127.0.0.1:4000/', record)).toBe(
      'mcp-lock add io.github.acme/weather@1.0.0 --registry http://127.0.0.1:4000',
    );
    expect(addCommand("https://r.example/it's", record)).toContain(`--registry 'https://r.example/it'\\''s'`);
  });

  it('is the entry mcp-lock add writes: it passes the lock-vs-manifest tamper check, files aside', () => {
    const doc = lockEntry('http://127.0.0.1:4000', record, manifest, []) as {
      servers: Record<string, Parameters<typeof checkEntryAgainstManifest>[1]>;
    };
    const entry = doc.servers['io.github.acme/weather']!;
    expect(checkEntryAgainstManifest('io.github.acme/weather', entry, manifest)).toEqual([]);
    expect(entry.package?.files).toBe(FILES_PLACEHOLDER);
    expect(entry.approval).toEqual({ registry: 'http://127.0.0.1:4000', keyId: 'cd'.repeat(32) });
    expect(entry.signer).toEqual({ type: 'key', keyId: 'ab'.repeat(32), publicKey: 'PEM' });
  });
});

describe('UI routes', () => {
  let reg: TestRegistry;
  const NAME = 'io.github.acme/weather';
  const q = encodeURIComponent;

  beforeAll(async () => {
    reg = await makeRegistry();
    expect((await publish(reg, syntheticManifest())).statusCode).toBe(201);
    expect((await curate(reg, NAME, '1.0.0', 'approve')).statusCode).toBe(200);
    const tools = weatherTools(' <script>alert(1)</script>');
    expect((await publish(reg, syntheticManifest({ version: '1.1.0', tools }))).statusCode).toBe(201);
    expect((await publish(reg, syntheticManifest({ name: 'io.github.acme/pending-only' }))).statusCode).toBe(201);
  });
  afterAll(async () => reg.close());

  it('redirects / to the UI, and serves pages with a strict CSP, no cookies and no framing', async () => {
    const root = await reg.app.inject({ url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/ui/');
    for (const url of ['/ui/', '/ui', `/ui/server?name=${q(NAME)}`, '/ui/queue', '/ui/audit', '/ui/login']) {
      const res = await reg.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      // No inline script or style anywhere: the only script is the same-origin module.
      expect(res.body.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/ui/assets/ui.js">']);
      expect(res.body).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('shows an approved server to anyone, and a pending version only to a curator in scope', async () => {
    const page = await reg.app.inject({ url: `/ui/server?name=${q(NAME)}` });
    expect(page.body).toContain('data-version="1.0.0"');
    expect(page.body).not.toContain('data-version="1.1.0"');
    const anon = await reg.app.inject({ url: `/ui/fragments/server?name=${q(NAME)}&version=1.1.0` });
    expect(anon.statusCode).toBe(404);
    const other = await reg.app.inject({
      url: `/ui/fragments/server?name=${q(NAME)}&version=1.1.0`,
      headers: bearer(reg.tokens.otherCurator),
    });
    expect(other.statusCode).toBe(404);
    const mine = await reg.app.inject({
      url: `/ui/fragments/server?name=${q(NAME)}&version=1.1.0`,
      headers: bearer(reg.tokens.curator),
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['cache-control']).toBe('no-store');
    expect(mine.body).toContain('pending review');
    expect(mine.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mine.body).not.toContain('<script>alert(1)');
    const pendingOnly = await reg.app.inject({ url: `/ui/server?name=${q('io.github.acme/pending-only')}` });
    expect(pendingOnly.statusCode).toBe(404);
    expect(pendingOnly.body).toContain('data-auth-refresh="/ui/fragments/server?name=io.github.acme%2Fpending-only"');
  });

  it('answers the queue and audit fragments by role, with the API’s errors', async () => {
    const none = await reg.app.inject({ url: '/ui/fragments/queue' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body).toContain('data-code="UNAUTHENTICATED"');
    const publisher = await reg.app.inject({ url: '/ui/fragments/queue', headers: bearer(reg.tokens.publisher) });
    expect(publisher.statusCode).toBe(403);
    const queue = await reg.app.inject({ url: '/ui/fragments/queue', headers: bearer(reg.tokens.curator) });
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(`data-name="${NAME}" data-version="1.1.0"`);
    expect(queue.body).toContain('Changes since 1.0.0 (last approved)');
    expect(queue.body).toContain('The lint found nothing.');
    const otherQueue = await reg.app.inject({ url: '/ui/fragments/queue', headers: bearer(reg.tokens.otherCurator) });
    expect(otherQueue.body).toContain('Nothing is waiting for review');
    const audit = await reg.app.inject({ url: '/ui/fragments/audit', headers: bearer(reg.tokens.curator) });
    expect(audit.statusCode).toBe(403);
    const adminAudit = await reg.app.inject({
      url: '/ui/fragments/audit?action=approve',
      headers: bearer(reg.tokens.admin),
    });
    expect(adminAudit.statusCode).toBe(200);
    expect(adminAudit.body.match(/<tr data-action="approve">/g)?.length).toBe(1);
    const session = await reg.app.inject({ url: '/ui/fragments/session', headers: bearer(reg.tokens.curator) });
    expect(session.json()).toMatchObject({ role: 'curator', label: 'alice', scopes: ['io.github.acme/*'] });
    const bad = await reg.app.inject({ url: '/ui/fragments/session', headers: bearer(`mcpl_${'x'.repeat(43)}`) });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('shows the lint findings a version carries in the queue, and "not scanned" for an older record', async () => {
    const rewrite = (change: (r: VersionRecord) => VersionRecord) =>
      reg.store.transaction(async (tx) => tx.putVersion(change((await tx.getVersion(NAME, '1.1.0'))!)));
    await rewrite(({ findings: _gone, ...older }) => older);
    const old = await reg.app.inject({ url: '/ui/fragments/queue', headers: bearer(reg.tokens.curator) });
    expect(old.body).toContain('not scanned');
    const finding = {
      rule: 'html-in-description',
      severity: 'medium',
      item: 'tools/<b>get_forecast</b>',
      path: '$.description',
      message: 'HTML in a description',
      excerpt: '<script>',
    };
    await rewrite((record) => ({ ...record, findings: [finding] }) as VersionRecord);
    const queue = await reg.app.inject({ url: '/ui/fragments/queue', headers: bearer(reg.tokens.curator) });
    expect(queue.body).toContain('1 lint finding');
    expect(queue.body).toContain('html-in-description');
    expect(queue.body).toContain('tools/&lt;b&gt;get_forecast&lt;/b&gt;');
  });

  it('is CSRF-safe: a cross-site form post carries no token and changes nothing', async () => {
    const res = await reg.app.inject({
      method: 'POST',
      url: `/mcp-lock/v1/servers/${q(NAME)}/versions/1.1.0/approve`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        cookie: 'session=whatever',
      },
      payload: 'reason=ok',
    });
    expect(res.statusCode).toBe(401);
    const version = await reg.app.inject({
      url: `/mcp-lock/v1/servers/${q(NAME)}/versions/1.1.0`,
      headers: bearer(reg.tokens.curator),
    });
    expect(version.json().status).toBe('pending');
  });

  it('serves its two assets with validators, and nothing else', async () => {
    const js = await reg.app.inject({ url: '/ui/assets/ui.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const again = await reg.app.inject({ url: '/ui/assets/ui.js', headers: { 'if-none-match': js.headers.etag } });
    expect(again.statusCode).toBe(304);
    expect((await reg.app.inject({ url: '/ui/assets/ui.css' })).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    for (const url of ['/ui/assets/plugin.ts', '/ui/assets/..%2Fplugin.ts', '/ui/assets/__proto__', '/ui/nowhere']) {
      const res = await reg.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    }
  });

  it('renders bad requests as an HTML error page with the registry’s code', async () => {
    const res = await reg.app.inject({ url: '/ui/server' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('data-code="USAGE"');
    const missing = await reg.app.inject({ url: `/ui/diff?name=${q(NAME)}&from=9.9.9&to=1.0.0` });
    expect(missing.statusCode).toBe(404);
  });

  it('lists the UI routes in the OpenAPI document under their own tag', async () => {
    const doc = (await reg.app.inject({ url: '/openapi.json' })).json();
    expect(doc.paths['/ui/fragments/queue'].get.tags).toEqual(['ui']);
    expect(doc.paths['/ui/fragments/queue'].get.security).toEqual([{ bearerAuth: [] }]);
  });
});
