// Where `publish --oidc` finds an OIDC ID token: a file (--oidc-token-file), MCP_LOCK_OIDC_TOKEN, or
// GitHub Actions' token service (ACTIONS_ID_TOKEN_REQUEST_URL with ACTIONS_ID_TOKEN_REQUEST_TOKEN, the
// job needing `permissions: id-token: write`), asked for the registry as audience. Never logged.

import { McpLockError } from '../../core/errors.ts';
import { readInputFile } from '../fs/read-input.ts';
import { boundedRequest } from '../registry-client/http.ts';

export interface CiTokenSources {
  file?: string;
  env: Readonly<Record<string, string | undefined>>;
  audience: string;
  signal?: AbortSignal;
}

export async function ciIdToken(sources: CiTokenSources): Promise<string> {
  if (sources.file)
    return readInputFile(sources.file, 'OIDC token', 16 * 1024)
      .toString('utf8')
      .trim();
  const direct = sources.env.MCP_LOCK_OIDC_TOKEN;
  if (direct) return direct.trim();
  const url = sources.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = sources.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) {
    throw new McpLockError('USAGE', 'no OIDC ID token found', {
      hint:
        'In GitHub Actions give the job `permissions: id-token: write`; elsewhere pass --oidc-token-file or set ' +
        'MCP_LOCK_OIDC_TOKEN.',
    });
  }
  const request = new URL(url);
  request.searchParams.set('audience', sources.audience);
  const response = await boundedRequest({
    method: 'GET',
    url: request,
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
    limits: { connectTimeoutMs: 10_000, maxResponseBytes: 64 * 1024, timeoutMs: 30_000 },
    ...(sources.signal ? { signal: sources.signal } : {}),
  });
  let value: unknown;
  try {
    value = (JSON.parse(response.body.toString('utf8')) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (response.status !== 200 || typeof value !== 'string') {
    throw new McpLockError('NETWORK_ERROR', `the CI token service answered ${response.status} without a token`, {
      hint: 'Check the job has `permissions: id-token: write`.',
    });
  }
  return value;
}
