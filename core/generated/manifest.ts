// Generated from schemas/manifest.schema.json by scripts/gen-types.ts. Do not edit: change the schema and run npm run gen.

/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "ServerName".
 */
export type ServerName = string;
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "ExactVersion".
 */
export type ExactVersion = string;
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "HttpsUrl".
 */
export type HttpsUrl = string;
/**
 * https, or http to a loopback host only (checked semantically, for local mirrors and tests)
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "RegistryUrl".
 */
export type RegistryUrl = string;
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "NpmName".
 */
export type NpmName = string;
/**
 * Where a pinned tarball came from: a trusted registry, or (only for the root of a local package pin) the project's own copy .mcp-lock/local/<sha512-hex>.tgz
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "PinnedResolved".
 */
export type PinnedResolved = RegistryUrl;
/**
 * Subresource Integrity string of an npm tarball (sha512 only)
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Sha512Integrity".
 */
export type Sha512Integrity = string;
/**
 * sha256 of the RFC 8785 canonical JSON, lowercase hex
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Digest".
 */
export type Digest = string;
/**
 * An absolute path, or one that starts with a placeholder: ~ (the user's home), ${project} (the directory holding mcp-lock.json), ${data} (the server's own data directory, .mcp-lock/data/<name>), ${arg:N} (the value of the server's Nth package argument, e.g. server-filesystem's root). No . or .. segments.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "PermissionPath".
 */
export type PermissionPath = string;
/**
 * host:port the server may connect to, through mcp-lock's allow-listing proxy. host is a name or an IPv4 address; *.example.com matches subdomains (not example.com itself); port * matches any port.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "NetworkTarget".
 */
export type NetworkTarget = string;

/**
 * A signed description of one MCP server version: its registry entry (compatible with the official server.json 2025-12-11), the npm artifact with its whole dependency tree, and the canonical digest of every tool, prompt, resource, resource template and the server instructions.
 */
export interface McpLockManifest {
  $schema: 'https://schemas.mcp-lock.dev/manifest/v1.json';
  manifestVersion: 1;
  generator?: string;
  server: ServerDetail;
  package?: NpmArtifact;
  surface: Surface;
  permissions?: Permissions;
  readme?: Readme;
}
/**
 * The official MCP registry server.json (schema 2025-12-11) fields mcp-lock uses.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "ServerDetail".
 */
export interface ServerDetail {
  $schema?: string;
  name: ServerName;
  title?: string;
  description: string;
  version: ExactVersion;
  websiteUrl?: HttpsUrl;
  repository?: {
    url: HttpsUrl;
    source: string;
    id?: string;
    subfolder?: string;
  };
  /**
   * @maxItems 16
   */
  packages?: Package[];
  /**
   * @maxItems 16
   */
  remotes?: RemoteTransport[];
  _meta?: {
    'dev.mcp-lock/catalog'?: CatalogMeta;
    [k: string]: unknown;
  };
}
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Package".
 */
export interface Package {
  registryType: 'npm' | 'pypi' | 'nuget' | 'oci' | 'mcpb';
  registryBaseUrl?: RegistryUrl;
  identifier: string;
  version: ExactVersion;
  fileSha256?: string;
  runtimeHint?: string;
  transport: LocalTransport;
  /**
   * @maxItems 100
   */
  runtimeArguments?: Argument[];
  /**
   * @maxItems 100
   */
  packageArguments?: Argument[];
  /**
   * @maxItems 100
   */
  environmentVariables?: KeyValueInput[];
}
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "LocalTransport".
 */
export interface LocalTransport {
  type: 'stdio' | 'streamable-http' | 'sse';
  url?: string;
  /**
   * @maxItems 50
   */
  headers?: KeyValueInput[];
}
/**
 * An environment variable or header. Secret values are never stored: isSecret inputs are read from the environment at launch.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "KeyValueInput".
 */
export interface KeyValueInput {
  name: string;
  description?: string;
  isRequired?: boolean;
  format?: 'string' | 'number' | 'boolean' | 'filepath';
  value?: string;
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  /**
   * @maxItems 100
   */
  choices?: string[];
  variables?: {
    [k: string]: Input;
  };
}
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Input".
 */
export interface Input {
  description?: string;
  isRequired?: boolean;
  format?: 'string' | 'number' | 'boolean' | 'filepath';
  value?: string;
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  /**
   * @maxItems 100
   */
  choices?: string[];
}
/**
 * A command-line argument. Never passed through a shell.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Argument".
 */
export interface Argument {
  type: 'positional' | 'named';
  name?: string;
  valueHint?: string;
  isRepeated?: boolean;
  description?: string;
  isRequired?: boolean;
  format?: 'string' | 'number' | 'boolean' | 'filepath';
  value?: string;
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  /**
   * @maxItems 100
   */
  choices?: string[];
  variables?: {
    [k: string]: Input;
  };
}
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "RemoteTransport".
 */
export interface RemoteTransport {
  type: 'streamable-http' | 'sse';
  url: string;
  /**
   * @maxItems 50
   */
  headers?: KeyValueInput[];
  variables?: {
    [k: string]: Input;
  };
}
/**
 * Where the marketplace files this server (publisher-provided, signed with the manifest; the official server.json has no such field). Tags are lower-case words joined by hyphens; categories come from a fixed list so filters stay meaningful.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "CatalogMeta".
 */
