// `mcp-lock registry approve|reject|deprecate|yank <name>@<version>` and `registry queue`: curation over
// HTTP with a curator token. Approving makes the registry countersign the manifest digest.

import type { Command } from 'commander';
import { parseNameAtVersion } from '../../core/registry/names.ts';
import type { VersionInfo } from '../../core/registry/response.ts';
import type { CurationAction } from '../../core/registry/status.ts';
import { action, usageError } from '../command.ts';
import { type ClientOptions, clientFor, withClientOptions } from './registry-options.ts';

interface CurateOptions extends ClientOptions {
  reason?: string;
}

const HELP: Record<CurationAction, { summary: string; description: string }> = {
  approve: {
    summary: 'approve a pending version (the registry countersigns it)',
    description:
      'Approve a pending version. The registry signs an in-toto approval statement over the same manifest digest ' +
      'with its own key; consumers verify that countersignature before they pin or install the version.',
  },
  reject: {
    summary: 'reject a pending version, with a reason',
    description: 'Reject a pending version with a reason. Rejected versions are final and never served to consumers.',
  },
  deprecate: {
    summary: 'deprecate an approved version, with a reason',
    description: 'Deprecate an approved version with a reason. It stays installable; clients show the reason.',
  },
  yank: {
    summary: 'yank a version, with a reason (clients refuse it)',
    description:
      'Yank a version with a reason. It disappears from listings, stays readable with status "deleted" so ' +
      'clients can refuse it, and `mcp-lock verify --online` fails for locks that pin it.',
  },
};

function statusLine(v: VersionInfo, untrusted: (t: string) => string): string {
  const reason = v.statusReason ? ` (${untrusted(v.statusReason)})` : '';
  const approval = v.approval
    ? `; approved by ${untrusted(v.approval.curator)} with key ${v.approval.keyId.slice(0, 16)}…`
    : '';
  return `${untrusted(v.name)}@${untrusted(v.version)} is ${v.status}${reason}${approval}`;
}

export function registerRegistryCurate(registry: Command): void {
  for (const act of ['approve', 'reject', 'deprecate', 'yank'] as const) {
    const command = registry
      .command(act)
      .summary(HELP[act].summary)
      .description(`${HELP[act].description}\n\nNeeds a curator or admin token whose scopes cover the server.`)
      .argument('<name@version>', 'e.g. io.github.acme/weather@1.2.0');
    if (act === 'approve') command.option('--reason <text>', 'optional note for the audit log');
    else command.requiredOption('--reason <text>', 'why (required; shown to clients, at most 500 characters)');
    withClientOptions(command).action(
      action(async (ctx, spec: string, options: CurateOptions) => {
        const { name, version } = parseNameAtVersion(spec);
        if (act !== 'approve' && !options.reason?.trim()) throw usageError(`${act} needs --reason`);
        const client = await clientFor(ctx, options, true);
        const info = await client.curate(name, version, act, options.reason);
        ctx.out.result(
          info,
          statusLine(info, (t) => ctx.out.untrusted(t)),
        );
      }),
    );
  }

  withClientOptions(
    registry
      .command('queue')
      .summary('list versions waiting for review')
      .description('List pending versions in your token’s scopes, each with the approved version to compare it with.')
      .option('--limit <n>', 'at most this many (1-100)', '30'),
  ).action(
    action(async (ctx, options: ClientOptions & { limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw usageError('--limit is an integer from 1 to 100');
      const client = await clientFor(ctx, options, true);
      const queue = await client.queue({ limit });
      ctx.out.result(queue, () =>
        queue.items.length === 0
          ? ['nothing is waiting for review']
          : queue.items.map((i) => {
              const v = i.version;
              const prev = i.previousApproved
                ? `, compare with ${ctx.out.untrusted(i.previousApproved.version)}`
                : ', first version';
              return `${ctx.out.untrusted(v.name)}@${ctx.out.untrusted(v.version)}  published ${v.publishedAt}${prev}`;
            }),
      );
    }),
  );
}
