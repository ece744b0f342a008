// The version mcp-lock reports and records in manifests it generates.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
export const GENERATOR = `mcp-lock/${VERSION}`;