export interface CatalogMeta {
  /**
   * @maxItems 3
   */
  categories?: (
    | 'ai'
    | 'cloud'
    | 'communication'
    | 'data'
    | 'developer-tools'
    | 'finance'
    | 'media'
    | 'productivity'
    | 'search'
    | 'security'
    | 'other'
  )[];
  /**
   * @maxItems 8
   */
  tags?: string[];
}
/**
 * The exact npm package and its whole resolved dependency tree, as installed with install scripts off.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "NpmArtifact".
 */
export interface NpmArtifact {
  registryType: 'npm';
  identifier: NpmName;
  version: string;
  resolved: PinnedResolved;
  integrity: Sha512Integrity;
  /**
   * The executable the server is started with: its bin name and path inside the package.
   */
  bin: {
    name: string;
    path: string;
  };
  /**
   * Every package in the installed tree, sorted by location; the root package is at node_modules/<identifier>.
   *
   * @maxItems 10000
   */
  tree: TreeNode[];
  treeDigest: Digest;
}
/**
 * One node of the dependency tree, as npm's package-lock v3 records it.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "TreeNode".
 */
export interface TreeNode {
  location: string;
  name: NpmName;
  version: string;
  resolved: PinnedResolved;
  /**
   * sha512 SRI; a missing or weaker integrity is refused by the tree rules (a verification failure, not a syntax error)
   */
  integrity?: string;
  dependencies?: DependencyMap;
  optionalDependencies?: DependencyMap;
  peerDependencies?: DependencyMap;
  peerDependenciesMeta?: {
    [k: string]: unknown;
  };
  bin?: {
    [k: string]: string;
  };
  /**
   * @maxItems 50
   */
  os?: string[];
  /**
   * @maxItems 50
   */
  cpu?: string[];
  /**
   * @maxItems 10
   */
  libc?: string[];
  optional?: boolean;
  peer?: boolean;
  hasInstallScript?: boolean;
}
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "DependencyMap".
 */
export interface DependencyMap {
  [k: string]: string;
}
/**
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Surface".
 */
export interface Surface {
  protocolVersion: string;
  coverage: Coverage;
  instructions: null | {
    digest: Digest;
    text: string;
  };
  /**
   * @maxItems 100000
   */
  tools: SurfaceItem[];
  /**
   * @maxItems 100000
   */
  prompts: SurfaceItem[];
  /**
   * @maxItems 100000
   */
  resources: SurfaceItem[];
  /**
   * @maxItems 100000
   */
  resourceTemplates: SurfaceItem[];
  /**
   * Self-reported by the server; informational, never trusted.
   */
  serverInfo?: {
    [k: string]: unknown;
  };
  /**
   * Self-reported by the server; informational.
   */
  capabilities?: {
    [k: string]: unknown;
  };
  /**
   * The server adds resources at run time (files, session artifacts) that no pin can list in advance. With it, `mcp-lock run` hides such a resource and refuses to read it unless a pinned resource template covers its URI; without it, an unpinned resource is drift like an unpinned tool (blocked by `--on-drift block`). Absent means false.
   */
  dynamicResources?: true;
}
/**
 * What the surface digests cover. A later pin with less coverage counts as drift.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Coverage".
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
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "SurfaceItem".
 */
export interface SurfaceItem {
  /**
   * name for tools and prompts, uri for resources, uriTemplate for resource templates
   */
  key: string;
  digest: Digest;
  /**
   * The item exactly as received on the wire.
   */
  definition: {
    [k: string]: unknown;
  };
}
/**
 * What the server may reach at run time. Present means `mcp-lock run` starts it in a sandbox that allows only this (besides the runtime, its own installed package and a private /tmp and HOME), and refuses to start it when no sandbox can be set up. Covered by the manifest digest: a wider permission is drift a reviewer sees.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Permissions".
 */
export interface Permissions {
  filesystem: {
    /**
     * Paths the server may read (read-only).
     *
     * @maxItems 64
     */
    read?: PermissionPath[];
    /**
     * Paths the server may read and write.
     *
     * @maxItems 64
     */
    write?: PermissionPath[];
  };
  network: {
    /**
     * host:port patterns reachable through the proxy; empty or absent: no network at all.
     *
     * @maxItems 64
     */
    allow?: NetworkTarget[];
  };
  /**
   * false: the server may not start other programs. Not yet enforceable with bubblewrap alone, so `run` refuses such a server instead of pretending. Absent or true: allowed (inside the same sandbox).
   */
  subprocesses?: boolean;
}
/**
 * The server's long description as Markdown, signed with the manifest: the npm package's README from its tarball when the manifest is generated (the first 64 KiB). The marketplace renders it without raw HTML, with only http(s) and mailto links, and never loads its images.
 *
 * This interface was referenced by `McpLockManifest`'s JSON-Schema
 * via the `definition` "Readme".
 */
export interface Readme {
  source: 'npm-package' | 'publisher';
  /**
   * The file it was read from, e.g. README.md
   */
  file?: string;
  markdown: string;
  /**
   * The file was longer and was cut at 64 KiB
   */
  truncated?: boolean;
}
