// `mcp-lock update`: move a pinned server to another version, after showing exactly what changes.

import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { prepareCandidate } from '../../adapters/consumer/candidate.ts';
import { applyPin } from '../../adapters/consumer/pin.ts';
import { readInputFile } from '../../adapters/fs/read-input.ts';
import {
  bundlePath,
  ensureStateDirs,
  loadManifest,
  manifestPath,
  readLock,
  storeDir,
} from '../../adapters/project/project.ts';
import { projectTrustedRoot } from '../../adapters/project/verify-entry.ts';
import { McpLockError } from '../../core/errors.ts';
import { getEntry, treeRulesOf } from '../../core/lockfile/lockfile.ts';
import { manifestDigest } from '../../core/manifest/manifest.ts';
import { diffManifests } from '../../core/manifest/manifest-diff.ts';
import { action, type CommandContext } from '../command.ts';
import { confirm } from '../prompt.ts';
import { renderManifestDiff } from '../render/manifest-diff.ts';
import { GENERATOR, VERSION } from '../version.ts';
import { npmInstallOptions, parseNameVersion, pinSummary } from './add.ts';
import { reportPinChecks } from './pin-checks.ts';

export interface UpdateOptions {
  project?: string;
  yes?: boolean;
  allowSignerChange?: boolean;
  allowShadowing?: boolean;
  signerKey?: string;
  npmRegistry?: string;
  allowWiderPermissions?: boolean;
}

export function registerUpdate(program: Command): void {
  program
    .command('update')
    .summary('update a pinned server, showing a field-level diff first')
    .description(
      'Fetch another version of a pinned server (default: the registry’s latest approved; for a TOFU pin, the npm ' +
        'package introspected again), verify it exactly like `add`, and show what changed field by field: ' +
        'descriptions, schemas, annotations, instructions, prompts, resources and the dependency tree, with hidden ' +
        'and control characters made visible, and the permissions the sandbox enforces. Asks before writing (--yes for ' +
        'scripts); a version that asks for wider permissions is refused unless --allow-wider-permissions.',
    )
    .argument('<server>', 'name[@version]; for a TOFU pin, name@<npm version or spec>')
    .option('-C, --project <dir>', 'project directory holding mcp-lock.json (default: current directory)')
    .option('-y, --yes', 'write without asking')
    .option('--signer-key <public.pem>', 'the publisher key to trust instead of the registry’s namespace keys')
    .option('--allow-signer-change', 'accept a different publisher signer than the one pinned')
    .option('--allow-shadowing', 'update even if a tool name collides with another pinned server’s tool')
    .option('--npm-registry <url>', 'npm registry to download tarballs from', 'https://registry.npmjs.org')
    .option(
      '--allow-wider-permissions',
      'accept a version that may read, write or reach more than the pinned one (refused otherwise, even with --yes)',
    )
    .action(
      action(async (ctx, server: string, options: UpdateOptions) => {
        const { name, version } = parseNameVersion(server);
        return movePin(ctx, options, name, version === 'latest' ? undefined : version);
      }),
    );
}

/**
 * Move a pinned server to `to` (default: the registry's latest approved), verified like `add`, after
 * showing the field-level diff and asking (update and rollback share this).
 */
export async function movePin(
  ctx: CommandContext,
  options: UpdateOptions,
  name: string,
  to: string | undefined,
): Promise<number> {
  const root = resolve(ctx.cwd, options.project ?? '.');
  const lock = readLock(root);
  const entry = getEntry(lock, name);
  const current = loadManifest(root, entry.manifest, treeRulesOf(lock));
  const candidate = await prepareCandidate(lock, name, entry, current, {
    project: root,
    ...(to !== undefined ? { to } : {}),
    allowSignerChange: Boolean(options.allowSignerChange),
    ...(options.signerKey
      ? {
          signerKeyPem: readInputFile(resolve(ctx.cwd, options.signerKey), 'signer key', 64 * 1024).toString('utf8'),
        }
      : {}),
    trustedRoot: projectTrustedRoot(root),
    callerEnv: ctx.env,
    generator: GENERATOR,
    client: { name: 'mcp-lock', version: VERSION },
    onProgress: (m) => ctx.out.progress(m),
  });
  const digest = manifestDigest(candidate.manifest);
  const diff = diffManifests(current, candidate.manifest);
  if (digest === entry.manifest) {
    ctx.out.result(
      { ok: true, server: name, changed: false, version: entry.version },
      `${ctx.out.untrusted(name)}@${ctx.out.untrusted(entry.version)} is up to date`,
    );
    return 0;
  }
  if (!ctx.out.json) {
    ctx.out.progress(`${name}: ${entry.version} → ${candidate.manifest.server.version}`);
    for (const line of renderManifestDiff(diff)) ctx.out.progress(`  ${line}`);
  }
  if (diff.permissions.widened.length > 0 && !options.allowWiderPermissions) {
    throw new McpLockError(
      'PERMISSIONS_WIDENED',
      `${name}@${candidate.manifest.server.version} asks for more than the pinned version: ${diff.permissions.widened
        .map((c) => `${c.field} ${c.value}`)
        .join('; ')}`,
      {
        hint: 'Review the wider permissions, then pass --allow-wider-permissions to accept them.',
        data: { widened: diff.permissions.widened },
      },
    );
  }
  if (
    !(await confirm(
      `Pin ${name}@${candidate.manifest.server.version}?`,
      Boolean(options.yes) || (ctx.out.json && Boolean(options.yes)),
    ))
  ) {
    ctx.out.result({ ok: false, server: name, changed: false, aborted: true, diff }, 'Nothing changed.');
    return 0;
  }
  const checks = reportPinChecks(ctx, root, lock, candidate, { allowShadowing: Boolean(options.allowShadowing) });
  ensureStateDirs(root);
  const updated = await applyPin(root, lock, candidate, npmInstallOptions(options.npmRegistry));
  // Clean up what only the old pin used (the lock is already written).
  if (!Object.values(lock.servers).some((e) => e.manifest === entry.manifest)) {
    for (const path of [
      manifestPath(root, entry.manifest),
      bundlePath(root, entry.manifest, 'publisher'),
      bundlePath(root, entry.manifest, 'approval'),
    ]) {
      if (existsSync(path)) rmSync(path);
    }
  }
  rmSync(storeDir(root, name, entry.manifest), { recursive: true, force: true });
  ctx.out.result(
    { ok: true, server: name, changed: true, from: entry.version, to: updated.version, diff, ...checks },
    pinSummary(ctx, candidate),
  );
  return 0;
}
