import { DynaflowError } from '../../errors/index.js';

/** The synthesis refused a tool or output schema as too large: the sim answers 400, not 500. */
export function isRefusedSchema(error: unknown): error is DynaflowError {
  return DynaflowError.isInstance(error) && error.code === 'SCHEMA_TOO_LARGE';
}
