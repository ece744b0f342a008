// The sandbox tests need bubblewrap, a system package: `npm test` installs it on a fresh machine
// (scripts/system-deps). Without it they fail with this message, never skip.

import { spawnSync } from 'node:child_process';

export function requireBwrap(): void {
  const probe = spawnSync('bwrap', ['--unshare-all', '--ro-bind', '/', '/', '--', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `bubblewrap cannot run here (${probe.error?.message ?? probe.stderr.trim()}): install the Debian package ` +
        '`bubblewrap` (npm test does it through scripts/system-deps) and allow unprivileged user namespaces',
    );
  }
}
