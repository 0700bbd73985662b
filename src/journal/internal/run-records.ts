/**
 * The records of the `runs` table as the store builds them: a new run, a patched run and an
 * imported run (each with its free texts redacted), a run's summary for `dynaflow runs`, and the
 * errors about run ids. Runs are few and written at once, so none of this is on the per-call path;
 * calls and events never come here.
 */
import { JournalError } from '../../errors/index.js';
import type { NewRun, RunPatch, RunSummary } from '../journal-store.js';
import { redactNullable, redactSecrets } from '../redact.js';
import { CALL_STATUSES, JOURNAL_SCHEMA_VERSION, type CallStatus, type RunRecord } from '../types.js';
import type { RunLocks } from './lock.js';
import { capErrorText } from './error-text.js';
import { usageFromRow, type RunRow } from './rows.js';
import type { Statements } from './statements.js';

/** The record `createRun` inserts: not started by anyone yet, no result. */
export function newRunRecord(run: NewRun, id: string, now: string, secrets: readonly string[]): RunRecord {
  return {
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    id,
    scriptPath: run.scriptPath,
    scriptHash: run.scriptHash,
    scriptText: redactSecrets(run.scriptText, secrets),
    argsJson: redactNullable(run.argsJson, secrets),
    provider: run.provider,
    model: run.model,
    limits: run.limits,
    seed: run.seed,
    status: run.status ?? 'running',
    resultJson: null,
    error: null,
    reuseFrom: run.reuseFrom ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/** `current` with `patch` applied; a field the patch leaves out keeps its value. */
export function patchedRun(
  current: RunRecord,
  patch: RunPatch,
  now: string,
  secrets: readonly string[],
): RunRecord {
  return {
    ...current,
    ...patch,
    resultJson:
      patch.resultJson === undefined ? current.resultJson : redactNullable(patch.resultJson, secrets),
    error:
      patch.error === undefined
        ? current.error
        : patch.error === null
          ? null
          : capErrorText(redactSecrets(patch.error, secrets)),
    updatedAt: now,
  };
}

/** A run from a snapshot as it is stored: redacted again, since the snapshot came from outside. */
export function importedRun(run: RunRecord, secrets: readonly string[]): RunRecord {
  return {
    ...run,
    scriptText: redactSecrets(run.scriptText, secrets),
    argsJson: redactNullable(run.argsJson, secrets),
    resultJson: redactNullable(run.resultJson, secrets),
    error: redactNullable(run.error, secrets),
  };
}

/** One line of `dynaflow runs`: the run, its calls counted per status, its usage and its driver. */
export function runSummary(statements: Statements, locks: RunLocks, row: RunRow): RunSummary {
  const calls = Object.fromEntries(CALL_STATUSES.map((status) => [status, 0])) as Record<CallStatus, number>;
  for (const { status, n } of statements.countCallsByStatus.all(row.id)) {
    if (status in calls) calls[status as CallStatus] = n;
  }
  const totals = usageFromRow(statements.usageTotals.get(row.id));
  return {
    id: row.id,
    scriptPath: row.script_path,
    provider: row.provider,
    model: row.model,
    status: row.status as RunSummary['status'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    calls,
    usage: totals.usage,
    costUsd: totals.costUsd,
    driver: locks.holder(row.id),
  };
}

export function runNotFound(location: string, id: string): JournalError {
  return new JournalError('RUN_NOT_FOUND', `No run ${id} in the journal ${location}.`, {
    runId: id,
    hint: '`dynaflow runs` lists the runs of this project (a run lives in the state dir where it started; see --state-dir).',
  });
}

export function runExists(location: string, id: string): JournalError {
  return new JournalError('JOURNAL_WRITE_FAILED', `A run ${id} already exists in the journal ${location}.`, {
    hint: 'Run ids are unique; omit the id to get a fresh one, or `dynaflow resume` the existing run.',
  });
}
