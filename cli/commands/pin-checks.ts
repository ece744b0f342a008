// Checks shown before a pin is written (add, update, import): the poisoning lint over the new server's
// surface, and cross-server shadowing against the other pinned servers. Findings are shown; an exact
// tool-name collision blocks unless --allow-shadowing or a suppression in the lock accepts it.

import type { PreparedPin } from '../../adapters/consumer/pin.ts';
import { loadManifest } from '../../adapters/project/project.ts';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import type { JsonObject } from '../../core/json/strict-json.ts';
import { treeRulesOf } from '../../core/lockfile/lockfile.ts';
import {
  applySuppressions,
  BLOCKING_SHADOW_RULES,
  formatFindingsText,
  type ScanFinding,
  scanManifest,
  shadowingOf,
} from '../../core/scan/index.ts';
import type { CommandContext } from '../command.ts';

export interface PinCheckReport {
  findings: ScanFinding[];
  suppressed: number;
}

export function reportPinChecks(
  ctx: CommandContext,
  root: string,
  lock: McpLockFile,
  pin: PreparedPin,
  options: { allowShadowing: boolean },
): PinCheckReport {
  const others = Object.entries(lock.servers)
    .filter(([name]) => name !== pin.name)
    .map(([name, entry]) => ({
      name,
      tools: loadManifest(root, entry.manifest, treeRulesOf(lock)).surface.tools.map((t) => t.definition as JsonObject),
    }));
  const mine = { name: pin.name, tools: pin.manifest.surface.tools.map((t) => t.definition as JsonObject) };
  // Only what involves the new server: findings among the others were reported when they were pinned.
  // Shadowing is between servers: the first one pinned shadows nothing (and is not digested for it).
  const shadowing = others.length === 0 ? [] : shadowingOf(pin.name, [...others, mine]);
  const lint = scanManifest(pin.manifest);
  const { active, suppressed } = applySuppressions([...lint, ...shadowing], lock.suppressions ?? []);
  if (active.length > 0) {
    ctx.out.warn(
      `${active.length} lint finding(s) for ${ctx.out.untrusted(pin.name)} (review them; \`mcp-lock scan\` explains each rule):`,
    );
    for (const line of formatFindingsText(active)) ctx.out.progress(`  ${line}`);
  }
  const blocking = active.filter((f) => BLOCKING_SHADOW_RULES.has(f.rule));
  if (blocking.length > 0 && !options.allowShadowing) {
    throw new McpLockError(
      'SHADOWING_DETECTED',
      `${pin.name} would shadow tools of other pinned servers: ${blocking
        .map((f) => f.item)
        .slice(0, 5)
        .join(', ')}`,
      {
        hint: 'Two servers offering one tool name lets one hijack calls meant for the other. Pass --allow-shadowing (or add a suppression to the lock) if this is intended.',
        data: { findings: blocking },
      },
    );
  }
  return { findings: active, suppressed: suppressed.length };
}
