import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JournalError } from '../errors/index.js';
import type { JournalStore } from './journal-store.js';
import { isProcessAlive, type LockSettings } from './internal/lock.js';
import { migrate } from './internal/migrations.js';
import { configure, corrupt, openDatabaseFile, type Durability } from './internal/open-database.js';
import { SqliteJournalStore } from './internal/sqlite-store.js';
import { secretValuesFromEnvironment } from './redact.js';
import { JOURNAL_FILE_NAME } from './state-dir.js';

export type { Durability };

/** Settings shared by file and memory journals; the defaults suit production. */
export interface JournalOptions {
  /** Milliseconds since the epoch; the journal's timestamps (the script never reads a clock). */
  readonly clock?: () => number;
  /** Who drives runs from this process. Tests inject them to play several processes. */
  readonly pid?: number;
  readonly host?: string;
  readonly isProcessAlive?: (pid: number) => boolean;
  /** Heartbeat period of run locks; 0 turns the timer off (heartbeats then only on demand). Default 5 s. */
  readonly heartbeatMs?: number;
  /** A lock whose heartbeat is older is taken over. Default 30 s. */
  readonly staleLockMs?: number;
  /** Commit when this many writes are queued, without waiting for the tick to end. Default 1,000. */
  readonly maxBatch?: number;
  /** Values to mask besides secret-looking environment variables and known key shapes. */
  readonly secrets?: readonly string[];
}

export interface OpenJournalOptions extends JournalOptions {
  /** The project's state directory (see `resolveStateDir`); `dynaflow.db` lives inside it. */
  readonly stateDir: string;
  /** For commands that only look (runs, show): no lock, no writes, no file created. */
  readonly readonly?: boolean;
  /** Default `power-loss`. See README.md, "Durability". */
  readonly durability?: Durability;
  /** How long to wait for another process's write transaction. Default 5 s. */
  readonly busyTimeoutMs?: number;
}

const DEFAULTS = { heartbeatMs: 5_000, staleLockMs: 30_000, maxBatch: 1_000, busyTimeoutMs: 5_000 };

/**
 * Opens (creating when needed) the journal `<stateDir>/dynaflow.db`.
 *
 * @example
 * const journal = openJournal({ stateDir: resolveStateDir(process.cwd()) });
 * const run = journal.createRun({ scriptPath, scriptHash, scriptText, argsJson: null, provider: 'sim',
 *   model: 'sonnet', limits, seed: 1 });
 * const lock = journal.acquireLock(run.id);
 * journal.startCall({ runId: run.id, callKey, kind: 'agent', label, phase: null, model: null, prompt, optionsJson: '{}' });
 * await journal.completeCall({ runId: run.id, callKey, status: 'done', resultJson: '"ok"', ... });
 * lock.release();
 * journal.close();
 */
export function openJournal(options: OpenJournalOptions): JournalStore {
  const path = join(options.stateDir, JOURNAL_FILE_NAME);
  const readonly = options.readonly ?? false;
  if (readonly && !existsSync(path)) {
    // Nothing recorded yet: an empty journal to look at, and no file left behind.
    return memoryStore(`${path} (not created yet)`, true, options);
  }
  try {
    mkdirSync(options.stateDir, { recursive: true });
  } catch (cause) {
    throw new JournalError('JOURNAL_WRITE_FAILED', `Cannot create the state directory ${options.stateDir}.`, {
      hint: 'Check its permissions, or choose another place with --state-dir.',
      cause,
    });
  }
  const clock = options.clock ?? Date.now;
  const db = openDatabaseFile(path, {
    durability: options.durability ?? 'power-loss',
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULTS.busyTimeoutMs,
    nowIso: () => new Date(clock()).toISOString(),
  });
  // Read-only by SQLite's own guard, while recovery of a killed writer's WAL still works.
  if (readonly) db.pragma('query_only = ON');
  try {
    return store(db, path, readonly, options);
  } catch (cause) {
    db.close();
    // The statements are prepared here: a dropped table or column is the file's damage, not ours.
    if (cause instanceof Database.SqliteError) {
      throw corrupt(path, `its tables are not those of a dynaflow journal (${cause.message})`, cause);
    }
    throw cause;
  }
}

/**
 * A journal in memory, for unit tests and rehearsals (`dynaflow plan`).
 *
 * @example
 * const journal = openMemoryJournal({ clock: () => 0 });
 */
export function openMemoryJournal(options: JournalOptions = {}): JournalStore {
  return memoryStore(':memory:', false, options);
}

function memoryStore(location: string, readonly: boolean, options: JournalOptions): JournalStore {
  const clock = options.clock ?? Date.now;
  const db = new Database(':memory:');
  migrate(db, new Date(clock()).toISOString());
  configure(db, { durability: 'process-crash', busyTimeoutMs: 0, nowIso: () => '' });
  if (readonly) db.pragma('query_only = ON');
  return store(db, location, readonly, options);
}

function store(
  db: Database.Database,
  location: string,
  readonly: boolean,
  options: JournalOptions,
): JournalStore {
  const clock = options.clock ?? Date.now;
  const lock: LockSettings = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    nowMs: clock,
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    staleAfterMs: options.staleLockMs ?? DEFAULTS.staleLockMs,
  };
  return new SqliteJournalStore(db, {
    location,
    readonly,
    nowMs: clock,
    lock,
    maxBatch: options.maxBatch ?? DEFAULTS.maxBatch,
    secrets: [...(options.secrets ?? []), ...secretValuesFromEnvironment(process.env)],
  });
}
