// The version mcp-lock reports and records in manifests it generates: this installation's package.json
// (read, not imported, so the compiled package does not carry a second copy of it in dist/).
import { readFileSync } from 'node:fs';
import { packagePath } from '../adapters/package-root.ts';

const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string; version: string };

export const VERSION: string = pkg.version;
/** The npm package this installation came from (what `npx -y <name>@<version>` starts). */
export const PACKAGE_NAME: string = pkg.name;
export const GENERATOR = `mcp-lock/${VERSION}`;
