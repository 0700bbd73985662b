/**
 * The SQLite implementation of `JournalStore`. Writes of calls and events go through group
 * commit; run records are written at once (they are few, and callers read them back at once).
 * Every read of calls or events commits what is queued first, so a reader sees its own writes.
 */
import type Database from 'better-sqlite3';
import { JournalError } from '../../errors/index.js';
import { JOURNAL_SCHEMA_VERSION, type CallRecord, type RunEventRecord, type RunRecord } from '../types.js';
import type {
  AcquireLockOptions,
  CallCompletion,
  CallReuse,
  JournalEventKind,
  JournalSnapshot,
  JournalStore,
  LockHolder,
  NewCall,
  NewRun,
  RunCancellation,
  RunSteering,
  RunLock,
  RunPatch,
  RunSummary,
  UsageTotals,
  SteeringRequest,
} from '../journal-store.js';
import { redactSecrets } from '../redact.js';
import { newRunId } from '../run-id.js';
import { parseJournalSnapshot, SNAPSHOT_FORMAT } from '../snapshot.js';
import { GroupCommit } from './group-commit.js';
import { RunLocks, type LockSettings } from './lock.js';
import { importedRun, newRunRecord, patchedRun, runExists, runNotFound, runSummary } from './run-records.js';
import { RunSteeringStore } from './run-steering.js';
import { prepareStatements, type Statements } from './statements.js';
import {
  callFromRow,
  callParameters,
  eventFromRow,
  runFromRow,
  runParameters,
  usageFromRow,
  completionParameters,
  startParameters,
} from './rows.js';

export interface SqliteStoreSettings {
  readonly location: string;
  readonly readonly: boolean;
  readonly nowMs: () => number;
  readonly lock: LockSettings;
  readonly maxBatch: number;
  /** Exact values to mask besides the shapes `redactSecrets` knows. */
  readonly secrets: readonly string[];
}

