// A publisher's Markdown (the readme a manifest carries) as safe HTML, with markdown-it: raw HTML off (it
// shows as text), links only to absolute http(s) and mailto URLs (anything else, relative paths and
// javascript:/data: included, stays text), every link rel="noopener noreferrer nofollow ugc", images never
// loaded (each becomes a link to its URL, or its alt text), headings moved below the page's own, hidden
// characters shown as `\u{…}` like everywhere else in the UI, and nesting bounded.

import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';
import { escapeVisible, Html } from './html.ts';

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

function safeHref(url: string): boolean {
  if (!SAFE_LINK.test(url.trim())) return false;
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'mailto:';
}

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, maxNesting: 20 });
md.validateLink = safeHref;
md.linkify.set({ fuzzyEmail: false, fuzzyLink: false });

const rules = md.renderer.rules;
const visible = (tokens: Token[], idx: number) => escapeVisible(tokens[idx]!.content);
rules.text = visible;
rules.code_inline = (tokens, idx) => `<code>${visible(tokens, idx)}</code>`;
rules.code_block = (tokens, idx) => `<pre class="md-code"><code>${visible(tokens, idx)}</code></pre>\n`;
rules.fence = (tokens, idx) => `<pre class="md-code"><code>${visible(tokens, idx)}</code></pre>\n`;
rules.html_block = visible;
rules.html_inline = visible;

rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'noopener noreferrer nofollow ugc');
  token.attrSet('referrerpolicy', 'no-referrer');
  return self.renderToken(tokens, idx, options);
};

// An image is never fetched (the CSP would block another origin anyway; a same-origin one could be any
// registry route): a link to it when its URL is safe, else only its alt text.
rules.image = (tokens, idx) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  const alt = escapeVisible(token.content || 'image');
  if (!safeHref(src)) return `<span class="md-image">[image: ${alt}]</span>`;
  return `<a class="md-image" href="${escapeVisible(src)}" rel="noopener noreferrer nofollow ugc" referrerpolicy="no-referrer">[image: ${alt}]</a>`;
};

/** Render Markdown with headings starting at `topLevel` (h1 → h<topLevel>, clamped to h6). */
export function renderMarkdown(markdown: string, topLevel: number): Html {
  const tokens = md.parse(markdown, {});
  for (const token of tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      const level = Math.min(6, Number(token.tag.slice(1)) + topLevel - 1);
      token.tag = `h${level}`;
    }
  }
  return new Html(md.renderer.render(tokens, md.options, {}));
}
