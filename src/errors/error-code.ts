/**
 * Every stable error code dynaflow raises. Callers and tests branch on these, never on message
 * text; what each one means for the exit code and the run is in `ERROR_SEMANTICS` (semantics.ts),
 * which must name every code here (the compiler checks it).
 */
export type ErrorCode =
  // usage and input
  | 'USAGE'
  | 'ARGS_INVALID'
  | 'CONFIG_INVALID'
  | 'SCRIPT_NOT_FOUND'
  | 'SCRIPT_SYNTAX'
  | 'SCRIPT_META'
  | 'SCRIPT_TOO_LARGE'
  | 'NOT_APPROVED'
  | 'PLAN_INVALID'
  // while a script runs
  | 'SCRIPT_THREW'
  | 'SANDBOX_CPU_LIMIT'
  | 'SANDBOX_MEMORY_LIMIT'
  | 'NONDETERMINISM'
  | 'TOO_MANY_ITEMS'
  | 'WORKFLOW_NESTING'
  | 'WORKFLOW_NOT_FOUND'
  | 'BUDGET_EXHAUSTED'
  | 'COST_EXHAUSTED'
  | 'AGENT_CAP_REACHED'
  | 'RUN_CANCELLED'
  | 'AGENT_SKIPPED'
  | 'SCHEMA_INVALID'
  | 'SCHEMA_UNSATISFIABLE'
  | 'SCHEMA_TOO_LARGE'
  | 'STRUCTURED_OUTPUT_FAILED'
  | 'AGENT_MAX_TURNS'
  // providers
  | 'PROVIDER_CREDENTIALS_MISSING'
  | 'PROVIDER_UNKNOWN'
  | 'MODEL_UNKNOWN'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_OVERLOADED'
  | 'PROVIDER_SERVER_ERROR'
  | 'PROVIDER_CONNECTION'
  | 'PROVIDER_TRUNCATED'
  | 'PROVIDER_REQUEST_REJECTED'
  | 'PROVIDER_BILLING'
  | 'PROVIDER_BAD_RESPONSE'
  // journal and runs
  | 'RUN_NOT_FOUND'
  | 'RUN_EMPTY'
  | 'RUN_LOCKED'
  | 'RUN_NOT_RESUMABLE'
  | 'SCRIPT_CHANGED'
  | 'JOURNAL_CORRUPT'
  | 'JOURNAL_TOO_NEW'
  | 'JOURNAL_WRITE_FAILED'
  // tools and workspaces
  | 'PATH_OUTSIDE_WORKSPACE'
  | 'PERMISSION_DENIED'
  | 'TOOL_INPUT_INVALID'
  | 'TOOL_FAILED'
  | 'WORKTREE_UNAVAILABLE';
