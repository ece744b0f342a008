// Verify one pinned server from what is committed beside the lock, fully offline: the stored manifest
// hashes to the pinned digest and is self-consistent, the lock entry says exactly what the manifest says,
// the publisher bundle verifies against the pinned signer and binds this manifest, the curator approval
// verifies against the pinned registry key, and (when installed) the files on disk are the pinned bytes.
// Used by install, verify and run, so every face enforces the same chain.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyStatement } from '../../core/attestation/statement.ts';
import { type Finding, McpLockError } from '../../core/errors.ts';
import type { LockedServer, McpLockFile } from '../../core/generated/lockfile.ts';
import type { McpLockManifest } from '../../core/generated/manifest.ts';
import { parseStrictJson } from '../../core/json/strict-json.ts';
import { checkEntryAgainstManifest, treeRulesOf } from '../../core/lockfile/lockfile.ts';
import { isLocalPackage } from '../../core/manifest/check-tree.ts';
import { installedFilesDigest } from '../npm/files-digest.ts';
import { FILES_INDEX, indexedFilesDigest } from '../npm/files-index.ts';
import { verifyLocalTarball } from '../npm/local-package.ts';
import { type TrustPolicy, verifyBundle } from '../sigstore/verify.ts';
import { loadBundle, loadManifest, projectPaths, storeDir } from './project.ts';

export interface EntryCheckOptions {
  /** Also hash the installed files and compare them with the pin (slower). */
  checkInstalled?: boolean;
  /** With checkInstalled: re-read only files whose stat tuple changed since the last check
   * (adapters/npm/files-index.ts; `run` uses it, `verify` and `install` re-hash everything). */
  useFilesIndex?: boolean;
  /** Trusted root for keyless signers; default: .mcp-lock/trusted_root.json if present, else public-good. */
  trustedRoot?: unknown;
}

export interface EntryReport {
  name: string;
  version: string;
  manifest?: McpLockManifest;
  findings: Finding[];
  installed: 'ok' | 'missing' | 'modified' | 'not-checked' | 'remote';
}

/** The project's trusted root for keyless verification, if it pins one. */
export function projectTrustedRoot(root: string): unknown {
  const path = join(projectPaths(root).state, 'trusted_root.json');
  if (!existsSync(path)) return undefined;
  return parseStrictJson(readFileSync(path), 'trusted_root.json', { maxBytes: 1024 * 1024, maxDepth: 16 });
}

function finding(code: Finding['code'], name: string, message: string, data?: Record<string, unknown>): Finding {
  return {
    code,
    path: `$.servers[${JSON.stringify(name)}]`,
    message: `${name}: ${message}`,
    severity: 'error',
    ...(data ? { data } : {}),
  };
}

function asFinding(error: unknown, name: string): Finding {
  if (error instanceof McpLockError) return finding(error.code, name, error.message, error.data);
  return finding('INTERNAL', name, error instanceof Error ? error.message : String(error));
}

export function signerPolicy(entry: LockedServer, trustedRoot: unknown): TrustPolicy {
  const signer = entry.signer;
  if (!signer) return {};
  if (signer.type === 'key') return { keys: [{ keyId: signer.keyId, publicKey: signer.publicKey }] };
  return {
    identities: [{ identity: signer.identity, issuer: signer.issuer }],
    ...(trustedRoot ? { trustedRoot } : {}),
  };
}

