/**
 * The SQLite layout, as an ordered list of migrations. A new database replays all of them, so
 * the upgrade path is exercised by every test, not only by the migration tests.
 *
 * Rules for adding one: append (never edit a shipped step), bump `JOURNAL_SCHEMA_VERSION`, keep
 * every record (rows written by older code keep their `schema_version`, so readers know which
 * code wrote them), and add a test that opens a database of the previous version.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { JOURNAL_SCHEMA_VERSION } from '../types.js';

export interface Migration {
  /** The schema version the database has after this step. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database.Database) => void;
}

/** The limits the prototype ran with (it had no flags for them). */
const V0_LIMITS_JSON = JSON.stringify({
  concurrency: 16,
  maxAgents: 1000,
  budgetTokens: null,
  maxCostUsd: null,
});

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 0,
    description: 'prototype layout: runs, calls and logs, without versions or a meta table',
    up: (db) => {
      db.exec(`
        CREATE TABLE runs (
          id TEXT PRIMARY KEY, script_path TEXT NOT NULL, script_text TEXT NOT NULL, args_json TEXT,
          provider TEXT NOT NULL, model TEXT NOT NULL, status TEXT NOT NULL, result_json TEXT,
          error TEXT, created_at TEXT NOT NULL);
        CREATE TABLE calls (
          run_id TEXT NOT NULL, call_key TEXT NOT NULL, label TEXT NOT NULL, prompt TEXT NOT NULL,
          status TEXT NOT NULL, result_json TEXT, input_tokens INTEGER NOT NULL DEFAULT 0,
          output_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0, error TEXT,
          started_at TEXT NOT NULL, ended_at TEXT, PRIMARY KEY (run_id, call_key));
        CREATE TABLE logs (
          run_id TEXT NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY (run_id, seq));
      `);
    },
  },
  {
    version: 1,
    description: 'versioned records, limits, seed, call details, events, locks, meta',
    up: (db) => {
      // Hashes of v0 scripts are computed here: v0 did not store them.
      db.function('dynaflow_sha256', { deterministic: true }, (text: unknown) =>
        createHash('sha256').update(String(text)).digest('hex'),
      );
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        ALTER TABLE runs RENAME TO runs_v0;
        CREATE TABLE runs (
          id TEXT PRIMARY KEY,
          schema_version INTEGER NOT NULL,
          script_path TEXT NOT NULL,
          script_hash TEXT NOT NULL,
          script_text TEXT NOT NULL,
          args_json TEXT,
          provider TEXT NOT NULL,
          model TEXT NOT NULL,
          limits_json TEXT NOT NULL,
          seed INTEGER NOT NULL,
          status TEXT NOT NULL,
          result_json TEXT,
          error TEXT,
          reuse_from TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL);
        CREATE INDEX runs_by_creation ON runs (created_at DESC, id DESC);
        INSERT INTO runs
          SELECT id, 0, script_path, dynaflow_sha256(script_text), script_text, args_json, provider,
                 model, '${V0_LIMITS_JSON}', 0, status, result_json, error, NULL, created_at, created_at
          FROM runs_v0;
        DROP TABLE runs_v0;

        ALTER TABLE calls RENAME TO calls_v0;
        CREATE TABLE calls (
          seq INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL,
          call_key TEXT NOT NULL,
          schema_version INTEGER NOT NULL,
          kind TEXT NOT NULL,
          label TEXT NOT NULL,
          phase TEXT,
          model TEXT,
          prompt TEXT NOT NULL,
          options_json TEXT NOT NULL,
          status TEXT NOT NULL,
          result_json TEXT,
          input_tokens INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          cache_read_tokens INTEGER NOT NULL,
          cache_creation_tokens INTEGER NOT NULL,
          cost_usd REAL NOT NULL,
          attempts INTEGER NOT NULL,
          tool_calls INTEGER NOT NULL,
          error TEXT,
          worktree TEXT,
          branch TEXT,
          started_at TEXT NOT NULL,
          ended_at TEXT,
          UNIQUE (run_id, call_key));
        INSERT INTO calls (run_id, call_key, schema_version, kind, label, phase, model, prompt,
            options_json, status, result_json, input_tokens, output_tokens, cache_read_tokens,
            cache_creation_tokens, cost_usd, attempts, tool_calls, error, worktree, branch,
            started_at, ended_at)
          SELECT run_id, call_key, 0, 'agent', label, NULL, NULL, prompt, '{}', status, result_json,
                 input_tokens, output_tokens, 0, 0, cost_usd, 1, 0, error, NULL, NULL, started_at, ended_at
          FROM calls_v0 ORDER BY run_id, started_at, call_key;
        DROP TABLE calls_v0;

        CREATE TABLE events (
          run_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          schema_version INTEGER NOT NULL,
          kind TEXT NOT NULL,
          text TEXT NOT NULL,
          at TEXT NOT NULL,
          PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
        INSERT INTO events SELECT run_id, seq, 0, 'log', text, at FROM logs;
        DROP TABLE logs;

        CREATE TABLE run_locks (
          run_id TEXT PRIMARY KEY,
          pid INTEGER NOT NULL,
          host TEXT NOT NULL,
          token TEXT NOT NULL,
          acquired_at TEXT NOT NULL,
          heartbeat_at_ms INTEGER NOT NULL);
      `);
    },
  },
  {
    version: 2,
    description: 'calls answered from another run (--reuse) name it: calls.reused_from',
    up: (db) => {
      // Existing rows keep NULL: every call journaled before v2 was made by its own run.
      db.exec(`ALTER TABLE calls ADD COLUMN reused_from TEXT`);
    },
  },
];

/** Version of a database with no tables at all: every migration applies. */
export const EMPTY_DATABASE_VERSION = -1;

/**
 * The schema version of an open database: from `meta` when present, 0 for the prototype layout,
 * `EMPTY_DATABASE_VERSION` for an empty file, `undefined` for a SQLite file that is not a journal.
 */
export function readSchemaVersion(db: Database.Database): number | undefined {
  const tables = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
      (row) => row.name,
    ),
  );
  if (tables.has('meta')) {
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as
      { value: string } | undefined;
    const version = row === undefined ? Number.NaN : Number(row.value);
    return Number.isInteger(version) ? version : undefined;
  }
  if (tables.size === 0) return EMPTY_DATABASE_VERSION;
  if (tables.has('runs') && tables.has('calls') && tables.has('logs')) return 0;
  return undefined;
}

/**
 * Brings the database to `JOURNAL_SCHEMA_VERSION` in one immediate transaction, and records the
 * version. The version is read again under the write lock, so two processes opening an old
 * journal at once migrate it once. A failure rolls everything back: the file stays as it was.
 */
export function migrate(db: Database.Database, nowIso: string): void {
  db.transaction(() => {
    const fromVersion = readSchemaVersion(db);
    if (fromVersion === undefined || fromVersion >= JOURNAL_SCHEMA_VERSION) return;
    for (const migration of MIGRATIONS) {
      if (migration.version > fromVersion) migration.up(db);
    }
    const setMeta = db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    setMeta.run('schema_version', String(JOURNAL_SCHEMA_VERSION));
    setMeta.run('migrated_at', nowIso);
    if (fromVersion === EMPTY_DATABASE_VERSION) setMeta.run('created_at', nowIso);
  }).immediate();
}
