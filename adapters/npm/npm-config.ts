// How npm is configured on this machine, for the Arborist installs mcp-lock makes itself. Arborist's API
// reads no npmrc, so what npm would use is taken from the npm_config_* variables npm exports (to every
// `npm run` script, and to whatever those start): the cache root ($npm_config_cache, whose
// content-addressed store is <root>/_cacache) and extra certificate authorities ($npm_config_cafile,
// e.g. a company's TLS-inspecting proxy). NODE_EXTRA_CA_CERTS keeps working as Node reads it itself.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NpmNetworkOptions {
  cache?: string;
  ca?: string[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const MAX_CAFILE_BYTES = 8 * 1024 * 1024;

export function npmNetworkOptions(env: Readonly<Record<string, string | undefined>> = process.env): NpmNetworkOptions {
  const options: NpmNetworkOptions = {};
  if (env.npm_config_cache) options.cache = join(env.npm_config_cache, '_cacache');
  if (env.npm_config_cafile) {
    try {
      const text = readFileSync(env.npm_config_cafile, 'utf8');
      const certificates = text.length <= MAX_CAFILE_BYTES ? text.match(PEM_CERTIFICATE) : null;
      // A CA list replaces Node's defaults in the TLS stack, exactly as npm's own cafile setting does.
      if (certificates?.length) options.ca = certificates;
    } catch {
      // An unreadable cafile: npm would fail the same way on TLS; leave Node's defaults.
    }
  }
  return options;
}