/** Check one lock entry; returns findings (empty = verified). Never throws for verification failures. */
export function checkLockedServer(
  root: string,
  lock: McpLockFile,
  name: string,
  options: EntryCheckOptions = {},
): EntryReport {
  const entry = lock.servers[name]!;
  const report: EntryReport = { name, version: entry.version, findings: [], installed: 'not-checked' };
  let manifest: McpLockManifest;
  try {
    manifest = loadManifest(root, entry.manifest, treeRulesOf(lock));
  } catch (error) {
    report.findings.push(asFinding(error, name));
    return report;
  }
  report.manifest = manifest;
  report.findings.push(...checkEntryAgainstManifest(name, entry, manifest));
  const trustedRoot = options.trustedRoot ?? projectTrustedRoot(root);

  // Publisher signature: required unless the entry is explicitly unsigned (TOFU).
  if (entry.signer) {
    try {
      const verified = verifyBundle(loadBundle(root, entry.manifest, 'publisher'), signerPolicy(entry, trustedRoot));
      verifyStatement(verified.payload, verified.payloadType, manifest, 'publisher');
    } catch (error) {
      report.findings.push(asFinding(error, name));
    }
  } else if (!entry.unsigned || entry.source.type !== 'tofu') {
    report.findings.push(
      finding('SIGNATURE_INVALID', name, 'no signer is pinned, but the entry is not marked unsigned (TOFU)'),
    );
  }

  // Curator approval: required for registry entries, verified against the registry's pinned key.
  if (entry.source.type === 'registry') {
    const registry = entry.source.registry;
    const trusted = lock.registries[registry];
    if (!entry.approval) report.findings.push(finding('APPROVAL_MISSING', name, 'the entry has no curator approval'));
    else if (!trusted)
      report.findings.push(finding('APPROVAL_INVALID', name, `the registry ${registry} is not trusted in the lock`));
    else if (entry.approval.registry !== registry) {
      report.findings.push(finding('APPROVAL_INVALID', name, 'the approval names another registry than the source'));
    } else {
      try {
        const verified = verifyBundle(loadBundle(root, entry.manifest, 'approval'), { keys: trusted.approvalKeys });
        verifyStatement(verified.payload, verified.payloadType, manifest, 'approval');
        if (verified.signer.type !== 'key' || verified.signer.keyId !== entry.approval.keyId) {
          report.findings.push(
            finding('APPROVAL_INVALID', name, 'the approval was made by another registry key than pinned'),
          );
        }
      } catch (error) {
        report.findings.push(asFinding(error, name));
      }
    }
  } else if (entry.approval) {
    report.findings.push(finding('APPROVAL_INVALID', name, 'a TOFU entry cannot carry a registry approval'));
  }

  // A local package: the project's stored tarball must still be the one pinned (install reads it).
  if (manifest.package && isLocalPackage(manifest.package)) {
    if (entry.source.type !== 'tofu')
      report.findings.push(
        finding(
          'RESOLVED_UNTRUSTED',
          name,
          'a registry pin cannot be a local package: only `add --tofu <dir>` makes one',
        ),
      );
    try {
      verifyLocalTarball(root, manifest.package.integrity);
    } catch (error) {
      report.findings.push(asFinding(error, name));
    }
  }

  if (!entry.package) report.installed = 'remote';
  else if (options.checkInstalled) {
    const installDir = storeDir(root, name, entry.manifest);
    const dir = join(installDir, 'node_modules');
    if (!existsSync(dir)) report.installed = 'missing';
    else {
      try {
        const found = options.useFilesIndex
          ? indexedFilesDigest(dir, join(installDir, FILES_INDEX)).digest
          : installedFilesDigest(dir);
        if (found === entry.package.files) report.installed = 'ok';
        else {
          report.installed = 'modified';
          report.findings.push(
            finding(
              'INTEGRITY_MISMATCH',
              name,
              'installed files differ from the pinned files (changed on disk after install)',
              {
                expected: entry.package.files,
                found,
              },
            ),
          );
        }
      } catch (error) {
        report.findings.push(asFinding(error, name));
      }
    }
  }
  return report;
}

/** Throw the first finding of a report as an error (for faces that must stop, like run). */
export function assertLockedServer(report: EntryReport): McpLockManifest {
  const first = report.findings[0];
  if (first) {
    throw new McpLockError(first.code, first.message, {
      hint: 'Run `mcp-lock verify` for the full report; nothing was started.',
      data: { findings: report.findings },
    });
  }
  return report.manifest!;
}
