// Generated from schemas/mcp-lock.schema.json by scripts/gen-types.ts. Do not edit: change the schema and run npm run gen.

/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "Source".
 */
export type Source =
  | {
      type: 'registry';
      registry: string;
    }
  | {
      type: 'tofu';
      spec: string;
    };
/**
 * The pinned publisher signer: a public key, or an exact keyless (Fulcio) identity and issuer.
 *
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "Signer".
 */
export type Signer =
  | {
      type: 'key';
      keyId: string;
      publicKey: string;
    }
  | {
      type: 'keyless';
      identity: string;
      issuer: string;
    };
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "Sha512Integrity".
 */
export type Sha512Integrity = string;
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "Digest".
 */
export type Digest = string;

/**
 * mcp-lock.json: the pinned MCP servers of a project, committed to its repository. The signed manifests and Sigstore bundles it refers to live beside it in .mcp-lock/ (committed); installed packages live in .mcp-lock/store/ (ignored).
 */
export interface McpLockFile {
  $schema: 'https://schemas.mcp-lock.dev/mcp-lock/v1.json';
  lockfileVersion: 1;
  /**
   * Trusted registries by base URL, with their pinned approval keys.
   */
  registries: {
    [k: string]: TrustedRegistry;
  };
  /**
   * Pinned servers by name (io.github.owner/name).
   */
  servers: {
    [k: string]: LockedServer;
  };
  /**
   * npm registries whose tarball URLs pinned trees may use (default: https://registry.npmjs.org). https, or http to loopback only.
   *
   * @maxItems 20
   */
  npmRegistries?: string[];
  /**
   * Accepted scan findings, each bound to the exact digest of the item it was accepted for.
   *
   * @maxItems 10000
   */
  suppressions?: Suppression[];
}
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "TrustedRegistry".
 */
export interface TrustedRegistry {
  /**
   * @minItems 1
   * @maxItems 20
   */
  approvalKeys: PinnedKey[];
  tufRoot?: TufRoot;
  tufSeen?: TufSeen;
}
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "PublicKey".
 */
export interface PinnedKey {
  /**
   * hex sha256 of the SPKI DER (the Sigstore bundle key hint)
   */
  keyId: string;
  publicKey: string;
}
/**
 * The registry's TUF root metadata as signed (pinned by `init --registry`): add, update, outdated and verify --online refresh the registry's signed state from it with tuf-js, and take status and latest only from signed targets.
 *
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "TufRoot".
 */
export interface TufRoot {
  signed: {
    _type: 'root';
  };
  /**
   * @minItems 1
   * @maxItems 100
   */
  signatures: {
    keyid: string;
    sig: string;
  }[];
}
/**
 * The newest signed registry state this lock was written against: a later refresh from a fresh clone must not go below it (a replayed older state is refused).
 *
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "TufSeen".
 */
export interface TufSeen {
  timestamp: number;
  snapshot: number;
  targets: number;
}
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "LockedServer".
 */
export interface LockedServer {
  source: Source;
  version: string;
  /**
   * Digest of the canonical manifest, stored as .mcp-lock/manifests/<hex>.json
   */
  manifest: string;
  /**
   * Present (and true) only for servers nobody signed (TOFU).
   */
  unsigned?: true;
  /**
   * Environment variables `run` passes through from the caller although the manifest does not declare them (by name only, sorted; values are never stored). Reviewed like every other line of the lock.
   *
   * @maxItems 100
   */
  passEnv?: string[];
  signer: null | Signer;
  approval: null | {
    registry: string;
    keyId: string;
  };
  package?: LockedPackage;
  remote?: {
    /**
     * sse: the deprecated HTTP+SSE transport
     */
    type: 'streamable-http' | 'sse';
    url: string;
  };
  surface: LockedSurface;
  permissions?: Permissions;
}
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "LockedPackage".
 */
export interface LockedPackage {
  identifier: string;
  version: string;
  /**
   * a registry tarball URL, or a local package's tarball stored in the project (shown LOCAL)
   */
  resolved: string;
  integrity: Sha512Integrity;
  /**
   * treeDigest of the manifest's package tree
   */
  tree: string;
  nodes: number;
  /**
   * Digest of every installed file (path and content) under the store's node_modules; install reproduces it exactly and verify detects files changed on disk
   */
  files: string;
}
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "LockedSurface".
 */
export interface LockedSurface {
  protocolVersion: string;
  coverage: Coverage;
  instructions: null | Digest;
  tools: DigestMap;
  prompts: DigestMap;
  resources: DigestMap;
  resourceTemplates: DigestMap;
  /**
   * Copied from the manifest's surface.dynamicResources: the server adds resources at run time, which `mcp-lock run` hides instead of treating as drift.
   */
  dynamicResources?: true;
}
/**
 * What the surface digests cover. A later pin with less coverage counts as drift.
 */
export interface Coverage {
  canonicalization: 'RFC8785';
  digest: 'sha256';
  /**
   * Each item is hashed exactly as received, unknown fields included.
   */
  scope: 'wire-object';
  kinds: ('instructions' | 'tools' | 'prompts' | 'resources' | 'resourceTemplates')[];
}
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "DigestMap".
 */
export interface DigestMap {
  [k: string]: Digest;
}
/**
 * The manifest's permissions, copied so reviews of the lock see them; present means run sandboxes the server.
 */
export interface Permissions {
  filesystem: {
    /**
     * Paths the server may read (read-only).
     *
     * @maxItems 64
     *
     * Items: An absolute path, or one that starts with a placeholder: ~ (the user's home), ${project} (the directory holding mcp-lock.json), ${data} (the server's own data directory, .mcp-lock/data/<name>), ${arg:N} (the value of the server's Nth package argument, e.g. server-filesystem's root). No . or .. segments.
     */
    read?: string[];
    /**
     * Paths the server may read and write.
     *
     * @maxItems 64
     *
     * Items: An absolute path, or one that starts with a placeholder: ~ (the user's home), ${project} (the directory holding mcp-lock.json), ${data} (the server's own data directory, .mcp-lock/data/<name>), ${arg:N} (the value of the server's Nth package argument, e.g. server-filesystem's root). No . or .. segments.
     */
    write?: string[];
  };
  network: {
    /**
     * host:port patterns reachable through the proxy; empty or absent: no network at all.
     *
     * @maxItems 64
     *
     * Items: host:port the server may connect to, through mcp-lock's allow-listing proxy. host is a name or an IPv4 address; *.example.com matches subdomains (not example.com itself); port * matches any port.
     */
    allow?: string[];
  };
  /**
   * false: the server may not start other programs. Not yet enforceable with bubblewrap alone, so `run` refuses such a server instead of pretending. Absent or true: allowed (inside the same sandbox).
   */
  subprocesses?: boolean;
}
/**
 * This interface was referenced by `McpLockFile`'s JSON-Schema
 * via the `definition` "Suppression".
 */
export interface Suppression {
  rule: string;
  server: string;
  /**
   * <kind>/<key>, e.g. tools/send_email or instructions
   */
  item: string;
  digest: Digest;
  reason: string;
}
