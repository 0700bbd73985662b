import { createRequire } from 'node:module';

import type { Ajv as AjvInstance, ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';

let ajv: AjvInstance | undefined;

/**
 * One ajv for script schemas, made on the first `args` schema: most runs have none, and ajv with
 * its formats is ~10 ms of a CLI start. `strict: false`: user schemas often carry keywords ajv
 * does not know (`examples`, vendor fields); they are ignored instead of rejected.
 */
function loadAjv(): AjvInstance {
  if (ajv) return ajv;
  const loadPackage = createRequire(import.meta.url);
  const { Ajv } = loadPackage('ajv') as typeof import('ajv');
  const addFormats = loadPackage('ajv-formats') as typeof addFormatsModule;
  ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}

const cache = new WeakMap<object, ValidateFunction>();

/** Compiles (once per schema object); throws ajv's error for an invalid schema. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const cached = cache.get(schema);
  if (cached) return cached;
  const validate = loadAjv().compile(schema);
  cache.set(schema, validate);
  return validate;
}
