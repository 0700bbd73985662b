/** Rows as SQLite returns them, and their mapping to the journal's records. */
import type { Usage } from '../../providers/types.js';
import type { CallCompletion, NewCall } from '../journal-store.js';
import { capErrorText } from './error-text.js';
import {
  JOURNAL_SCHEMA_VERSION,
  type CallKind,
  type CallRecord,
  type CallStatus,
  type RunEventRecord,
  type RunLimits,
  type RunRecord,
  type RunStatus,
} from '../types.js';

export interface RunRow {
  readonly id: string;
  readonly schema_version: number;
  readonly script_path: string;
  readonly script_hash: string;
  readonly script_text: string;
  readonly args_json: string | null;
  readonly provider: string;
  readonly model: string;
  readonly limits_json: string;
  readonly seed: number;
  readonly status: string;
  readonly result_json: string | null;
  readonly error: string | null;
  readonly reuse_from: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface CallRow {
  readonly run_id: string;
  readonly call_key: string;
  readonly schema_version: number;
  readonly kind: string;
  readonly label: string;
  readonly phase: string | null;
  readonly model: string | null;
  readonly prompt: string;
  readonly options_json: string;
  readonly status: string;
  readonly result_json: string | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_read_tokens: number;
  readonly cache_creation_tokens: number;
  readonly cost_usd: number;
  readonly attempts: number;
  readonly tool_calls: number;
  readonly error: string | null;
  readonly worktree: string | null;
  readonly branch: string | null;
  readonly reused_from: string | null;
  readonly started_at: string;
  readonly ended_at: string | null;
}

export interface EventRow {
  readonly run_id: string;
  readonly seq: number;
  readonly schema_version: number;
  readonly kind: string;
  readonly text: string;
  readonly at: string;
}

export interface UsageRow {
  readonly calls: number;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly cache_read_tokens: number | null;
  readonly cache_creation_tokens: number | null;
  readonly cost_usd: number | null;
}

export const RUN_COLUMNS = `id, schema_version, script_path, script_hash, script_text, args_json, provider, model,
  limits_json, seed, status, result_json, error, reuse_from, created_at, updated_at`;

export const CALL_COLUMNS = `run_id, call_key, schema_version, kind, label, phase, model, prompt, options_json,
  status, result_json, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd,
  attempts, tool_calls, error, worktree, branch, reused_from, started_at, ended_at`;

export const USAGE_SUMS = `count(*) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
  sum(cache_read_tokens) AS cache_read_tokens, sum(cache_creation_tokens) AS cache_creation_tokens,
  sum(cost_usd) AS cost_usd`;

export function runFromRow(row: RunRow): RunRecord {
  return {
    schemaVersion: row.schema_version,
    id: row.id,
    scriptPath: row.script_path,
    scriptHash: row.script_hash,
    scriptText: row.script_text,
    argsJson: row.args_json,
    provider: row.provider,
    model: row.model,
    limits: JSON.parse(row.limits_json) as RunLimits,
    seed: row.seed,
    status: row.status as RunStatus,
    resultJson: row.result_json,
    error: row.error,
    reuseFrom: row.reuse_from,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function callFromRow(row: CallRow): CallRecord {
  return {
    schemaVersion: row.schema_version,
    runId: row.run_id,
    callKey: row.call_key,
    kind: row.kind as CallKind,
    label: row.label,
    phase: row.phase,
    model: row.model,
    prompt: row.prompt,
    optionsJson: row.options_json,
    status: row.status as CallStatus,
    resultJson: row.result_json,
    usage: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cacheReadTokens: row.cache_read_tokens,
      cacheCreationTokens: row.cache_creation_tokens,
    },
    costUsd: row.cost_usd,
    attempts: row.attempts,
    toolCalls: row.tool_calls,
    error: row.error,
    worktree: row.worktree,
    branch: row.branch,
    reusedFrom: row.reused_from,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export function eventFromRow(row: EventRow): RunEventRecord {
  return {
    schemaVersion: row.schema_version,
    runId: row.run_id,
    seq: row.seq,
    kind: row.kind as RunEventRecord['kind'],
    text: row.text,
    at: row.at,
  };
}

export function usageFromRow(row: UsageRow | undefined): { usage: Usage; costUsd: number; calls: number } {
  return {
    usage: {
      inputTokens: row?.input_tokens ?? 0,
      outputTokens: row?.output_tokens ?? 0,
      cacheReadTokens: row?.cache_read_tokens ?? 0,
      cacheCreationTokens: row?.cache_creation_tokens ?? 0,
    },
    costUsd: row?.cost_usd ?? 0,
    calls: row?.calls ?? 0,
  };
}

/** Named parameters of `insertRun`/`updateRun`. */
export function runParameters(run: RunRecord): Record<string, unknown> {
  return {
    id: run.id,
    schema_version: run.schemaVersion,
    script_path: run.scriptPath,
    script_hash: run.scriptHash,
    script_text: run.scriptText,
    args_json: run.argsJson,
    provider: run.provider,
    model: run.model,
    limits_json: JSON.stringify(run.limits),
    seed: run.seed,
    status: run.status,
    result_json: run.resultJson,
    error: run.error,
    reuse_from: run.reuseFrom,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
  };
}

/** Named parameters of `insertCall`, with every free text passed through `redact`. */
export function callParameters(call: CallRecord, redact: (text: string) => string): Record<string, unknown> {
  const redactNullable = (text: string | null): string | null => (text === null ? null : redact(text));
  return {
    run_id: call.runId,
    call_key: call.callKey,
    schema_version: call.schemaVersion,
    kind: call.kind,
    label: redact(call.label),
    phase: call.phase,
    model: call.model,
    prompt: redact(call.prompt),
    options_json: redact(call.optionsJson),
    status: call.status,
    result_json: redactNullable(call.resultJson),
    input_tokens: call.usage.inputTokens,
    output_tokens: call.usage.outputTokens,
    cache_read_tokens: call.usage.cacheReadTokens,
    cache_creation_tokens: call.usage.cacheCreationTokens,
    cost_usd: call.costUsd,
    attempts: call.attempts,
    tool_calls: call.toolCalls,
    error: call.error === null ? null : capErrorText(redact(call.error)),
    worktree: call.worktree,
    branch: call.branch,
    reused_from: call.reusedFrom,
    started_at: call.startedAt,
    ended_at: call.endedAt,
  };
}

/** The row of a call that starts (`startCall`), its texts redacted. */
export function startParameters(
  call: NewCall,
  redact: (text: string) => string,
  now: string,
): Record<string, unknown> {
  return {
    run_id: call.runId,
    call_key: call.callKey,
    schema_version: JOURNAL_SCHEMA_VERSION,
    kind: call.kind,
    label: redact(call.label),
    phase: call.phase,
    model: call.model,
    prompt: redact(call.prompt),
    options_json: redact(call.optionsJson),
    started_at: call.startedAt ?? now,
  };
}

/** What `completeCall` writes over a started call, its texts redacted. */
export function completionParameters(
  completion: CallCompletion,
  redact: (text: string) => string,
  now: string,
): Record<string, unknown> {
  return {
    run_id: completion.runId,
    call_key: completion.callKey,
    status: completion.status,
    result_json: completion.resultJson === null ? null : redact(completion.resultJson),
    input_tokens: completion.usage.inputTokens,
    output_tokens: completion.usage.outputTokens,
    cache_read_tokens: completion.usage.cacheReadTokens,
    cache_creation_tokens: completion.usage.cacheCreationTokens,
    cost_usd: completion.costUsd,
    attempts: completion.attempts,
    tool_calls: completion.toolCalls,
    error: completion.error === null ? null : capErrorText(redact(completion.error)),
    worktree: completion.worktree,
    branch: completion.branch,
    reused_from: completion.reusedFrom ?? null,
    ended_at: completion.endedAt ?? now,
  };
}
