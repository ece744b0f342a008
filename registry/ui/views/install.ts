// "Add this server": the exact CLI command, and the mcp-lock.json entry `mcp-lock add` will write for it,
// computed with the same core function the CLI uses (entryFromManifest). Only the digest of the installed
// files is unknown here: the CLI computes it when it installs the pinned tree, so it is shown as such.

import { normalizeRegistryUrl } from '../../../adapters/consumer/registry.ts';
import { formatDeterministicJson } from '../../../core/canonical/pretty.ts';
import type { Signer } from '../../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../../core/generated/manifest.ts';
import { entryFromManifest } from '../../../core/lockfile/lockfile.ts';
import type { SignerRecord, VersionRecord } from '../../../core/registry/records.ts';
import { type Html, html } from '../html.ts';
import { json } from '../text.ts';
import { clientSnippetsView } from './client-snippets.ts';
import { copyBlock } from './common.ts';
import { registeredSigner } from './signer.ts';

export const FILES_PLACEHOLDER = '<computed by mcp-lock add when it installs the package>';

function registryUrl(registryId: string): string {
  try {
    return normalizeRegistryUrl(registryId);
  } catch {
    return registryId;
  }
}

/** The shell command, quoted for POSIX shells when a part needs it. */
export function addCommand(registryId: string, record: VersionRecord): string {
  const quote = (s: string) => (/^[A-Za-z0-9._:/@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `mcp-lock add ${quote(`${record.name}@${record.version}`)} --registry ${quote(registryUrl(registryId))}`;
}

function lockSigner(record: VersionRecord, registered: readonly SignerRecord[]): Signer {
  const s = record.signer;
  if (s.type === 'keyless') return { type: 'keyless', identity: s.identity, issuer: s.issuer };
  const known = registeredSigner(s, registered);
  const publicKey = s.publicKey ?? (known?.type === 'key' ? known.publicKey : "<the publisher's public key>");
  return { type: 'key', keyId: s.keyId, publicKey };
}

/** The `servers` entry of mcp-lock.json, as `mcp-lock add` writes it (files aside). */
export function lockEntry(
  registryId: string,
  record: VersionRecord,
  manifest: McpLockManifest,
  registered: readonly SignerRecord[],
): Record<string, unknown> {
  const registry = registryUrl(registryId);
  const entry = entryFromManifest(manifest, {
    source: { type: 'registry', registry },
    signer: lockSigner(record, registered),
    approval: record.approval ? { registry, keyId: record.approval.keyId } : null,
    ...(manifest.package ? { files: FILES_PLACEHOLDER } : {}),
  });
  return { servers: { [record.name]: entry } };
}

export function installView(
  registryId: string,
  record: VersionRecord,
  manifest: McpLockManifest,
  registered: readonly SignerRecord[],
): Html {
  if (record.status !== 'approved' && record.status !== 'deprecated') {
    const why =
      record.status === 'yanked'
        ? 'This version was yanked: mcp-lock refuses to install it.'
        : `This version is ${record.status}: only approved versions can be added.`;
    return html`<section aria-labelledby="add-h"><h3 id="add-h">Add this server</h3><p class="warn">${why}</p></section>`;
  }
  const entry = formatDeterministicJson(lockEntry(registryId, record, manifest, registered));
  return html`<section aria-labelledby="add-h"><h3 id="add-h">Add this server</h3>
${record.status === 'deprecated' ? html`<p class="warn">Deprecated: it still installs, and mcp-lock warns about it.</p>` : ''}
${copyBlock('Command', addCommand(registryId, record), 'add-cmd')}
${copyBlock('The entry it adds to mcp-lock.json', json(JSON.parse(entry)), 'lock-entry')}
<p class="muted small">The first <code>add</code> from this registry also pins its approval key under <code>registries</code>.
${manifest.package ? html`<code>package.files</code> is the digest of the installed files, known only once the CLI has installed the pinned tree.` : ''}</p>
${clientSnippetsView(record.name)}
</section>`;
}
