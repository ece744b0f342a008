// The one set of Ajv options for our schemas: strict, every error, and nothing rewritten (no defaults,
// no coercion, no removal), so a document is judged exactly as written. The runtime validator
// (validate.ts) and the precompiled validators (scripts/gen-types.ts) both use it.

export const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  useDefaults: false,
  coerceTypes: false,
  removeAdditional: false,
} as const;
