// The UI's routes under /ui: full pages rendered for an anonymous reader, and fragments (the same content,
// or curator/admin views) rendered for whoever the request's bearer token stands for. Every read goes
// through the RegistryService with that principal, so the UI sees exactly what the API would show the
// same token. Writes are not here: ui.js posts to the curation API itself.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { McpLockError } from '../../core/errors.ts';
import { diffManifests } from '../../core/manifest/manifest-diff.ts';
import { catalogueFacets, parseCatalogueQuery, selectCatalogue } from '../../core/registry/catalogue.ts';
import { namespaceOf } from '../../core/registry/names.ts';
import type { SignerRecord, VersionRecord } from '../../core/registry/records.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import { type Principal, ROLES } from '../../core/registry/tokens.ts';
import { principalOf } from '../plugins/auth.ts';
import { ownErrors } from '../routes/common.ts';
import type { Html } from './html.ts';
import { page } from './layout.ts';
import { ManifestCache } from './manifest-cache.ts';
import { auditFragment, auditShell } from './pages/audit.ts';
import { type BrowseData, type BrowseRow, browseContent, browseResults } from './pages/browse.ts';
import { detailFragment, detailPage } from './pages/detail.ts';
import { diffContent } from './pages/diff.ts';
import { loginContent } from './pages/login.ts';
import { queueFragment, queueShell } from './pages/queue.ts';
import { serverContent, serverNotFound } from './pages/server.ts';
import { DETAIL_PARTS, type DetailPart } from './views/compact.ts';
import { findingsOf } from './views/findings.ts';

const BROWSE_PAGE = 24;
/** At most this many servers are read for one catalogue page (filters and sorts apply to them). */
const CATALOGUE_SCAN_MAX = 2000;
const QUEUE_PAGE = 10;
const AUDIT_PAGE = 100;

const str = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const nameQuery = { type: 'string', minLength: 1, maxLength: 600 } as const;
const versionQuery = { type: 'string', minLength: 1, maxLength: 600 } as const;

const tags = ['ui'];

const htmlBody = ['text/html'];
/** What a page or fragment answers: HTML, errors included (rendered by the UI's error handler). */
export const html = {
  '200': { description: 'The page or fragment', contentTypes: htmlBody },
  '4XX': { description: 'What went wrong, as HTML', contentTypes: htmlBody },
  '5XX': { description: 'An internal error, as HTML (details only in the log)', contentTypes: htmlBody },
};

export interface UiRouteOptions {
  service: RegistryService;
}

type BrowseQuery = Partial<
  Record<'q' | 'cursor' | 'sort' | 'status' | 'transport' | 'signer' | 'category' | 'tag', string>
> & {
  limit?: number;
};
type ServerQuery = { name: string; version?: string };
type DetailQuery = { name: string; version: string; part: DetailPart; key?: string };
type DiffQuery = { name: string; from?: string; to?: string };

function sendHtml(reply: FastifyReply, body: string | Html): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(typeof body === 'string' ? body : body.value);
}

