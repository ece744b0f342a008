// Validation and serialization for every route. Bodies are validated with a non-mutating Ajv (no
// defaults, coercion or removal: what is checked is what was sent); query strings and path parameters
// may coerce scalars ("limit=5" → 5) and nothing else. Responses are checked against their schema and
// then written with JSON.stringify, so a response can never silently lose a field or break its contract.

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { McpLockError } from '../../core/errors.ts';
import { createApiAjv, isRfc3339 } from '../../core/registry/api-validate.ts';

function createQueryAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: false,
    strict: true,
    strictTypes: false,
    coerceTypes: true,
    useDefaults: false,
    removeAdditional: false,
  });
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });
  return ajv;
}

export const schemasPlugin = fp(
  async (app: FastifyInstance) => {
    const bodyAjv = createApiAjv();
    const responseAjv = createApiAjv();
    const queryAjv = createQueryAjv();
    const cache = new WeakMap<object, ValidateFunction>();
    const compile = (ajv: Ajv2020, schema: object): ValidateFunction => {
      let fn = cache.get(schema);
      if (!fn) {
        fn = ajv.compile(schema);
        cache.set(schema, fn);
      }
      return fn;
    };

    app.setValidatorCompiler(({ schema, httpPart }) => {
      const ajv = httpPart === 'body' ? bodyAjv : queryAjv;
      return ajv.compile(schema as object);
    });

    app.setSerializerCompiler(({ schema, url, httpStatus }) => {
      const validate = compile(responseAjv, schema as object);
      return (data: unknown) => {
        if (!validate(data)) {
          const e = validate.errors?.[0];
          throw new McpLockError(
            'INTERNAL',
            `response ${httpStatus} of ${url} does not match its schema: ${e?.instancePath ?? ''} ${e?.message ?? ''}`,
          );
        }
        return JSON.stringify(data);
      };
    });
  },
  { name: 'mcp-lock-schemas', fastify: '5.x' },
);
