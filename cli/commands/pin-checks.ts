// Checks shown before a pin is written: cross-server tool shadowing against the other pinned servers
// (exact collisions block unless --allow-shadowing) — what `add`, `update` and `import` share.

import type { PreparedPin } from '../../adapters/consumer/pin.ts';
import { McpLockError } from '../../core/errors.ts';
import type { McpLockFile } from '../../core/generated/lockfile.ts';
import type { CommandContext } from '../command.ts';

export interface PinCheckReport {
  shadowing: { tool: string; otherServer: string; kind: string }[];
}

export function reportPinChecks(
  ctx: CommandContext,
  _root: string,
  lock: McpLockFile,
  pin: PreparedPin,
  options: { allowShadowing: boolean },
): PinCheckReport {
  const shadowing: PinCheckReport['shadowing'] = [];
  const mine = new Set(pin.manifest.surface.tools.map((t) => t.key));
  for (const [other, entry] of Object.entries(lock.servers)) {
    if (other === pin.name) continue;
    for (const tool of Object.keys(entry.surface.tools)) {
      if (mine.has(tool)) shadowing.push({ tool, otherServer: other, kind: 'exact' });
    }
  }
  for (const s of shadowing) {
    ctx.out.warn(
      `tool ${ctx.out.untrusted(s.tool)} of ${ctx.out.untrusted(pin.name)} has the same name as a tool of ${ctx.out.untrusted(s.otherServer)}`,
    );
  }
  const exact = shadowing.filter((s) => s.kind === 'exact');
  if (exact.length > 0 && !options.allowShadowing) {
    throw new McpLockError(
      'SHADOWING_DETECTED',
      `${pin.name} would shadow ${exact.length} tool(s) of other pinned servers: ${exact
        .map((s) => s.tool)
        .slice(0, 5)
        .join(', ')}`,
      {
        hint: 'A tool with the same name in two servers lets one hijack calls meant for the other. Pass --allow-shadowing if this is intended.',
        data: { shadowing },
      },
    );
  }
  return { shadowing };
}
