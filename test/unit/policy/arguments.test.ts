// The policy's argument checks, table-driven with adversarial inputs and their benign twins: size caps
// anywhere in the arguments, JSON pointers with `*`, path allow-lists (.., percent-encoding, file: URLs,
// ~, backslashes, symlinks on a real filesystem) and URL allow-lists (userinfo, dot segments, encoded
// slashes, other schemes).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesystemPaths, kernelRealpath } from '../../../adapters/fs/path-resolver.ts';
import type { JsonValue } from '../../../core/json/strict-json.ts';
import { checkArgumentPolicy } from '../../../core/policy/argument-policy.ts';
import { selectPointer } from '../../../core/policy/json-pointer.ts';
import { allowedDirectories, pathProblem } from '../../../core/policy/path-allow.ts';
import { DEFAULT_POLICY, type EffectiveArguments } from '../../../core/policy/policy-types.ts';
import { parseUrlPrefix, urlProblem } from '../../../core/policy/url-allow.ts';
import type { PathResolver } from '../../../core/ports.ts';

const caps = (over: Partial<EffectiveArguments>): EffectiveArguments => ({ ...DEFAULT_POLICY.arguments, ...over });

describe('selectPointer', () => {
  const args: JsonValue = {
    paths: ['a', 'b'],
    edits: [{ file: 'x' }, { file: 'y' }, { other: 1 }],
    'a/b': { '~k': 1 },
  };
  it.each([
    ['/paths/*', ['/paths/0', '/paths/1']],
    ['/paths/1', ['/paths/1']],
    ['/paths/2', []],
    ['/paths/01', []],
    ['/edits/*/file', ['/edits/0/file', '/edits/1/file']],
    ['/a~1b/~0k', ['/a~1b/~0k']],
    ['/*', ['/paths', '/edits', '/a~1b']],
    ['/missing/*', []],
  ])('%s selects %j', (pointer, expected) => {
    expect(selectPointer(args, pointer, 100).matches.map((m) => m.pointer)).toEqual(expected);
  });
  it('stops at the bound and says so', () => {
    const r = selectPointer({ p: Array.from({ length: 10 }, () => 'x') }, '/p/*', 3);
    expect(r.truncated).toBe(true);
    expect(r.matches).toHaveLength(3);
  });
});

describe('caps', () => {
  it.each<[string, JsonValue, Partial<EffectiveArguments>, string | null]>([
    ['long string deep inside', { a: { b: ['ok', 'x'.repeat(11)] } }, { maxStringLength: 10 }, '/a/b/1'],
    ['benign twin: exactly at the cap', { a: { b: ['ok', 'x'.repeat(10)] } }, { maxStringLength: 10 }, null],
    ['long key', { ['k'.repeat(11)]: 1 }, { maxStringLength: 10 }, `/${'k'.repeat(11)}`],
    ['big array', { list: [[1, 2, 3, 4]] }, { maxArrayItems: 3 }, '/list/0'],
    ['benign twin: array at the cap', { list: [[1, 2, 3]] }, { maxArrayItems: 3 }, null],
    ['top-level string cap counts UTF-16 units', { s: '😀'.repeat(6) }, { maxStringLength: 11 }, '/s'],
  ])('%s', (_name, args, over, pointer) => {
    const problems = checkArgumentPolicy(args, caps(over));
    if (pointer === null) expect(problems).toEqual([]);
    else {
      expect(problems[0]?.pointer).toBe(pointer);
      expect(problems[0]?.message).toMatch(/policy max/);
    }
  });
  it('never puts the value in a problem', () => {
    const secret = `sk-${'s'.repeat(40)}`;
    const problems = checkArgumentPolicy({ token: secret }, caps({ maxStringLength: 8 }));
    expect(JSON.stringify(problems)).not.toContain(secret);
  });
});

