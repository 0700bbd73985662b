/** Every SQL statement of the store, prepared once per connection. */
import type Database from 'better-sqlite3';
import {
  CALL_COLUMNS,
  RUN_COLUMNS,
  USAGE_SUMS,
  type CallRow,
  type EventRow,
  type RunRow,
  type UsageRow,
} from './rows.js';

type Named = Record<string, unknown>;

export interface Statements {
  readonly insertRun: Database.Statement<[Named]>;
  readonly selectRun: Database.Statement<[string], RunRow>;
  readonly updateRun: Database.Statement<[Named]>;
  readonly cancelRun: Database.Statement<[string, string]>;
  readonly listRuns: Database.Statement<[number], RunRow>;
  readonly countCallsByStatus: Database.Statement<[string], { status: string; n: number }>;
  readonly startCall: Database.Statement<[Named]>;
  readonly completeCall: Database.Statement<[Named]>;
  readonly insertCall: Database.Statement<[Named]>;
  readonly reuseCall: Database.Statement<[Named]>;
  readonly interruptRunningCalls: Database.Statement<[string, string]>;
  readonly completedCalls: Database.Statement<[string], CallRow>;
  readonly listCalls: Database.Statement<[string], CallRow>;
  readonly insertEvent: Database.Statement<[Named]>;
  readonly lastEventSeq: Database.Statement<[string], { seq: number }>;
  readonly listEvents: Database.Statement<[string, number], EventRow>;
  readonly usageTotals: Database.Statement<[string], UsageRow>;
}

const CALL_VALUES = `@run_id, @call_key, @schema_version, @kind, @label, @phase, @model, @prompt, @options_json,
  @status, @result_json, @input_tokens, @output_tokens, @cache_read_tokens, @cache_creation_tokens, @cost_usd,
  @attempts, @tool_calls, @error, @worktree, @branch, @reused_from, @started_at, @ended_at`;

export function prepareStatements(db: Database.Database): Statements {
  return {
    insertRun: db.prepare(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (@id, @schema_version, @script_path,
      @script_hash, @script_text, @args_json, @provider, @model, @limits_json, @seed, @status, @result_json,
      @error, @reuse_from, @created_at, @updated_at)`),
    selectRun: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`),
    updateRun: db.prepare(`UPDATE runs SET provider = @provider, model = @model, limits_json = @limits_json,
      status = @status, result_json = @result_json, error = @error, reuse_from = @reuse_from,
      updated_at = @updated_at WHERE id = @id`),
    // Only a run that has not finished: a driver's final `done` is never overwritten.
    cancelRun: db.prepare(`UPDATE runs SET status = 'cancelled', updated_at = ?
      WHERE id = ? AND status NOT IN ('done', 'cancelled')`),
    listRuns: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC LIMIT ?`),
    countCallsByStatus: db.prepare(
      `SELECT status, count(*) AS n FROM calls WHERE run_id = ? GROUP BY status`,
    ),
    // Starting a key again (a re-run after a crash or a failure) resets the record to running.
    startCall: db.prepare(`INSERT INTO calls (${CALL_COLUMNS}) VALUES (@run_id, @call_key, @schema_version,
        @kind, @label, @phase, @model, @prompt, @options_json, 'running', NULL, 0, 0, 0, 0, 0, 0, 0, NULL, NULL,
        NULL, NULL, @started_at, NULL)
      ON CONFLICT (run_id, call_key) DO UPDATE SET schema_version = excluded.schema_version,
        kind = excluded.kind, label = excluded.label, phase = excluded.phase, model = excluded.model,
        prompt = excluded.prompt, options_json = excluded.options_json, status = 'running', result_json = NULL,
        input_tokens = 0, output_tokens = 0, cache_read_tokens = 0, cache_creation_tokens = 0, cost_usd = 0,
        attempts = 0, tool_calls = 0, error = NULL, worktree = NULL, branch = NULL, reused_from = NULL,
        started_at = excluded.started_at, ended_at = NULL`),
    completeCall: db.prepare(`UPDATE calls SET status = @status, result_json = @result_json,
      input_tokens = @input_tokens, output_tokens = @output_tokens, cache_read_tokens = @cache_read_tokens,
      cache_creation_tokens = @cache_creation_tokens, cost_usd = @cost_usd, attempts = @attempts,
      tool_calls = @tool_calls, error = @error, worktree = @worktree, branch = @branch, reused_from = @reused_from,
      ended_at = @ended_at WHERE run_id = @run_id AND call_key = @call_key`),
    // Copied inside SQLite: the text was redacted when the source was written, and large results
    // never cross into JavaScript. A reused call is not paid again: cost 0, no attempt.
    reuseCall: db.prepare(`INSERT INTO calls (${CALL_COLUMNS})
      SELECT @run_id, call_key, @schema_version, kind, coalesce(@label, label), @phase, model, prompt, options_json,
        CASE status WHEN 'skipped' THEN 'skipped' ELSE 'done' END, result_json, input_tokens, output_tokens,
        cache_read_tokens, cache_creation_tokens, 0, 0, tool_calls, NULL, worktree, branch, @from_run_id,
        @at, @at
      FROM calls WHERE run_id = @from_run_id AND call_key = @call_key AND status IN ('done', 'skipped')
      ON CONFLICT (run_id, call_key) DO UPDATE SET schema_version = excluded.schema_version,
        kind = excluded.kind, label = excluded.label, phase = excluded.phase, model = excluded.model,
        prompt = excluded.prompt, options_json = excluded.options_json, status = excluded.status,
        result_json = excluded.result_json, input_tokens = excluded.input_tokens,
        output_tokens = excluded.output_tokens, cache_read_tokens = excluded.cache_read_tokens,
        cache_creation_tokens = excluded.cache_creation_tokens, cost_usd = 0, attempts = 0,
        tool_calls = excluded.tool_calls, error = NULL, worktree = excluded.worktree,
        branch = excluded.branch, reused_from = excluded.reused_from, started_at = excluded.started_at,
        ended_at = excluded.ended_at`),
    insertCall: db.prepare(`INSERT INTO calls (${CALL_COLUMNS}) VALUES (${CALL_VALUES})`),
    interruptRunningCalls: db.prepare(
      `UPDATE calls SET status = 'interrupted', ended_at = ? WHERE run_id = ? AND status = 'running'`,
    ),
    completedCalls: db.prepare(`SELECT ${CALL_COLUMNS} FROM calls
      WHERE run_id = ? AND status IN ('done', 'failed', 'skipped') ORDER BY seq`),
    listCalls: db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE run_id = ? ORDER BY seq`),
    insertEvent: db.prepare(`INSERT INTO events (run_id, seq, schema_version, kind, text, at)
      VALUES (@run_id, @seq, @schema_version, @kind, @text, @at)`),
    lastEventSeq: db.prepare(`SELECT max(seq) AS seq FROM events WHERE run_id = ?`),
    listEvents: db.prepare(`SELECT run_id, seq, schema_version, kind, text, at FROM events
      WHERE run_id = ? AND seq > ? ORDER BY seq`),
    usageTotals: db.prepare(`SELECT ${USAGE_SUMS} FROM calls WHERE run_id = ?`),
  };
}
