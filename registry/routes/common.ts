// Shapes several route files share: path parameters, the official list query, error responses.

import { apiRef } from '../../core/registry/api-schema.ts';

export const serverNameParam = {
  type: 'string',
  minLength: 1,
  maxLength: 600,
  description: 'URL-encoded server name (e.g., "com.example%2Fmy-server")',
} as const;

export const versionParam = {
  type: 'string',
  minLength: 1,
  maxLength: 600,
  description: 'URL-encoded version (e.g., "1.0.0" or "1.0.0%2B20130313144700"), or "latest"',
} as const;

export const nameParams = {
  type: 'object',
  required: ['serverName'],
  properties: { serverName: serverNameParam },
} as const;

export const nameVersionParams = {
  type: 'object',
  required: ['serverName', 'version'],
  properties: { serverName: serverNameParam, version: versionParam },
} as const;

export const ownErrors = { '4xx': apiRef('ErrorBody'), '5xx': apiRef('ErrorBody') } as const;
export const officialErrors = { '4xx': apiRef('OfficialErrorBody'), '5xx': apiRef('OfficialErrorBody') } as const;

export interface NameParams {
  serverName: string;
}
export interface NameVersionParams extends NameParams {
  version: string;
}

/** `{count, nextCursor?}` for a page. */
export function pageMetadata(count: number, nextCursor: string | undefined): { count: number; nextCursor?: string } {
  return nextCursor ? { count, nextCursor } : { count };
}