describe('path allow-lists (lexical, with a fake filesystem)', () => {
  // /proj/docs/evil → /etc ; /proj/docs/ok → /proj/docs/real
  const links: Record<string, string> = { '/proj/docs/evil': '/etc', '/proj/docs/ok': '/proj/docs/real' };
  const fake: PathResolver = {
    cwd: '/proj',
    root: '/proj',
    home: '/home/u',
    realpath: (p) => {
      for (const [from, to] of Object.entries(links)) {
        if (p === from || p.startsWith(`${from}/`)) return to + p.slice(from.length);
      }
      return p;
    },
  };
  const dirs = allowedDirectories(['docs', '/tmp/shared/'], fake);
  it('resolves allow-list entries against the project root', () => {
    expect(dirs).toEqual(['/proj/docs', '/tmp/shared']);
  });
  it.each<[string, string, RegExp | null]>([
    ['inside, relative', 'docs/a.txt', null],
    ['inside, absolute', '/proj/docs/sub/a.txt', null],
    ['the allowed directory itself', '/tmp/shared', null],
    ['inside through a benign symlink', 'docs/ok/x', null],
    ['a name with %, not an escape', 'docs/100%.txt', null],
    ['a percent-escape that stays inside', 'docs/a%20b.txt', null],
    ['file: URL inside', 'file:///proj/docs/a.txt', null],
    ['outside, absolute', '/etc/passwd', /outside the allowed/],
    ['prefix trick', '/proj/docs-private/a', /outside the allowed/],
    ['.. escape', 'docs/../../etc/passwd', /once \.\. is resolved/],
    ['.. to a sibling', '/tmp/shared/../secret', /outside/],
    ['symlink out', 'docs/evil/passwd', /symbolic link/],
    ['percent-encoded ..', 'docs/%2e%2e/%2e%2e/etc/passwd', /percent-decoded/],
    ['double-encoded ..', 'docs/%252e%252e/%252e%252e/etc', /percent-decoded/],
    ['encoded slash', 'docs/a%2f..%2f..%2f..%2fetc', /percent-decoded/],
    ['backslash ..', 'docs/a\\..\\..\\..\\etc', /with \\ as \//],
    ['file: URL outside', 'file:///etc/passwd', /file: URL/],
    ['file: URL percent-encoded ..', 'file:///proj/docs/%2e%2e/%2e%2e/etc/passwd', /outside/],
    ['file: URL with an encoded slash', 'file:///proj/docs/..%2f..%2fetc', /encoded slash/],
    ['file: URL on another host', 'file://evil.example/proj/docs/a', /another host/],
    ['~ is the home directory', '~/.ssh/id_rsa', /outside/],
    ['NUL byte', 'docs/a\u0000/../../etc', /NUL/],
    ['too long', `docs/${'a'.repeat(5000)}`, /longer than/],
  ])('%s', (_name, raw, expected) => {
    const why = pathProblem(raw, dirs, fake);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });
  it('a relative path with no known working directory is refused', () => {
    expect(pathProblem('docs/a', dirs, { ...fake, cwd: null })).toMatch(/working directory is not known/);
    expect(pathProblem('/proj/docs/a', dirs, { ...fake, cwd: null })).toBeNull();
  });
  it('an empty allow-list allows nothing', () => {
    expect(pathProblem('/proj/docs/a', [], fake)).toMatch(/outside/);
  });
});

describe('path allow-lists on a real filesystem', () => {
  let base: string;
  let fs: PathResolver;
  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-lock-paths-')));
    mkdirSync(join(base, 'root', 'docs', 'sub'), { recursive: true });
    mkdirSync(join(base, 'secret'));
    writeFileSync(join(base, 'secret', 'key'), 'x');
    symlinkSync(join(base, 'secret'), join(base, 'root', 'docs', 'out'));
    symlinkSync(join(base, 'root', 'docs', 'sub'), join(base, 'root', 'docs', 'in'));
    // docs/up → docs/sub; "docs/up/../../secret" is docs/secret lexically, but the kernel reads it as
    // sub/../../secret = root/secret... and docs/sub2 → base/secret/.. style chains.
    symlinkSync(join(base, 'secret'), join(base, 'root', 'docs', 'sub', 'deep'));
    fs = filesystemPaths({ cwd: join(base, 'root'), root: join(base, 'root'), home: join(base, 'home') });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it.each<[string, RegExp | null]>([
    ['docs/sub/file-to-create.txt', null],
    ['docs/in/new/dir/file', null],
    ['docs/out/key', /symbolic link/],
    ['docs/out', /symbolic link/],
    ['docs/out/../../secret/key', /outside/],
    ['docs/sub/deep/../key', /symbolic link/],
    ['docs/in/../../../secret/key', /outside/],
    ['docs/new/../../secret', /outside/],
  ])('%s', (raw, expected) => {
    const why = pathProblem(raw, allowedDirectories(['docs'], fs), fs);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });

  it('kernelRealpath follows links the way the kernel does (link/.. is the target parent)', () => {
    expect(kernelRealpath(`${join(base, 'root', 'docs', 'out')}/..`)).toBe(base);
    expect(kernelRealpath(join(base, 'root', 'docs', 'in', 'not', 'there'))).toBe(
      join(base, 'root', 'docs', 'sub', 'not', 'there'),
    );
  });

  it('kernelRealpath on a deep path that does not exist keeps the missing rest (and stays cheap)', () => {
    const deep = `${join(base, 'root', 'docs', 'in')}/${Array.from({ length: 1500 }, (_, i) => `d${i}`).join('/')}`;
    expect(kernelRealpath(deep)).toBe(deep.replace(join('docs', 'in'), join('docs', 'sub')));
  });

  it('an allowed directory that is itself a symlink allows its target', () => {
    const dirs = allowedDirectories(['docs/in'], fs);
    expect(dirs).toEqual([join(base, 'root', 'docs', 'sub')]);
    expect(pathProblem('docs/in/a', dirs, fs)).toBeNull();
    expect(pathProblem('docs/sub/a', dirs, fs)).toBeNull();
  });
});

describe('URL allow-lists', () => {
  const prefixes = ['https://docs.example.com/api/', 'http://127.0.0.1:8080', 'https://example.org/v1'].map(
    (e) => parseUrlPrefix(e)!,
  );
  it.each<[string, string, RegExp | null]>([
    ['inside', 'https://docs.example.com/api/users?id=1#top', null],
    ['host case and default port normalised', 'HTTPS://DOCS.example.com:443/api/x', null],
    ['loopback with port, any path', 'http://127.0.0.1:8080/anything', null],
    ['segment boundary, exact', 'https://example.org/v1', null],
    ['segment boundary, below', 'https://example.org/v1/x', null],
    ['segment boundary trick', 'https://example.org/v10/x', /not under an allowed/],
    ['other path', 'https://docs.example.com/admin', /not under an allowed/],
    ['other host', 'https://evil.example/api/', /not under an allowed/],
    ['host suffix trick', 'https://docs.example.com.evil.example/api/', /not under an allowed/],
    ['userinfo trick', 'https://docs.example.com@evil.example/api/', /user name/],
    ['userinfo with password', 'https://docs.example.com:x@evil.example/api/', /user name/],
    ['.. segment', 'https://docs.example.com/api/../admin', /\. or \.\./],
    ['encoded .. segment', 'https://docs.example.com/api/%2e%2e/admin', /\. or \.\./],
    ['mixed encoded .. segment', 'https://docs.example.com/api/.%2E/admin', /\. or \.\./],
    ['encoded slash', 'https://docs.example.com/api%2f..%2fadmin', /encoded slash/],
    ['backslash', 'https://docs.example.com\\@evil.example/api/', /backslash/],
    ['other port', 'http://127.0.0.1:8081/', /not under an allowed/],
    ['other scheme', 'file:///etc/passwd', /not http/],
    ['no slashes', 'https:docs.example.com/api/', /not written as/],
    ['tab inside', 'https://docs.exa\tmple.com/api/', /control/],
    ['relative', '/api/x', /not an absolute URL/],
    ['http downgrade', 'http://docs.example.com/api/', /not under an allowed/],
  ])('%s', (_name, raw, expected) => {
    const why = urlProblem(raw, prefixes);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });
});

describe('checkArgumentPolicy with marked arguments', () => {
  const policy = caps({
    paths: { '/path': { allow: ['/data'] }, '/paths/*': { allow: ['/data'] } },
    urls: { '/url': { allow: ['https://example.com/'] } },
  });
  const fs: PathResolver = { cwd: '/data', root: '/', home: null, realpath: (p) => p };
  it.each<[string, JsonValue, string[]]>([
    ['all inside', { path: '/data/a', paths: ['b', '/data/c'], url: 'https://example.com/x' }, []],
    ['absent marked arguments pass', { other: '/etc/passwd' }, []],
    ['one item of an array outside', { paths: ['a', '/etc/x', 'b'] }, ['/paths/1']],
    ['not a string', { path: ['/data/a'] }, ['/path']],
    ['url outside', { url: 'https://example.com.evil/' }, ['/url']],
  ])('%s', (_name, args, pointers) => {
    const problems = checkArgumentPolicy(args, policy, fs);
    expect(problems.map((p) => p.pointer)).toEqual(pointers);
    for (const p of problems) expect(p.message).toMatch(/\(policy (paths|urls) /);
  });
  it('bounds the values all rules of one call may select together', () => {
    const many = Array.from({ length: 200 }, (_, i) => `/data/${i}`);
    const two = caps({ paths: { '/a/*': { allow: ['/data'] }, '/b/*': { allow: ['/data'] } } });
    expect(checkArgumentPolicy({ a: many }, two, fs)).toEqual([]);
    const refused = checkArgumentPolicy({ a: many, b: many }, two, fs);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.message).toMatch(/more than 256 values/);
  });
  it.each<[string, JsonValue, string[]]>([['benign twin of the bound: few values', { path: '/data/a' }, []]])(
    '%s',
    (_name, args, pointers) => {
      const problems = checkArgumentPolicy(args, policy, fs);
      expect(problems.map((p) => p.pointer)).toEqual(pointers);
      for (const p of problems) expect(p.message).toMatch(/\(policy (paths|urls) /);
    },
  );
});
