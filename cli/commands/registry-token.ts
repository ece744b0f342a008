// `mcp-lock registry token create|list|revoke`: administer API tokens in a data directory (server side;
// the registry may be running). A new token is shown once; only its sha256 is stored.

import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { assertRole, ROLES } from '../../core/registry/tokens.ts';
import { action, collect } from '../command.ts';
import { type DataOptions, openStoreFor, withDataOptions } from './registry-options.ts';

interface CreateOptions extends DataOptions {
  role: string;
  scope?: string[];
  label?: string;
}

export function registerRegistryToken(registry: Command): void {
  const token = registry
    .command('token')
    .summary('create, list and revoke registry API tokens (on the data directory)')
    .description(
      'Administer registry API tokens directly in a data directory (the registry may be running). Roles: ' +
        'publisher (publish), curator (approve, reject, deprecate, yank, review queue), admin (everything and the ' +
        'audit log). Scopes limit a token to server names: "io.github.acme/*", an exact name, or "*".',
    );

  withDataOptions(
    token
      .command('create')
      .description('Create a token and print it once. Store it in a secret manager; it cannot be shown again.')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
      .option('--scope <pattern>', 'server names it may act on (repeatable; admin defaults to "*")', collect)
      .option('--label <text>', 'who or what holds it (shown in approvals and the audit log)', ''),
  ).action(
    action(async (ctx, options: CreateOptions) => {
      assertRole(options.role);
      const { createToken } = await import('../../core/registry/admin.ts');
      const { store } = await openStoreFor(ctx, options);
      try {
        const { token, record } = await createToken(store, {
          role: options.role,
          scopes: options.scope ?? [],
          label: options.label ?? '',
          secret: randomBytes(32),
          idBytes: randomBytes(8),
          now: new Date().toISOString(),
        });
        ctx.out.result({ token, id: record.id, role: record.role, scopes: record.scopes, label: record.label }, [
          token,
          '',
          `id ${record.id}, role ${record.role}, scopes ${record.scopes.join(' ')}`,
          'This is the only time the token is shown; store it now (e.g. as MCP_LOCK_TOKEN in your CI secrets).',
        ]);
      } finally {
        await store.close();
      }
    }),
  );

  withDataOptions(
    token.command('list').description('List tokens: id, role, scopes, label, created, revoked (never the token).'),
  ).action(
    action(async (ctx, options: DataOptions) => {
      const { store } = await openStoreFor(ctx, options);
      try {
        const tokens = (await store.listTokens()).map(({ hash: _hash, ...rest }) => rest);
        ctx.out.result({ tokens }, () =>
          tokens.length === 0
            ? ['no tokens']
            : tokens.map(
                (t) =>
                  `${t.id}  ${t.role.padEnd(9)}  ${t.scopes.map((s) => ctx.out.untrusted(s)).join(',')}  ` +
                  `${ctx.out.untrusted(t.label)}  created ${t.createdAt}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}`,
              ),
        );
      } finally {
        await store.close();
      }
    }),
  );

  withDataOptions(
    token
      .command('revoke')
      .description('Revoke a token by id; requests with it fail from then on.')
      .argument('<id>', 'token id (tok_…)'),
  ).action(
    action(async (ctx, id: string, options: DataOptions) => {
      const { revokeToken } = await import('../../core/registry/admin.ts');
      const { store } = await openStoreFor(ctx, options);
      try {
        const record = await revokeToken(store, id, new Date().toISOString());
        ctx.out.result({ id: record.id, revokedAt: record.revokedAt }, `revoked ${record.id}`);
      } finally {
        await store.close();
      }
    }),
  );
}