export async function uiRoutes(app: FastifyInstance, options: UiRouteOptions): Promise<void> {
  const { service } = options;
  const manifests = new ManifestCache(service);
  const registry = () => service.info().registry;
  const signersOf = async (name: string): Promise<SignerRecord[]> => service.signers(namespaceOf(name));

  const shell = (title: string, nav: Parameters<typeof page>[0]['nav'], content: Html, authRefresh?: string) =>
    page({ title, nav, content, registry: registry(), ...(authRefresh ? { authRefresh } : {}) });

  // ── Browse ──────────────────────────────────────────────────────────────────────────────────
  const browseQuery = {
    type: 'object',
    properties: {
      q: str(200),
      cursor: str(1024),
      sort: str(16),
      status: str(16),
      transport: str(32),
      signer: str(16),
      category: str(32),
      tag: str(32),
      limit: { type: 'integer', minimum: 1, maximum: 48 },
    },
  } as const;

  /** Each server's latest listed version (matching the search), read through the store's keyset pages. */
  async function catalogueRecords(search: string): Promise<{ records: VersionRecord[]; truncated: boolean }> {
    const records: VersionRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.listServers({
        version: 'latest',
        limit: 100,
        ...(search ? { search } : {}),
        ...(cursor ? { cursor } : {}),
      });
      records.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined && records.length < CATALOGUE_SCAN_MAX);
    return { records, truncated: cursor !== undefined };
  }

  async function browseData(raw: BrowseQuery): Promise<BrowseData> {
    const search = raw.q?.trim() ?? '';
    const { limit: _limit, ...filters } = raw;
    const query = parseCatalogueQuery(filters);
    const { records, truncated } = await catalogueRecords(search);
    const page = selectCatalogue(records, query, raw.limit ?? BROWSE_PAGE);
    const signerCache = new Map<string, Promise<SignerRecord[]>>();
    const rows: BrowseRow[] = await Promise.all(
      page.items.map(async (record) => {
        const ns = namespaceOf(record.name);
        if (!signerCache.has(ns)) signerCache.set(ns, service.signers(ns));
        return { record, manifest: await manifests.get(null, record), signers: await signerCache.get(ns)! };
      }),
    );
    return {
      search,
      query,
      ...(raw.limit !== undefined ? { limit: raw.limit } : {}),
      rows,
      matched: page.matched,
      truncated,
      facets: catalogueFacets(records),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  app.get<{ Querystring: BrowseQuery }>(
    '/',
    {
      schema: { querystring: browseQuery },
      config: {
        openapi: {
          summary: 'Web UI: the catalogue of approved servers, filtered and sorted (HTML)',
          tags,
          responses: html,
        },
      },
    },
    async (request, reply) => {
      const data = await browseData(request.query);
      return sendHtml(reply, shell(data.search ? `Search: ${data.search}` : 'Servers', 'browse', browseContent(data)));
    },
  );

  app.get<{ Querystring: BrowseQuery }>(
    '/fragments/browse',
    {
      schema: { querystring: browseQuery },
      config: {
        openapi: { summary: 'Web UI fragment: catalogue results for search as you type (HTML)', tags, responses: html },
      },
    },
    async (request, reply) => sendHtml(reply, browseResults(await browseData(request.query))),
  );

  // ── One server ──────────────────────────────────────────────────────────────────────────────
  const serverSchema = {
    querystring: {
      type: 'object',
      required: ['name'],
      properties: { name: nameQuery, version: versionQuery },
    },
  };

  async function serverView(principal: Principal | null, q: ServerQuery): Promise<Html> {
    const versions = await service.versions(principal, q.name);
    const selected =
      q.version !== undefined
        ? versions.find((v) => v.version === q.version)
        : (versions.find((v) => v.isLatest) ?? versions[0]);
    if (!selected) throw new McpLockError('NOT_FOUND', `${q.name}@${q.version} was not found`);
    const [manifest, signers] = await Promise.all([manifests.get(principal, selected), signersOf(q.name)]);
    return serverContent({
      registry: registry(),
      versions,
      selected,
      manifest,
      signers,
      findings: findingsOf(selected),
      curator: principal !== null && (principal.role === 'curator' || principal.role === 'admin'),
    });
  }

  const serverFragmentUrl = (q: ServerQuery) => fragmentUrl('/ui/fragments/server', q);

  app.get<{ Querystring: ServerQuery }>(
    '/server',
    {
      schema: serverSchema,
      config: { openapi: { summary: 'Web UI: one server and a version in full (HTML)', tags, responses: html } },
    },
    async (request, reply) => {
      const q = request.query;
      let content: Html;
      try {
        content = await serverView(null, q);
      } catch (error) {
        // Not public (only pending or rejected versions): a logged-in curator's token may still see it.
        if (!(error instanceof McpLockError) || error.code !== 'NOT_FOUND') throw error;
        reply.code(404);
        content = serverNotFound(q.name);
      }
      return sendHtml(
        reply,
        shell(q.version ? `${q.name}@${q.version}` : q.name, 'browse', content, serverFragmentUrl(q)),
      );
    },
  );

  app.get<{ Querystring: ServerQuery }>(
    '/fragments/server',
    {
      schema: serverSchema,
      config: {
        openapi: {
          summary: 'Web UI fragment: a server as the token sees it (HTML)',
          tags,
          responses: html,
          auth: 'optional',
        },
      },
    },
    async (request, reply) => sendHtml(reply, await serverView(request.principal, request.query)),
  );

  // ── One detail of a version, on demand ──────────────────────────────────────────────────────
  const detailSchema = {
    querystring: {
      type: 'object',
      required: ['name', 'version', 'part'],
      properties: {
        name: nameQuery,
        version: versionQuery,
        part: { type: 'string', enum: [...DETAIL_PARTS] },
        key: { type: 'string', minLength: 1, maxLength: 2048 },
      },
    },
  };

  async function detailView(principal: Principal | null, q: DetailQuery): Promise<{ v: VersionRecord; content: Html }> {
    const versions = await service.versions(principal, q.name);
    const v = versions.find((x) => x.version === q.version);
    if (!v) throw new McpLockError('NOT_FOUND', `${q.name}@${q.version} was not found`);
    return { v, content: detailFragment(await manifests.get(principal, v), q.part, q.key) };
  }

  app.get<{ Querystring: DetailQuery }>(
    '/detail',
    {
      schema: detailSchema,
      config: {
        openapi: {
          summary: 'Web UI: one surface item or the dependency tree of a version (HTML)',
          tags,
          responses: html,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const { v, content } = await detailView(null, q);
      return sendHtml(
        reply,
        shell(
          `${q.name}@${q.version}`,
          'browse',
          detailPage(v, content, q.part, q.key),
          fragmentUrl('/ui/fragments/detail', q),
        ),
      );
    },
  );

  app.get<{ Querystring: DetailQuery }>(
    '/fragments/detail',
    {
      schema: detailSchema,
      config: {
        openapi: {
          summary: 'Web UI fragment: one detail of a version, loaded when its section is opened (HTML)',
          tags,
          responses: html,
          auth: 'optional',
        },
      },
    },
    async (request, reply) => sendHtml(reply, (await detailView(request.principal, request.query)).content),
  );

  // ── Diff ────────────────────────────────────────────────────────────────────────────────────
  const diffSchema = {
    querystring: {
      type: 'object',
      required: ['name'],
      properties: { name: nameQuery, from: versionQuery, to: versionQuery },
    },
  };

  async function diffView(principal: Principal | null, q: DiffQuery): Promise<Html> {
    const versions = await service.versions(principal, q.name);
    const find = (version: string) => {
      const found = versions.find((v) => v.version === version);
      if (!found) throw new McpLockError('NOT_FOUND', `${q.name}@${version} was not found`);
      return found;
    };
    const to: VersionRecord = q.to ? find(q.to) : (versions.find((v) => v.isLatest) ?? versions[0]!);
    const from: VersionRecord = q.from ? find(q.from) : (versions[versions.indexOf(to) + 1] ?? to);
    const [a, b] = await Promise.all([manifests.get(principal, from), manifests.get(principal, to)]);
    return diffContent({ versions, from, to, diff: diffManifests(a, b) });
  }

  app.get<{ Querystring: DiffQuery }>(
    '/diff',
    {
      schema: diffSchema,
      config: { openapi: { summary: 'Web UI: two versions compared field by field (HTML)', tags, responses: html } },
    },
    async (request, reply) => {
      const q = request.query;
      let content: Html;
      try {
        content = await diffView(null, q);
      } catch (error) {
        if (!(error instanceof McpLockError) || error.code !== 'NOT_FOUND') throw error;
        reply.code(404);
        content = serverNotFound(q.name);
      }
      return sendHtml(reply, shell(`Compare ${q.name}`, 'browse', content, fragmentUrl('/ui/fragments/diff', q)));
    },
  );

  app.get<{ Querystring: DiffQuery }>(
    '/fragments/diff',
    {
      schema: diffSchema,
      config: {
        openapi: {
          summary: 'Web UI fragment: a diff as the token sees it (HTML)',
          tags,
          responses: html,
          auth: 'optional',
        },
      },
    },
    async (request, reply) => sendHtml(reply, await diffView(request.principal, request.query)),
  );

  // ── Curators: the review queue ──────────────────────────────────────────────────────────────
  app.get(
    '/queue',
    { config: { openapi: { summary: 'Web UI: the review queue (HTML shell)', tags, responses: html } } },
    async (_r, reply) => sendHtml(reply, shell('Review queue', 'queue', queueShell())),
  );

  app.get<{ Querystring: { cursor?: string } }>(
    '/fragments/queue',
    {
      schema: { querystring: { type: 'object', properties: { cursor: str(1024) } } },
      config: {
        openapi: {
          summary: 'Web UI fragment: pending versions to review (HTML)',
          tags,
          responses: html,
          auth: 'required',
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const page = await service.queue(principal, {
        limit: QUEUE_PAGE,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      });
      const items = await Promise.all(
        page.items.map(async ({ record, previousApproved }) => {
          const [manifest, before, signers] = await Promise.all([
            manifests.get(principal, record),
            previousApproved ? manifests.get(principal, previousApproved) : Promise.resolve(null),
            signersOf(record.name),
          ]);
          return {
            record,
            manifest,
            previous: previousApproved,
            diff: before ? diffManifests(before, manifest) : null,
            signers,
            // Absent on records stored before the registry linted publishes: "not scanned", never "clean".
            findings: findingsOf(record),
          };
        }),
      );
      const who = `${principal.label || principal.tokenId} (${principal.role})`;
      return sendHtml(
        reply,
        queueFragment({ items, who, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }),
      );
    },
  );

  // ── Admins: the audit log ───────────────────────────────────────────────────────────────────
  app.get(
    '/audit',
    { config: { openapi: { summary: 'Web UI: the audit log (HTML shell)', tags, responses: html } } },
    async (_r, reply) => sendHtml(reply, shell('Audit log', 'audit', auditShell())),
  );

  app.get<{ Querystring: { cursor?: string; action?: string; name?: string } }>(
    '/fragments/audit',
    {
      schema: {
        querystring: { type: 'object', properties: { cursor: str(32), action: str(64), name: str(200) } },
      },
      config: {
        openapi: { summary: 'Web UI fragment: audit events (HTML, admins)', tags, responses: html, auth: 'required' },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const page = await service.audit(principalOf(request), {
        limit: AUDIT_PAGE,
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.name ? { name: q.name } : {}),
      });
      return sendHtml(
        reply,
        auditFragment({
          events: page.items,
          action: q.action ?? '',
          name: q.name ?? '',
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        }),
      );
    },
  );

  // ── Session ─────────────────────────────────────────────────────────────────────────────────
  app.get(
    '/login',
    { config: { openapi: { summary: 'Web UI: log in with a registry token (HTML)', tags, responses: html } } },
    async (_r, reply) => sendHtml(reply, shell('Log in', 'login', loginContent())),
  );

  app.get(
    '/fragments/session',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['tokenId', 'role', 'label', 'scopes'],
            properties: {
              tokenId: { type: 'string' },
              role: { type: 'string', enum: [...ROLES] },
              label: { type: 'string' },
              scopes: { type: 'array', items: { type: 'string' } },
            },
          },
          ...ownErrors,
        },
      },
      config: { openapi: { summary: 'Web UI: who the bearer token stands for (JSON)', tags, auth: 'required' } },
    },
    async (request: FastifyRequest) => {
      const p = principalOf(request);
      return { tokenId: p.tokenId, role: p.role, label: p.label, scopes: [...p.scopes] };
    },
  );
}

/** A fragment URL carrying the same query (the page's content, re-rendered for a token). */
function fragmentUrl(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  return `${path}?${params.toString()}`;
}
