// The bubblewrap command line: an allow-list in the right order (later mounts cover earlier ones), the
// network always unshared, the server's own code read-only even inside a writable declared path.

import { describe, expect, it } from 'vitest';
import { type HostLayout, planBwrap, sandboxHome } from '../../../core/sandbox/bwrap-plan.ts';

const host: HostLayout = {
  system: [{ path: '/usr' }, { path: '/bin', symlink: 'usr/bin' }, { path: '/lib64', symlink: 'usr/lib64' }],
  etc: ['/etc/ld.so.cache'],
  runtime: { path: '/opt/node/bin/node', real: '/opt/node/bin/node' },
};
const none = { read: [], write: [], network: [], subprocesses: true };

/** The [flag, source, dest] triples of the mounts, in order. */
function mounts(args: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (['--ro-bind', '--bind', '--ro-bind-try', '--bind-try', '--symlink'].includes(a)) {
      out.push([a, args[i + 1]!, args[i + 2]!]);
      i += 2;
    } else if (['--tmpfs', '--proc', '--dev'].includes(a)) {
      out.push([a, args[i + 1]!]);
      i += 1;
    }
  }
  return out;
}

describe('planBwrap', () => {
  it('unshares every namespace and shows only the runtime, the server and a private /tmp and HOME', () => {
    const args = planBwrap({ host, home: '/home/u', installDir: '/p/.mcp-lock/store/x/abc', permissions: none });
    expect(args.slice(0, 3)).toEqual(['--unshare-all', '--die-with-parent', '--new-session']);
    expect(args).not.toContain('--share-net');
    expect(mounts(args)).toEqual([
      ['--ro-bind', '/usr', '/usr'],
      ['--symlink', 'usr/bin', '/bin'],
      ['--symlink', 'usr/lib64', '/lib64'],
      ['--proc', '/proc'],
      ['--dev', '/dev'],
      ['--tmpfs', '/tmp'],
      ['--tmpfs', '/home/u'],
      ['--ro-bind', '/etc/ld.so.cache', '/etc/ld.so.cache'],
      ['--ro-bind', '/opt/node/bin/node', '/opt/node/bin/node'],
      ['--ro-bind', '/p/.mcp-lock/store/x/abc', '/p/.mcp-lock/store/x/abc'],
    ]);
    expect(args.slice(-2)).toEqual(['--chdir', '/p/.mcp-lock/store/x/abc']);
  });

  it('binds declared paths after the private HOME, parents first, and the server read-only last', () => {
    const args = planBwrap({
      host: { ...host, runtime: { path: '/usr/bin/node', real: '/usr/bin/node' } },
      home: '/home/u',
      installDir: '/home/u/proj/.mcp-lock/store/x/abc',
      permissions: { ...none, read: ['/home/u/proj/docs', '/srv'], write: ['/home/u/proj'] },
    });
    const m = mounts(args).map((x) => `${x[0]} ${x.at(-1)}`);
    expect(m.indexOf('--tmpfs /home/u')).toBeLessThan(m.indexOf('--bind-try /home/u/proj'));
    expect(m.indexOf('--bind-try /home/u/proj')).toBeLessThan(m.indexOf('--ro-bind-try /home/u/proj/docs'));
    expect(m.at(-1)).toBe('--ro-bind /home/u/proj/.mcp-lock/store/x/abc');
    expect(m).toContain('--ro-bind-try /srv');
    // Node under /usr is already there: no extra bind.
    expect(m).not.toContain('--ro-bind /usr/bin/node');
  });

  it('binds the proxy socket directory and the bridge only when the server may use the network', () => {
    const withProxy = planBwrap({
      host,
      home: '/home/u',
      installDir: '/i',
      permissions: { ...none, network: ['a.io:443'] },
      proxy: { socketDir: '/tmp/mcp-lock-proxy-1', bridge: '/opt/mcp-lock/proxy-bridge.mjs' },
    });
    expect(mounts(withProxy)).toContainEqual(['--ro-bind', '/tmp/mcp-lock-proxy-1', '/tmp/mcp-lock-proxy-1']);
    expect(mounts(withProxy)).toContainEqual([
      '--ro-bind',
      '/opt/mcp-lock/proxy-bridge.mjs',
      '/opt/mcp-lock/proxy-bridge.mjs',
    ]);
    const without = planBwrap({ host, home: '/home/u', installDir: '/i', permissions: none });
    expect(without.join(' ')).not.toContain('mcp-lock-proxy');
  });

  it('binds a symlinked Node executable at the path it is started by', () => {
    const args = planBwrap({
      host: { ...host, runtime: { path: '/usr/local/bin/node', real: '/opt/n/24/bin/node' } },
      home: '/h',
      installDir: '/i',
      permissions: none,
    });
    expect(mounts(args)).toContainEqual(['--ro-bind', '/opt/n/24/bin/node', '/usr/local/bin/node']);
  });
});

describe('sandboxHome', () => {
  it.each([
    ['/home/u', '/home/u'],
    ['/home/u/', '/home/u'],
    ['/', '/home/mcp-lock'],
    ['relative', '/home/mcp-lock'],
    [undefined, '/home/mcp-lock'],
  ])('%s → %s', (input, expected) => {
    expect(sandboxHome(input)).toBe(expected);
  });
});
