/**
 * The journal: every run, call, log line and lock, durably. Other subsystems use only this door
 * and the `JournalStore` interface; none may know the records live in SQLite.
 */
export { JOURNAL_SCHEMA_VERSION } from './types.js';
export type {
  CallKind,
  CallRecord,
  CallStatus,
  RunEventRecord,
  RunLimits,
  RunRecord,
  RunStatus,
} from './types.js';
export type {
  AcquireLockOptions,
  CallCompletion,
  CallReuse,
  JournalEventKind,
  JournalSnapshot,
  JournalStore,
  LockHolder,
  NewCall,
  NewRun,
  RunLock,
  RunCancellation,
  RunSteering,
  SteeringRequest,
  RunPatch,
  RunSummary,
  UsageTotals,
} from './journal-store.js';
export { openJournal, openMemoryJournal } from './open-journal.js';
export type { Durability, JournalOptions, OpenJournalOptions } from './open-journal.js';
export { newRunId, isRunId, RUN_ID_PATTERN } from './run-id.js';
export { resolveStateDir, STATE_DIR_NAME, JOURNAL_FILE_NAME } from './state-dir.js';
export { redactSecrets, secretValuesFromEnvironment } from './redact.js';
export { parseJournalSnapshot, SNAPSHOT_FORMAT } from './snapshot.js';
