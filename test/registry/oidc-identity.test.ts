// How an OIDC session's claims name the keyless Sigstore identity it must have signed with (GitHub
// Actions' job_workflow_ref → Fulcio's SAN, else a verified email, else sub), and the config setting that
// asks for it per namespace.

import { describe, expect, test } from 'vitest';
import { oidcIdentityModeFor, parseOidcIdentity } from '../../core/registry/oidc-identity.ts';
import { resolveRegistryConfig } from '../../registry/config.ts';
import { expectCode } from '../helpers/expect-code.ts';

const GITHUB = 'https://token.actions.githubusercontent.com';

describe('parseOidcIdentity', () => {
  test('GitHub Actions: https://github.com/<job_workflow_ref>, whatever sub says', () => {
    const claims = {
      sub: 'repo:acme/weather:ref:refs/heads/main',
      job_workflow_ref: 'acme/shared/.github/workflows/release.yml@refs/tags/v1',
    };
    expect(parseOidcIdentity(GITHUB, claims)).toEqual({
      issuer: GITHUB,
      identity: 'https://github.com/acme/shared/.github/workflows/release.yml@refs/tags/v1',
    });
  });

  test('a malformed job_workflow_ref names no identity (no fallback to sub)', () => {
    for (const ref of ['acme/weather', 'acme/weather/.github/workflows/x.yml', 'a b/c/d@e', `a/b/c@${'\u0000'}`]) {
      expect(parseOidcIdentity(GITHUB, { sub: 'repo:acme/weather', job_workflow_ref: ref }), ref).toBeUndefined();
    }
  });

  test('other issuers: a verified email, else sub; an unverified email is not used', () => {
    const iss = 'https://accounts.example';
    expect(parseOidcIdentity(iss, { sub: '42', email: 'a@example.com', email_verified: true })?.identity).toBe(
      'a@example.com',
    );
    expect(parseOidcIdentity(iss, { sub: '42', email: 'a@example.com', email_verified: 'true' })?.identity).toBe('42');
    expect(parseOidcIdentity(iss, { sub: '42' })).toEqual({ issuer: iss, identity: '42' });
    expect(parseOidcIdentity(iss, {})).toBeUndefined();
    expect(parseOidcIdentity(iss, { sub: 'x\ny' })).toBeUndefined();
  });

  test('the mode of a namespace: its own entry, else "*", else none', () => {
    expect(oidcIdentityModeFor('io.github.acme', { 'io.github.acme': 'all' })).toBe('all');
    expect(oidcIdentityModeFor('io.github.beta', { 'io.github.acme': 'all' })).toBeUndefined();
    expect(oidcIdentityModeFor('io.github.beta', { '*': 'oidc-sessions', 'io.github.acme': 'all' })).toBe(
      'oidc-sessions',
    );
  });
});

describe('"oidcIdentityRequired" in the config file', () => {
  const resolve = (file?: object) =>
    resolveRegistryConfig({
      flags: {},
      env: {},
      cwd: '/tmp',
      ...(file ? { file: { path: '/tmp/c.json', content: JSON.stringify(file) } } : {}),
    });

  test('defaults to none; namespaces and "*" take "all" or "oidc-sessions"', () => {
    expect(resolve().oidcIdentityRequired).toEqual({});
    const value = { 'io.github.acme': 'all', '*': 'oidc-sessions' };
    expect(resolve({ oidcIdentityRequired: value }).oidcIdentityRequired).toEqual(value);
  });

  test('anything else is CONFIG_INVALID naming the setting', () => {
    for (const bad of [[], 'all', { 'io.github.acme': true }, { 'io.github.acme': 'some' }, { 'bad/ns': 'all' }]) {
      const error = expectCode(() => resolve({ oidcIdentityRequired: bad }), 'CONFIG_INVALID');
      expect(String(error.data?.setting)).toMatch(/^oidcIdentityRequired/);
    }
  });
});
