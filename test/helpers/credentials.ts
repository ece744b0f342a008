// Credentials of every kind the secret scan knows, made at run time (real key pairs from node:crypto,
// tokens in each vendor's format from a seeded generator), so no credential-shaped literal sits in the
// repository, and benign look-alikes that must never be flagged.

import { generateKeyPairSync } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = `${ALNUM}+/`;

let seed = 0x2545f491;
/** Deterministic characters from an alphabet (xorshift32). */
export function chars(n: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    out += alphabet[(seed >>> 0) % alphabet.length];
  }
  return out;
}

function pemWrap(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const ec = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'sec1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const ed = generateKeyPairSync('ed25519', {
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export const RSA_PRIVATE_KEY = rsa.privateKey;
export const RSA_PUBLIC_KEY = rsa.publicKey;

/** [what, text, the kind the scan must name] */
export const CREDENTIALS: ReadonlyArray<[string, string, string]> = [
  ['an RSA private key (PKCS#8 PEM)', RSA_PRIVATE_KEY, 'a private key'],
  ['an EC private key (SEC1 PEM)', ec.privateKey, 'a private key'],
  ['an Ed25519 private key (PKCS#8 PEM)', ed.privateKey, 'a private key'],
  [
    'an OpenSSH private key',
    pemWrap('OPENSSH PRIVATE KEY', Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.from(chars(300))])),
    'a private key',
  ],
  ['an AWS access key id', `key id ${'AKIA'}${chars(16, UPPER_DIGITS)} in a note`, 'an AWS access key id'],
  ['an AWS secret access key', `aws_secret_access_key = "${chars(40, B64)}"`, 'an AWS secret access key'],
  [
    'a GCP service-account key file (one string)',
    JSON.stringify({
      type: 'service_account',
      project_id: 'demo',
      private_key_id: chars(40, '0123456789abcdef'),
      private_key: RSA_PRIVATE_KEY,
      client_email: 'robot@demo.iam.gserviceaccount.com',
    }),
    'a GCP service-account key',
  ],
  [
    'an Azure storage connection string',
    `DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${chars(86, B64)}==;EndpointSuffix=core.windows.net`,
    'an Azure storage account key',
  ],
  ['an Azure client secret', `client secret: ${chars(3)}8Q~${chars(34)}`, 'an Azure client secret'],
  ['a GitHub classic token', `token ${'ghp_'}${chars(36)}`, 'a GitHub token'],
  ['a GitHub fine-grained token', `${'github_pat_'}${chars(22)}_${chars(59)}`, 'a GitHub token'],
  ['a GitLab token', `${'glpat-'}${chars(20)}`, 'a GitLab token'],
  [
    'a Slack bot token',
    `${'xoxb-'}${chars(12, '0123456789')}-${chars(13, '0123456789')}-${chars(24)}`,
    'a Slack token',
  ],
  ['a Stripe live key', `${'sk_live_'}${chars(24)}`, 'a Stripe key'],
  ['an AWS temporary access key id', `${'ASIA'}${chars(16, UPPER_DIGITS)}`, 'an AWS access key id'],
  ['a password in a MongoDB URL', `mongodb+srv://app:${chars(16)}@cluster0.example.net/db`, 'a database password'],
  ['a password in a MySQL URL', `mysql://root:${chars(12)}@10.0.0.5:3306/shop`, 'a database password'],
  ['a GitHub token in a git URL', `https://${chars(40)}:x-oauth-basic@github.com/owner/repo.git`, 'a GitHub token'],
  ['an npm token', `//registry.npmjs.org/:_authToken=${'npm_'}${chars(36)}`, 'an npm token'],
  ['an OpenAI key', `${'sk-proj-'}${chars(74)}${'T3BlbkFJ'}${chars(74)}`, 'an OpenAI API key'],
  ['an Anthropic key', `${'sk-ant-api03-'}${chars(93)}AA`, 'an Anthropic API key'],
  [
    'a JWT',
    `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'user-1', iat: 1700000000 })}.${chars(43)}`,
    'a JSON Web Token',
  ],
  ['a bearer token in a header', `Authorization: Bearer ${chars(40)}1`, 'a bearer token'],
  ['a password in a database URL', `postgres://admin:${chars(16)}@db.internal.example:5432/app`, 'a database password'],
];

/** Look-alikes that hold no credential: each must pass the scan untouched. */
export const BENIGN: ReadonlyArray<[string, string]> = [
  ['a PEM public key', RSA_PUBLIC_KEY],
  ['an EC public key', ec.publicKey],
  ['the words "private key" in prose', 'Never paste your private key into a chat; rotate the private key if you did.'],
  [
    'a PEM header quoted in documentation',
    'A key file starts with -----BEGIN PRIVATE KEY----- and ends with its END line.',
  ],
  ['a PEM placeholder', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
  ['the AWS documentation example key id', 'AKIAIOSFODNN7EXAMPLE is the key id used in the AWS docs'],
  ['a git commit hash', `commit ${chars(40, '0123456789abcdef')}`],
  ['a sha256 digest', `sha256:${chars(64, '0123456789abcdef')}`],
  ['a UUID', '3f2b8c1e-9d4a-4e6b-8f0c-2a1b3c4d5e6f'],
  ['base64 image data', `data:image/png;base64,iVBORw0KGgo${chars(400, B64)}`],
  ['bearer authentication in prose', 'Bearer authentication_is_described_in RFC 6750, section 2.1.'],
  ['a database URL without a password', 'postgres://localhost:5432/app'],
  ['an npm config variable', 'npm_config_cache=/tmp/cache npm_package_name=demo'],
  ['a short ghp_ prefix', 'the prefix ghp_ marks a classic GitHub token'],
  ['the first part of a JWT alone', 'eyJhbGciOiJIUzI1NiJ9 is a JWT header'],
  ['ordinary text with accents and CJK', 'Crème brûlée in São Paulo; 東京の天気は晴れです。'],
];
