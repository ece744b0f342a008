// Types of the precompiled validators generated into validators.js by scripts/gen-types.ts.
import type { ErrorObject } from 'ajv';

export interface PrecompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export declare const manifest: PrecompiledValidator;
export declare const lock: PrecompiledValidator;
export declare const policy: PrecompiledValidator;
