export { loadScript, parseScript, validateScript } from './load-script.js';
export { validateArgs } from './validate-args.js';
export { MAX_SCRIPT_BYTES } from './internal/analyse.js';
export type { Diagnostic, LoadedScript, PhaseSpec, WorkflowMeta } from './types.js';
