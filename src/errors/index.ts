/**
 * The one root of every error dynaflow raises on purpose.
 *
 * Callers branch on `code` (stable, documented), never on message text. A message says what
 * happened, why, and what to do; `hint` carries the "what to do" part separately so the CLI can
 * print it on its own line.
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

export interface SourceLocation {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

export interface DynaflowErrorOptions {
  readonly hint?: string | undefined;
  readonly cause?: unknown;
  /** Set on transient failures: how long to wait before trying again. */
  readonly retryAfterMs?: number | undefined;
  readonly location?: SourceLocation | undefined;
}

const BRAND = Symbol.for('dynaflow.error');

export class DynaflowError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly location: SourceLocation | undefined;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: DynaflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.retryAfterMs = options.retryAfterMs;
    this.location = options.location;
  }

  /** True when a retry may succeed (rate limits, overload, dropped connections). */
  get retryable(): boolean {
    return this.retryAfterMs !== undefined;
  }

  /**
   * Works across duplicated module copies (bundles, workers), unlike `instanceof`.
   * @example if (DynaflowError.isInstance(e) && e.code === 'RUN_LOCKED') ...
   */
  static isInstance(value: unknown): value is DynaflowError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** `file:line:col message` when the error points into a file, else the message. */
  describe(): string {
    // Config errors name their file in the message itself (it travels without the location too,
    // e.g. into an agent's failure); the prefix is then not repeated.
    const located = this.location !== undefined && !this.message.startsWith(`${this.location.file}:`);
    const where = located ? `${this.location.file}:${this.location.line}:${this.location.column} ` : '';
    return `${where}${this.message}${this.hint ? `\n  hint: ${this.hint}` : ''}`;
  }
}

/** Bad CLI usage, bad flags, bad args, bad config files. */
export class UsageError extends DynaflowError {}

/** A script that cannot be loaded or that failed while running in the sandbox. */
export class ScriptError extends DynaflowError {}

/** A ceiling (budget, cost, agent cap, item limit) or a cancellation stopped new work. */
export class LimitError extends DynaflowError {}

/** Anything a model provider (or the simulator) answered, or failed to answer. */
export class ProviderError extends DynaflowError {
  /** HTTP status when the provider answered one. */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: DynaflowErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** The journal cannot be read, written or trusted. */
export class JournalError extends DynaflowError {}

/** An agent tool refused or failed (these go back to the model as `is_error` results). */
export class ToolError extends DynaflowError {}

/** Exit codes of the CLI, as SPEC §3 fixes them. */
export const EXIT = {
  done: 0,
  scriptThrew: 1,
  usage: 2,
  exhausted: 3,
  notApproved: 4,
  interrupted: 130,
} as const;

/** Which process exit code an error maps to. */
export function exitCodeFor(error: unknown): number {
  if (!DynaflowError.isInstance(error)) return EXIT.scriptThrew;
  switch (error.code) {
    case 'USAGE':
    case 'ARGS_INVALID':
    case 'CONFIG_INVALID':
    case 'SCRIPT_NOT_FOUND':
    case 'SCRIPT_SYNTAX':
    case 'SCRIPT_META':
    case 'SCRIPT_TOO_LARGE':
    case 'PLAN_INVALID':
    case 'SCHEMA_TOO_LARGE':
    case 'PROVIDER_CREDENTIALS_MISSING':
    case 'PROVIDER_UNKNOWN':
    case 'MODEL_UNKNOWN':
    case 'RUN_NOT_FOUND':
    case 'RUN_EMPTY':
    case 'RUN_LOCKED':
    case 'RUN_NOT_RESUMABLE':
    case 'SCRIPT_CHANGED':
    case 'JOURNAL_CORRUPT':
    case 'JOURNAL_TOO_NEW':
      return EXIT.usage;
    case 'BUDGET_EXHAUSTED':
    case 'COST_EXHAUSTED':
    case 'AGENT_CAP_REACHED':
    case 'PROVIDER_BILLING':
      return EXIT.exhausted;
    case 'NOT_APPROVED':
      return EXIT.notApproved;
    case 'RUN_CANCELLED':
      return EXIT.interrupted;
    default:
      return EXIT.scriptThrew;
  }
}
