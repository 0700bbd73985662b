/**
 * The one root of every error dynaflow raises on purpose.
 *
 * Callers branch on `code` (stable, documented), never on message text. A message says what
 * happened, why, and what to do; `hint` carries the "what to do" part separately so the CLI can
 * print it on its own line.
 */
import type { ErrorCode } from './error-code.js';
import { EXIT, semanticsOf } from './semantics.js';

export type { ErrorCode } from './error-code.js';
export { ERROR_SEMANTICS, EXIT, semanticsOf } from './semantics.js';
export type { ErrorSemantics, ExitCode, StopStatus } from './semantics.js';

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

/**
 * `MODEL_UNKNOWN`: a model name the provider neither knows nor accepts as an id.
 * @example if (error instanceof ModelUnknownError) suggestFor(error.model, error.provider);
 */
export class ModelUnknownError extends UsageError {
  /** The name as the user gave it (trimmed; empty when none was given). */
  readonly model: string;
  /** The provider that refused it, when one was asked. */
  readonly provider: string | undefined;

  constructor(
    message: string,
    options: DynaflowErrorOptions & { model: string; provider?: string | undefined },
  ) {
    super('MODEL_UNKNOWN', message, options);
    this.model = options.model;
    this.provider = options.provider;
  }
}

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

/** The journal cannot be read, written or trusted, or holds no such run. */
export class JournalError extends DynaflowError {
  /** The run the error is about (`RUN_NOT_FOUND`, `RUN_LOCKED`, …), when it is about one. */
  readonly runId: string | undefined;

  constructor(code: ErrorCode, message: string, options: DynaflowErrorOptions & { runId?: string } = {}) {
    super(code, message, options);
    this.runId = options.runId;
  }
}

/** An agent tool refused or failed (these go back to the model as `is_error` results). */
export class ToolError extends DynaflowError {}

/**
 * Which process exit code an error maps to: its code's row in `ERROR_SEMANTICS`; anything that
 * is not a DynaflowError is an uncaught throw (1).
 * @example exitCodeFor(new LimitError('BUDGET_EXHAUSTED', '…')) // 3
 */
export function exitCodeFor(error: unknown): number {
  if (!DynaflowError.isInstance(error)) return EXIT.scriptThrew;
  return semanticsOf(error.code).exitCode;
}
