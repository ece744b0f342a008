// A loopback fake of Sigstore's Fulcio (CA + CT log), Rekor v1 and an RFC 3161 TSA, run as its own process
// so keyless signing goes over real HTTP exactly as it would against the public-good instance. It is built
// from @sigstore/mock's key-exposing factories (not its nock helpers), writes a trusted_root.json for itself,
// and prints one JSON line {"event":"listening",…} on stdout once it accepts requests.
//
// Usage: node test/helpers/fake-sigstore/server.ts <out-dir>
// Exits when its stdin closes (the parent test died) or on SIGTERM.
//
// Three fixes over the bare mock (research/feasibility.md §2, gotchas a–c):
// - one shared clock, set to a whole second before each request: the mock TSA DER-encodes genTime with
//   trailing zeros stripped ("…41.97Z") and @sigstore/core only parses exactly three fractional digits;
// - Rekor v1 stores the proposed entry verbatim; real Rekor turns a proposed `dsse` entry into
//   {envelopeHash, payloadHash, signatures[{signature, verifier}]}, which is what the verifier checks;
// - the TSA endpoint is advertised as its full URL (…/api/v1/timestamp), which sigstore-js uses as is.

import { createHash, generateKeyPairSync } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  fulcioHandler,
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
  rekorHandler,
  tsaHandler,
} from '@sigstore/mock';

const MAX_BODY_BYTES = 1024 * 1024;

type HandlerFn = (
  body: string,
) => Promise<{ statusCode: number; response: string | ArrayBufferView; contentType?: string }>;

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: server.ts <out-dir>\n');
  process.exit(2);
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const keyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64 = (bytes: ArrayBufferView) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Rewrite a proposed Rekor `dsse` entry into the body real Rekor stores (see header). */
function rekorDsseShim(fn: HandlerFn): HandlerFn {
  return async (body) => {
    const proposed = JSON.parse(body);
    const content = proposed?.kind === 'dsse' ? proposed.spec?.proposedContent : undefined;
    if (!content) return fn(body);
    const envelope = JSON.parse(content.envelope);
    const stored = {
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256(content.envelope).toString('hex') },
        payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')).toString('hex') },
        signatures: envelope.signatures.map((s: { sig: string }) => ({
          signature: s.sig,
          verifier: content.verifiers[0],
        })),
      },
    };
    return fn(JSON.stringify(stored));
  };
}

const routes = new Map<string, HandlerFn>();
const clock = new Date();
const tick = () => clock.setTime(Math.floor(Date.now() / 1000) * 1000);

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === null) {
    res.writeHead(413).end();
    return;
  }
  const fn = routes.get(`${req.method} ${req.url}`);
  if (!fn) {
    res.writeHead(404).end();
    return;
  }
  tick();
  const { statusCode, response, contentType } = await fn(body);
  const bytes =
    typeof response === 'string'
      ? Buffer.from(response, 'utf8')
      : Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  res.writeHead(statusCode, { 'content-type': contentType ?? 'text/plain' }).end(bytes);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    process.stderr.write(`[fake-sigstore] ${req.method} ${req.url}: ${String(error)}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
// The base URL (with its port) is part of the Rekor checkpoint origin and the trusted root, so listen first.
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

tick();
const ctlog = await initializeCTLog(keyPair(), clock);
const ca = await initializeCA(keyPair(), ctlog, clock);
const tlog = await initializeTLog(`${base}/rekor`, keyPair(), clock);
const tsa = await initializeTSA(keyPair(), clock);

const rekor = rekorHandler(tlog);
routes.set(`POST /fulcio${fulcioHandler(ca).path}`, fulcioHandler(ca).fn);
routes.set(`POST /rekor${rekor.path}`, rekorDsseShim(rekor.fn));
const tsaRoute = tsaHandler(tsa);
routes.set(`POST /tsa${tsaRoute.path}`, tsaRoute.fn);

// trusted_root.json in the protobuf-specs JSON form, as `sigstore` and cosign read it.
const validFor = { start: new Date(Date.now() - 60_000).toISOString() };
const logInstance = (publicKeyDer: ArrayBufferView, baseUrl: string, keyId: ArrayBufferView) => ({
  baseUrl,
  hashAlgorithm: 'SHA2_256',
  publicKey: { rawBytes: b64(publicKeyDer), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
  logId: { keyId: b64(keyId) },
});
const trustedRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [logInstance(tlog.publicKey, `${base}/rekor`, sha256(tlog.publicKey))],
  certificateAuthorities: [
    {
      subject: { organization: 'mcp-lock-test', commonName: 'fake-fulcio' },
      uri: `${base}/fulcio`,
      certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
      validFor,
    },
  ],
  ctlogs: [logInstance(ctlog.publicKey, `${base}/ct`, ctlog.logID)],
  timestampAuthorities: [
    {
      subject: { organization: 'mcp-lock-test', commonName: 'fake-tsa' },
      uri: `${base}/tsa`,
      certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
      validFor,
    },
  ],
};
const trustedRootPath = join(resolve(outDir), 'trusted_root.json');
writeFileSync(`${trustedRootPath}.tmp`, `${JSON.stringify(trustedRoot, null, 2)}\n`);
renameSync(`${trustedRootPath}.tmp`, trustedRootPath);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).on('error', stop).resume();

process.stdout.write(
  `${JSON.stringify({
    event: 'listening',
    url: base,
    fulcioURL: `${base}/fulcio`,
    rekorURL: `${base}/rekor`,
    tsaURL: `${base}/tsa${tsaRoute.path}`,
    trustedRootPath,
  })}\n`,
);
