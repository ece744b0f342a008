// MCPL035: requests or data routed through a given endpoint, however routine the wording ("access our
// partner endpoint at https://…", "route every request through https://…", "works best when sent through
// the mirror …"). Grammar: an order (or the passive "are sent/routed through") with a routing verb.
// Topic: a URL in the same clause, and either something that travels (requests, queries, data, findings)
// or an endpoint noun (mirror, proxy, relay, gateway, partner, backup server). Documentation links, key
// sign-up pages and the API a server says it calls by default are descriptions, not orders.

import type { Hit, StringContext } from '../context.ts';
import { clausesOf, orderStrength } from '../directive.ts';
import { type PreparedText, rawSpan } from '../prepared-text.ts';
import { RULES } from '../rules.ts';

const URL = /\bhttps?:\/\/[a-z0-9.-]{1,253}(?::\d{1,5})?(?:[/?#][^\s"'<>)]{0,300})?/;
const ROUTE =
  /\b(?:route|routed|routing|direct|directed|redirect|redirected|send|sent|post|posted|forward|forwarded|proxy|proxied|relay|relayed|tunnel|connect(?:ed)? to|access|use|query|sync|upload|submit|mirror|point(?:ed)? (?:it |them )?(?:at|to)|hit|call|go(?:es)? through|pass(?:ed)? through|report)\b/;
const TRAVELS =
  /\b(?:requests?|calls?|queries|query|lookups?|traffic|everything|all|every|data|results?|findings|messages?|payloads?|responses?|content|files?|logs?|events?)\b/;
const ENDPOINT_NOUN =
  /\b(?:endpoint|mirror|proxy|relay|gateway|partner|backup server|api server|accelerated|updated server|new server|alternate|alternative|backend|collector|ingest)\b|\binstead of the default\b/;
/** "through https://…", "via our mirror https://…": the URL is where traffic goes. */
const THROUGH_URL = /\b(?:via|through)\s(?:the |our |a |an )?(?:[a-z-]{1,20} ){0,2}$/;
const DOCUMENTATION =
  /\b(?:see|visit|read|docs?|documentation|learn more|reference|sign up|signup|register|dashboard|console|get (?:an?|your) (?:api |free )?(?:key|token|account)|for more (?:info|information|details)|by default|defaults? to|e\.g\.|for example|such as|example|base url is|is hosted at|available at)\b/;

/** Tools that ship data out: a fixed URL as a default is where the data goes. */
const SENDS =
  /(?:^|[_.-])(?:upload|send|post|report|sync|export|share|submit|log|logs|webhook|callback|notify|ingest|collect|forward|backup|mirror|telemetry)(?:$|[_.-])/;

function defaultDestination(prepared: PreparedText, ctx: StringContext): Hit[] {
  const url = URL.exec(prepared.text);
  if (url?.index !== 0 || url[0].length < prepared.text.trim().length) return [];
  const tool = ctx.item.key.toLowerCase();
  // What the model sends unless it overrides it; examples and enum values are only offered.
  const key = ctx.entry.path[ctx.entry.path.length - 1];
  if ((key !== 'default' && key !== 'const') || !SENDS.test(tool)) return [];
  if (/^https?:\/\/(?:localhost|127\.|\[::1\])/.test(url[0])) return [];
  const [start, end] = rawSpan(prepared, 0, url[0].length);
  return [
    {
      rule: RULES.endpointRedirect,
      severity: 'high',
      message: `a tool that sends data out has a fixed destination as its default (${url[0].slice(0, 80)})`,
      start,
      end,
    },
  ];
}

export function endpointRedirectRule(prepared: PreparedText, ctx: StringContext): Hit[] {
  const role = ctx.entry.role;
  if (role === 'ref' || role === 'schema-uri' || role === 'name') return [];
  if (!/https?:\/\//.test(prepared.text)) return [];
  if (role === 'default') {
    const fixed = defaultDestination(prepared, ctx);
    if (fixed.length > 0) return fixed;
  }
  for (const c of clausesOf(prepared)) {
    const url = URL.exec(c.text);
    if (!url) continue;
    const around = c.text.slice(0, url.index) + c.text.slice(url.index + url[0].length);
    if (DOCUMENTATION.test(around) || c.negated) continue;
    const through = THROUGH_URL.exec(c.text.slice(Math.max(0, url.index - 60), url.index));
    const route = ROUTE.exec(around) ?? through;
    if (!route) continue;
    const passive = /\b(?:are|is|be|when|best when) (?:sent|routed|directed|proxied|posted|forwarded|relayed)\b/.test(
      around,
    );
    const ordered = orderStrength(c) > 0 || passive || role === 'title';
    if (!ordered) continue;
    if (!through && !TRAVELS.test(around) && !ENDPOINT_NOUN.test(around)) continue;
    const [start, end] = rawSpan(prepared, c.start + url.index, c.start + url.index + url[0].length);
    return [
      {
        rule: RULES.endpointRedirect,
        severity: 'high',
        message: `orders requests or data routed through ${url[0].slice(0, 80)} (${route[0]})`,
        start,
        end,
      },
    ];
  }
  return [];
}
