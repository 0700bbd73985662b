/**
 * What every error code means beyond its message, in one table: the CLI's exit code, how a run
 * that stops on it ends, whether an agent call it stops is run again on resume, and whether it
 * halts the whole run. The runtime and the CLI read these rows instead of keeping their own
 * switches, so a new code is decided here once; `Record<ErrorCode, …>` makes the compiler refuse a
 * code without a row.
 */
import type { ErrorCode } from './error-code.js';

/** Exit codes of the CLI, as SPEC §3 fixes them. */
export const EXIT = {
  done: 0,
  scriptThrew: 1,
  usage: 2,
  exhausted: 3,
  notApproved: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** How a run that stops on an error ends (a subset of the journal's run statuses). */
export type StopStatus = 'failed' | 'exhausted' | 'interrupted';

export interface ErrorSemantics {
  /** The process exit code of a command that ends with this error. */
  readonly exitCode: ExitCode;
  /** The status of a run that stops on this error (a cancel by request is `cancelled` instead). */
  readonly runStatus: StopStatus;
  /**
   * An agent call ended by it is journaled `interrupted`, not `failed`: the cause was the run's
   * (a ceiling, a cancel, a halt), so a resume runs the call again.
   */
  readonly interruptsCall: boolean;
  /** The first agent failure with this code stops the whole run: every later request would repeat it. */
  readonly haltsRun: boolean;
  /**
   * The user must act before the run can go on (raise a ceiling, fix a credential, free a lock,
   * repair a journal): every place that raises it gives a `hint` saying how.
   */
  readonly hintRequired: boolean;
}

/** Bad input the user fixes before anything runs: exit 2. */
const INVALID: ErrorSemantics = {
  exitCode: EXIT.usage,
  runStatus: 'failed',
  interruptsCall: false,
  haltsRun: false,
  hintRequired: false,
};

/** The script, an agent or a tool failed while running: exit 1. */
const FAILED: ErrorSemantics = { ...INVALID, exitCode: EXIT.scriptThrew };

/** A ceiling stopped new work; resumable with a higher one: exit 3. */
const CEILING: ErrorSemantics = {
  exitCode: EXIT.exhausted,
  runStatus: 'exhausted',
  interruptsCall: true,
  haltsRun: false,
  hintRequired: true,
};

/** The journal, a run's record or its lock stands in the way; the hint says how to clear it: exit 2. */
const RUN_BLOCKED: ErrorSemantics = { ...INVALID, hintRequired: true };

export const ERROR_SEMANTICS: Readonly<Record<ErrorCode, ErrorSemantics>> = {
  // usage and input
  USAGE: INVALID,
  ARGS_INVALID: INVALID,
  CONFIG_INVALID: INVALID,
  SCRIPT_NOT_FOUND: INVALID,
  SCRIPT_SYNTAX: INVALID,
  SCRIPT_META: INVALID,
  SCRIPT_TOO_LARGE: INVALID,
  NOT_APPROVED: { ...INVALID, exitCode: EXIT.notApproved },
  PLAN_INVALID: INVALID,
  // while a script runs
  SCRIPT_THREW: FAILED,
  SANDBOX_CPU_LIMIT: FAILED,
  SANDBOX_MEMORY_LIMIT: FAILED,
  NONDETERMINISM: FAILED,
  TOO_MANY_ITEMS: FAILED,
  WORKFLOW_NESTING: FAILED,
  WORKFLOW_NOT_FOUND: FAILED,
  BUDGET_EXHAUSTED: CEILING,
  COST_EXHAUSTED: CEILING,
  // Refused at admission, before the agent's call starts: there is no call to interrupt.
  AGENT_CAP_REACHED: { ...CEILING, interruptsCall: false },
  RUN_CANCELLED: {
    exitCode: EXIT.interrupted,
    runStatus: 'interrupted',
    interruptsCall: true,
    haltsRun: false,
    hintRequired: false,
  },
  AGENT_SKIPPED: FAILED,
  SCHEMA_INVALID: FAILED,
  SCHEMA_UNSATISFIABLE: FAILED,
  SCHEMA_TOO_LARGE: INVALID,
  STRUCTURED_OUTPUT_FAILED: FAILED,
  AGENT_MAX_TURNS: FAILED,
  // providers
  // The run is halted `failed` (exit 2, the hint names the variable and the resume step).
  PROVIDER_CREDENTIALS_MISSING: { ...INVALID, interruptsCall: true, haltsRun: true, hintRequired: true },
  PROVIDER_UNKNOWN: INVALID,
  MODEL_UNKNOWN: INVALID,
  PROVIDER_RATE_LIMITED: FAILED,
  PROVIDER_OVERLOADED: FAILED,
  PROVIDER_SERVER_ERROR: FAILED,
  PROVIDER_CONNECTION: FAILED,
  PROVIDER_TRUNCATED: FAILED,
  PROVIDER_REQUEST_REJECTED: FAILED,
  // An account out of credit ends the run like a spent budget: `exhausted`, exit 3, resumable.
  PROVIDER_BILLING: { ...CEILING, haltsRun: true },
  PROVIDER_BAD_RESPONSE: FAILED,
  // journal and runs
  RUN_NOT_FOUND: RUN_BLOCKED,
  RUN_EMPTY: INVALID,
  RUN_LOCKED: RUN_BLOCKED,
  RUN_NOT_RESUMABLE: RUN_BLOCKED,
  SCRIPT_CHANGED: RUN_BLOCKED,
  JOURNAL_CORRUPT: RUN_BLOCKED,
  JOURNAL_TOO_NEW: RUN_BLOCKED,
  JOURNAL_WRITE_FAILED: FAILED,
  // tools and workspaces
  PATH_OUTSIDE_WORKSPACE: FAILED,
  PERMISSION_DENIED: FAILED,
  TOOL_INPUT_INVALID: FAILED,
  TOOL_FAILED: FAILED,
  WORKTREE_UNAVAILABLE: FAILED,
};

/**
 * The row of one code.
 * @example semanticsOf('PROVIDER_BILLING') // { exitCode: 3, runStatus: 'exhausted', haltsRun: true, … }
 */
export function semanticsOf(code: ErrorCode): ErrorSemantics {
  // A code that slipped past the type (a value cast from outside) is an ordinary failure.
  return Object.hasOwn(ERROR_SEMANTICS, code) ? ERROR_SEMANTICS[code] : FAILED;
}
