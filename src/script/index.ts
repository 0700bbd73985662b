export { loadScript, parseScript, validateScript } from './load-script.js';
export { ARGS_LIMITS, parseBoundedArgs, validateArgs } from './validate-args.js';
export { MAX_SCRIPT_BYTES } from './internal/analyse.js';
export type { Diagnostic, LoadedScript, PhaseSpec, WorkflowMeta } from './types.js';
export {
  checkSchemaSize,
  chooseSchemaType,
  findSchemaSizeProblem,
  isSchemaNode,
  minimalInstanceBytes,
  resolveSchemaShape,
  SCHEMA_BUDGET,
  SYNTHESIS_MAX_DEPTH,
} from './schema-budget.js';
export type { SchemaBudget, SchemaNode, SchemaSizeProblem } from './schema-budget.js';
