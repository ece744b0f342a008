// Issue #13.4: the secret scan finds every credential kind (secretlint's recommended rules plus ours),
// names each by kind and JSON pointer and never by value, leaves benign look-alikes alone, and stays
// linear on adversarial inputs within its byte bound.

import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../../core/guard/secret-rules.ts';
import { describeFindings, scanForSecrets } from '../../../core/guard/secret-scan.ts';
import { BENIGN, CREDENTIALS, chars, RSA_PRIVATE_KEY } from '../../helpers/credentials.ts';

describe('findSecrets flags', () => {
  for (const [what, text, kind] of CREDENTIALS) {
    it(what, () => {
      const kinds = findSecrets(text).map((m) => m.kind);
      expect(kinds).toContain(kind);
    });
  }
});

describe('findSecrets leaves alone', () => {
  for (const [what, text] of BENIGN) {
    it(what, () => expect(findSecrets(text)).toEqual([]));
  }
});

describe('scanForSecrets', () => {
  it('names each hit by kind and JSON pointer, never by value', () => {
    const token = `ghp_${chars(36)}`;
    const scan = scanForSecrets({
      path: '/tmp/notes.txt',
      files: [
        { name: 'a', content: 'hello there, nothing here' },
        { name: 'b', content: RSA_PRIVATE_KEY },
      ],
      'odd/key~name': `token=${token}`,
    });
    expect(scan.findings).toEqual([
      { kind: 'a private key', rule: expect.any(String), location: '/files/1/content' },
      { kind: 'a GitHub token', rule: 'mcp-lock/github-token', location: '/odd~1key~0name' },
    ]);
    const serialized = JSON.stringify(scan) + describeFindings(scan.findings, 'argument');
    expect(serialized).not.toContain(token);
    expect(serialized).not.toContain('MII');
    expect(describeFindings(scan.findings, 'argument')).toBe(
      'argument `/files/1/content` appears to hold a private key; argument `/odd~1key~0name` appears to hold a GitHub token',
    );
  });

  it('finds a service-account key passed as an object, and a credential used as a key without repeating it', () => {
    const token = `glpat-${chars(20)}`;
    const scan = scanForSecrets({
      creds: { type: 'service_account', private_key_id: 'abc', private_key: RSA_PRIVATE_KEY },
      map: { [token]: 'x' },
    });
    expect(scan.findings.map((f) => [f.kind, f.location])).toEqual([
      ['a GCP service-account key', '/creds'],
      ['a private key', '/creds/private_key'],
      ['a GitLab token', '/map/*'],
    ]);
    expect(JSON.stringify(scan)).not.toContain(token);
  });

  it('scans many strings in batches and still names the one string that holds the credential', () => {
    const token = `glpat-${chars(20)}`;
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ note: `row ${i} is an ordinary line` }));
    rows[12_345] = { note: `deploy with ${token}` };
    const scan = scanForSecrets({ rows });
    expect(scan.findings).toEqual([{ kind: 'a GitLab token', rule: expect.any(String), location: '/rows/12345/note' }]);
    expect(scan.unscanned).toBe(0);
    // A batch joins strings with a separator no rule reads through: pieces of a key in separate strings
    // are not a finding, as they are not when scanned alone.
    const [begin, ...rest] = RSA_PRIVATE_KEY.trim().split('\n');
    const end = rest.pop()!;
    expect(scanForSecrets([`${begin} and more`, rest.join('\n'), `${end} and more`]).findings).toEqual([]);
  });

  it('finds nothing in an ordinary tool result', () => {
    const result = {
      content: [{ type: 'text', text: 'Echo: hello world, the build passed in 3.2 s (commit 1a2b3c4d5e6f).' }],
      structuredContent: { id: '3f2b8c1e-9d4a-4e6b-8f0c-2a1b3c4d5e6f', count: 12 },
    };
    expect(scanForSecrets(result)).toEqual({ findings: [], scanned: expect.any(Number), unscanned: 0 });
  });

  it('scans at most maxScanBytes characters and maxStrings strings, and counts the rest as unscanned', () => {
    const key = `ghp_${chars(36)}`;
    const bounded = scanForSecrets(
      { a: 'x'.repeat(100), b: `${'y'.repeat(100)} ${key}` },
      { maxScanBytes: 150, maxStrings: 10, maxFindings: 5 },
    );
    expect(bounded).toEqual({ findings: [], scanned: 150, unscanned: 91 });
    const fewStrings = scanForSecrets(Array.from({ length: 5 }, () => `plain text ${'z'.repeat(20)}`).concat([key]), {
      maxScanBytes: 1_000_000,
      maxStrings: 5,
      maxFindings: 5,
    });
    expect(fewStrings.findings).toEqual([]);
    expect(fewStrings.unscanned).toBe(key.length);
    const all = scanForSecrets([key, key, key], { maxScanBytes: 1_000_000, maxStrings: 10, maxFindings: 2 });
    expect(all.findings).toHaveLength(2);
  });

  // Catastrophic backtracking takes minutes to hours on these; the linear rules take tens of ms per MiB.
  // The bound is coarse on purpose (a shared machine); bench/ measures the real cost.
  describe('stays linear on adversarial inputs (1 MiB each)', () => {
    const MiB = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);
    const adversarial: [string, string][] = [
      ['one long run of token characters', 'a'.repeat(MiB)],
      ['dense GitHub app-token prefixes', fill('ghs_1_')],
      ['dense prefixes separated by a token character', fill('-ghs_1_')],
      ['PEM headers with long bodies and no END', fill(`-----BEGIN PRIVATE KEY-----\n${'A'.repeat(19_990)}`)],
      ['JWT starts without an end', fill(`eyJ${'a'.repeat(4000)}.eyJ`)],
      ['repeated "Bearer "', fill('Bearer ')],
      ['URLs with long user names and no host', fill(`https://${'a'.repeat(255)}:`)],
      ['Slack prefixes with many dashes', fill(`xoxb-${'a-'.repeat(500)}`)],
      ['SendGrid-like segments', fill(`SG.${'a'.repeat(128)}.`)],
      ['database URL prefixes', fill('mongodb://')],
      ['Azure client-secret look-alikes', fill('aaa1Q~')],
    ];
    for (const [what, text] of adversarial) {
      it(what, () => {
        const started = performance.now();
        const scan = scanForSecrets(text, { maxScanBytes: MiB, maxStrings: 10, maxFindings: 20 });
        expect(scan.scanned).toBe(MiB);
        expect(performance.now() - started).toBeLessThan(3000);
      });
    }
  });
});
