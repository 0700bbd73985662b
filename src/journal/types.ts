/**
 * The journal's storage interface. Nothing outside `src/journal/` may know how records are
 * stored (SQLite today, a shared PostgreSQL store next).
 *
 * Every record carries `schemaVersion` so old journals keep replaying after changes.
 */
import type { Usage } from '../providers/types.js';

export const JOURNAL_SCHEMA_VERSION = 2;

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted' | 'exhausted';

export interface RunLimits {
  readonly concurrency: number;
  readonly maxAgents: number;
  /** Output-token ceiling; null = none. */
  readonly budgetTokens: number | null;
  /** USD ceiling; null = none. */
  readonly maxCostUsd: number | null;
}

export interface RunRecord {
  readonly schemaVersion: number;
  readonly id: string;
  readonly scriptPath: string;
  readonly scriptHash: string;
  readonly scriptText: string;
  /** JSON text of `args`, or null when none were given. */
  readonly argsJson: string | null;
  readonly provider: string;
  readonly model: string;
  readonly limits: RunLimits;
  /** Seed of the script's `Math.random()`. */
  readonly seed: number;
  readonly status: RunStatus;
  /** JSON text of the script's return value once done. */
  readonly resultJson: string | null;
  readonly error: string | null;
  /** Run this one reuses completions from (`--reuse`). */
  readonly reuseFrom: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type CallKind = 'agent' | 'exec';
/** Every status a call can have, in the order `dynaflow runs` counts them. */
export const CALL_STATUSES = ['running', 'done', 'failed', 'skipped', 'interrupted'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export interface CallRecord {
  readonly schemaVersion: number;
  readonly runId: string;
  /** `<hash of what determines the call>#<occurrence>`. */
  readonly callKey: string;
  readonly kind: CallKind;
  readonly label: string;
  readonly phase: string | null;
  readonly model: string | null;
  readonly prompt: string;
  /** JSON text of the behaviour-changing options. */
  readonly optionsJson: string;
  readonly status: CallStatus;
  /** JSON text of what `agent()`/`exec()` returned to the script (null → `null`). */
  readonly resultJson: string | null;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly attempts: number;
  readonly toolCalls: number;
  readonly error: string | null;
  readonly worktree: string | null;
  readonly branch: string | null;
  /**
   * The run whose completion answered this call (`--reuse`), copied into this run so that it can
   * be resumed and shown on its own; null for a call this run made itself. Schema v2.
   */
  readonly reusedFrom: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
}

export interface RunEventRecord {
  readonly schemaVersion: number;
  readonly runId: string;
  readonly seq: number;
  readonly kind: 'log' | 'phase' | 'warning';
  readonly text: string;
  readonly at: string;
}
