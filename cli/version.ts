// The version mcp-lock reports and records in manifests it generates.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
/** The npm package this installation came from (what `npx -y <name>@<version>` starts). */
export const PACKAGE_NAME: string = pkg.name;
export const GENERATOR = `mcp-lock/${VERSION}`;
