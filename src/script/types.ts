/** One entry of `meta.phases`: a progress group shown in the plan and the monitor. */
export interface PhaseSpec {
  title: string;
  detail?: string;
  /** Default model of the agents in this phase. */
  model?: string;
}

/** The `export const meta = {…}` literal every workflow script starts with (SPEC §1). */
export interface WorkflowMeta {
  name: string;
  description: string;
  whenToUse?: string;
  phases?: PhaseSpec[];
  /** JSON Schema that `args` must satisfy (a dynaflow extension). */
  inputSchema?: Record<string, unknown>;
}

/** A problem found in a script, positioned in the original file (1-based line and column). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
  /** Stable identifier: `SCRIPT_SYNTAX`, `SCRIPT_META`, `UNKNOWN_GLOBAL`, … */
  code: string;
}

export interface LoadedScript {
  path: string;
  /** The file as written. */
  text: string;
  /** sha256 (hex) of `text`. */
  hash: string;
  language: 'js' | 'ts';
  meta: WorkflowMeta;
  /** Plain JS (types stripped, `export` of meta blanked) with the same line/column positions as `text`. */
  runnable: string;
  warnings: Diagnostic[];
}