export class SqliteJournalStore implements JournalStore {
  readonly location: string;
  readonly readonly: boolean;
  private readonly statements: Statements;
  private readonly commits: GroupCommit;
  private readonly locks: RunLocks;
  private readonly steering: RunSteeringStore;
  private readonly knownRuns = new Set<string>();
  /** Next event number per run; events are numbered when queued, not when committed. */
  private readonly nextEventSeq = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly settings: SqliteStoreSettings,
  ) {
    this.location = settings.location;
    this.readonly = settings.readonly;
    this.statements = prepareStatements(db);
    this.locks = new RunLocks(db, settings.lock);
    this.steering = new RunSteeringStore(db);
    this.commits = new GroupCommit({
      maxBatch: settings.maxBatch,
      runInTransaction: (body) => db.transaction(body).immediate(),
      describeFailure: (cause) =>
        new JournalError(
          'JOURNAL_WRITE_FAILED',
          `Could not commit to the journal ${this.location}: ${String(cause)}.`,
          {
            hint: 'Check free disk space and permissions of the state directory (--state-dir).',
            cause,
          },
        ),
    });
  }

  createRun(run: NewRun): RunRecord {
    this.assertWritable();
    const id = run.id ?? newRunId(this.settings.nowMs());
    const record = newRunRecord(run, id, this.nowIso(), this.settings.secrets);
    if (this.statements.selectRun.get(id) !== undefined) throw runExists(this.location, id);
    this.statements.insertRun.run(runParameters(record));
    this.knownRuns.add(id);
    return record;
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.statements.selectRun.get(id);
    return row === undefined ? undefined : runFromRow(row);
  }

  requireRun(id: string): RunRecord {
    const run = this.getRun(id);
    if (run === undefined) throw runNotFound(this.location, id);
    return run;
  }

  updateRun(id: string, patch: RunPatch): void {
    this.assertWritable();
    // Queued completions first: a run must never read `done` while its completions are missing.
    this.commits.flushSync();
    const current = this.requireRun(id);
    const next = patchedRun(current, patch, this.nowIso(), this.settings.secrets);
    this.statements.updateRun.run(runParameters(next));
  }

  listRuns(options: { readonly limit?: number } = {}): RunSummary[] {
    this.commits.flushSync();
    const rows = this.statements.listRuns.all(options.limit ?? -1);
    return rows.map((row) => runSummary(this.statements, this.locks, row));
  }

  cancelRun(id: string): RunCancellation {
    this.assertWritable();
    this.commits.flushSync();
    return this.db
      .transaction((): RunCancellation => {
        const previous = this.requireRun(id).status;
        const changed = this.statements.cancelRun.run(this.nowIso(), id).changes > 0;
        return { previous, changed, driver: this.locks.holder(id) };
      })
      .immediate();
  }

  requestSteering(runId: string, request: SteeringRequest): RunSteering {
    this.assertWritable();
    this.requireRun(runId);
    return this.steering.request(runId, request);
  }

  readSteering(runId: string): RunSteering {
    return this.steering.read(runId);
  }

  lockHolder(runId: string): LockHolder | null {
    return this.locks.holder(runId);
  }

  startCall(call: NewCall): void {
    this.assertWritable();
    this.assertKnownRun(call.runId);
    const parameters = startParameters(call, this.redactor, this.nowIso());
    this.commits.enqueue({
      apply: () => {
        this.statements.startCall.run(parameters);
        return undefined;
      },
    });
  }

  completeCall(completion: CallCompletion): Promise<void> {
    return new Promise((resolve, reject) => {
      this.assertWritable();
      this.assertKnownRun(completion.runId);
      const parameters = completionParameters(completion, this.redactor, this.nowIso());
      this.commits.enqueue({
        apply: () =>
          this.statements.completeCall.run(parameters).changes > 0
            ? undefined
            : new JournalError(
                'JOURNAL_WRITE_FAILED',
                `Call ${completion.callKey} of run ${completion.runId} was completed but never started.`,
                { hint: 'This is a bug in dynaflow: startCall must precede completeCall. Please report it.' },
              ),
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
    });
  }

  reuseCall(reuse: CallReuse): Promise<void> {
    return new Promise((resolve, reject) => {
      this.assertWritable();
      this.assertKnownRun(reuse.runId);
      const at = reuse.at ?? this.nowIso();
      const parameters = {
        run_id: reuse.runId,
        call_key: reuse.callKey,
        from_run_id: reuse.fromRunId,
        schema_version: JOURNAL_SCHEMA_VERSION,
        label: reuse.label === undefined ? null : this.redact(reuse.label),
        phase: reuse.phase,
        at,
      };
      this.commits.enqueue({
        apply: () =>
          this.statements.reuseCall.run(parameters).changes > 0
            ? undefined
            : new JournalError(
                'JOURNAL_WRITE_FAILED',
                `Run ${reuse.fromRunId} has no finished call ${reuse.callKey} to reuse in run ${reuse.runId}.`,
                { hint: 'This is a bug in dynaflow: only finished calls may be reused. Please report it.' },
              ),
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
    });
  }

  interruptRunningCalls(runId: string): number {
    this.assertWritable();
    this.commits.flushSync();
    return this.statements.interruptRunningCalls.run(this.nowIso(), runId).changes;
  }

  completedCalls(runId: string): Map<string, CallRecord> {
    this.commits.flushSync();
    const completed = new Map<string, CallRecord>();
    for (const row of this.statements.completedCalls.all(runId))
      completed.set(row.call_key, callFromRow(row));
    return completed;
  }

  listCalls(runId: string): CallRecord[] {
    this.commits.flushSync();
    return this.statements.listCalls.all(runId).map(callFromRow);
  }

  appendEvent(runId: string, kind: JournalEventKind, text: string): void {
    this.assertWritable();
    this.assertKnownRun(runId);
    const seq = this.nextEventSeq.get(runId) ?? (this.statements.lastEventSeq.get(runId)?.seq ?? 0) + 1;
    this.nextEventSeq.set(runId, seq + 1);
    const parameters = {
      run_id: runId,
      seq,
      schema_version: JOURNAL_SCHEMA_VERSION,
      kind,
      text: this.redact(text),
      at: this.nowIso(),
    };
    this.commits.enqueue({
      apply: () => {
        this.statements.insertEvent.run(parameters);
        return undefined;
      },
    });
  }

  listEvents(runId: string, afterSeq = 0): RunEventRecord[] {
    this.commits.flushSync();
    return this.statements.listEvents.all(runId, afterSeq).map(eventFromRow);
  }

  usageTotals(runId: string): UsageTotals {
    this.commits.flushSync();
    return usageFromRow(this.statements.usageTotals.get(runId));
  }

  acquireLock(runId: string, options?: AcquireLockOptions): RunLock {
    this.assertWritable();
    this.requireRun(runId);
    return this.locks.acquire(runId, options);
  }

  exportRun(runId: string): JournalSnapshot {
    const run = this.requireRun(runId);
    return {
      format: SNAPSHOT_FORMAT,
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      run,
      calls: this.listCalls(runId),
      events: this.listEvents(runId),
    };
  }

  importRun(snapshot: JournalSnapshot): RunRecord {
    this.assertWritable();
    const { run, calls, events } = parseJournalSnapshot(snapshot);
    this.commits.flushSync();
    if (this.statements.selectRun.get(run.id) !== undefined) throw runExists(this.location, run.id);
    const stored = importedRun(run, this.settings.secrets);
    this.db
      .transaction(() => {
        this.statements.insertRun.run(runParameters(stored));
        for (const call of calls) this.statements.insertCall.run(callParameters(call, this.redactor));
        for (const event of events) {
          this.statements.insertEvent.run({
            run_id: event.runId,
            seq: event.seq,
            schema_version: event.schemaVersion,
            kind: event.kind,
            text: this.redact(event.text),
            at: event.at,
          });
        }
      })
      .immediate();
    this.knownRuns.add(run.id);
    this.nextEventSeq.delete(run.id);
    return stored;
  }

  flush(): Promise<void> {
    // A throw inside the executor becomes the rejection.
    return new Promise((resolve) => {
      this.commits.flushAndReport();
      resolve();
    });
  }

  close(): void {
    if (this.closed) return;
    try {
      this.commits.flushAndReport();
    } finally {
      this.closed = true;
      this.locks.releaseAll();
      this.db.close();
    }
  }

  private assertKnownRun(runId: string): void {
    if (this.knownRuns.has(runId)) return;
    this.requireRun(runId);
    this.knownRuns.add(runId);
  }

  private assertWritable(): void {
    if (this.closed) {
      throw new JournalError('JOURNAL_WRITE_FAILED', `The journal ${this.location} is closed.`, {
        hint: 'This is a bug in dynaflow: a write arrived after the journal was closed. Please report it.',
      });
    }
    if (this.readonly) {
      throw new JournalError('JOURNAL_WRITE_FAILED', `The journal ${this.location} was opened read-only.`, {
        hint: 'Commands that inspect runs (runs, show) cannot change them; use run, resume or cancel.',
      });
    }
  }

  private readonly redactor = (text: string): string => this.redact(text);

  private redact(text: string): string {
    return redactSecrets(text, this.settings.secrets);
  }

  private nowIso(): string {
    // A fan-out journals thousands of calls per second: most share their millisecond.
    const ms = this.settings.nowMs();
    if (ms !== this.lastIso.ms) this.lastIso = { ms, text: new Date(ms).toISOString() };
    return this.lastIso.text;
  }

  private lastIso = { ms: Number.NaN, text: '' };
}
