import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * One ajv for script schemas. `strict: false`: user schemas often carry keywords ajv does not
 * know (`examples`, vendor fields); they are ignored instead of rejected.
 */
const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
addFormatsModule.default(ajv);

const cache = new WeakMap<object, ValidateFunction>();

/** Compiles (once per schema object); throws ajv's error for an invalid schema. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const cached = cache.get(schema);
  if (cached) return cached;
  const validate = ajv.compile(schema);
  cache.set(schema, validate);
  return validate;
}
