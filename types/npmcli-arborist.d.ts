// The parts of @npmcli/arborist (untyped upstream) that mcp-lock uses.
declare module '@npmcli/arborist' {
  interface ArboristOptions {
    path: string;
    registry?: string;
    cache?: string;
    ignoreScripts?: boolean;
    audit?: boolean;
    fund?: boolean;
    savePrefix?: string;
    save?: boolean;
    binLinks?: boolean;
    offline?: boolean;
    preferOffline?: boolean;
    packageLock?: boolean;
    replaceRegistryHost?: string;
    [option: string]: unknown;
  }
  interface ArboristNode {
    location: string;
    name: string;
    packageName: string;
    version: string;
    resolved: string | null;
    integrity: string | null;
    isProjectRoot: boolean;
    hasInstallScript: boolean;
    package: Record<string, unknown>;
    children: Map<string, ArboristNode>;
  }
  interface ArboristTree extends ArboristNode {
    inventory: Map<string, ArboristNode>;
  }
  class Arborist {
    constructor(options: ArboristOptions);
    reify(options?: { add?: string[]; rm?: string[]; save?: boolean }): Promise<ArboristTree>;
    loadVirtual(): Promise<ArboristTree>;
    loadActual(): Promise<ArboristTree>;
    buildIdealTree(options?: Record<string, unknown>): Promise<ArboristTree>;
    idealTree: ArboristTree | null;
  }
  export default Arborist;
}
