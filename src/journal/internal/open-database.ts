/**
 * Opening the journal file safely: create it atomically, refuse damaged or foreign files and
 * journals of a newer dynaflow (never deleting or overwriting them), upgrade older ones after
 * taking a copy.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { JournalError } from '../../errors/index.js';
import { JOURNAL_SCHEMA_VERSION } from '../types.js';
import { EMPTY_DATABASE_VERSION, migrate, readSchemaVersion } from './migrations.js';

/** How much durability a commit buys. See README.md, "Durability". */
export type Durability = 'power-loss' | 'process-crash';

export interface DatabaseSettings {
  readonly durability: Durability;
  readonly busyTimeoutMs: number;
  readonly nowIso: () => string;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens (creating when missing) a journal file ready for use. Throws `JOURNAL_CORRUPT` or
 * `JOURNAL_TOO_NEW` without modifying the file.
 */
export function openDatabaseFile(path: string, settings: DatabaseSettings): Database.Database {
  if (!existsSync(path)) createDatabaseFile(path, settings);
  checkHeader(path);
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true, timeout: settings.busyTimeoutMs });
  } catch (cause) {
    throw corrupt(path, describe(cause), cause);
  }
  try {
    verifyIntegrity(db, path);
    const version = readSchemaVersion(db);
    if (version === undefined) throw corrupt(path, 'it is a SQLite database, but not a dynaflow journal');
    if (version > JOURNAL_SCHEMA_VERSION) throw tooNew(path, version);
    if (version < JOURNAL_SCHEMA_VERSION) {
      // A copy first: a migration that went wrong in a way SQLite cannot roll back (a bug in a
      // step, not a crash) must still leave the user's records somewhere.
      if (version !== EMPTY_DATABASE_VERSION) db.exec(`VACUUM INTO ${quote(backupPath(path, version))}`);
      migrate(db, settings.nowIso());
    }
    configure(db, settings);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies the per-connection settings (journal mode and synchronous level are set on open). */
export function configure(db: Database.Database, settings: DatabaseSettings): void {
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a crash of the process; FULL also survives power loss and OS crashes,
  // at the price of one fsync per commit (shared by a whole batch thanks to group commit).
  db.pragma(`synchronous = ${settings.durability === 'power-loss' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(settings.busyTimeoutMs))}`);
}

/**
 * Builds the new file beside its final name and links it into place: a crash during creation
 * leaves no half-made journal, and a zero-byte `dynaflow.db` can only mean damage. `link` fails
 * if another process created the journal meanwhile; theirs is kept and used.
 */
function createDatabaseFile(path: string, settings: DatabaseSettings): void {
  const temporary = `${path}.creating-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const db = new Database(temporary, { timeout: settings.busyTimeoutMs });
    try {
      db.pragma('journal_mode = WAL');
      migrate(db, settings.nowIso());
    } finally {
      db.close();
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(temporary + suffix)) unlinkSync(temporary + suffix);
    }
  }
}

function checkHeader(path: string): void {
  const info = statSync(path);
  // A directory (or a device, a socket) where the file should be is damage too, not an internal error.
  if (!info.isFile())
    throw corrupt(path, `it is ${info.isDirectory() ? 'a directory' : 'not a regular file'}`);
  if (info.size === 0) throw corrupt(path, 'the file is empty (0 bytes), it was truncated');
  const header = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const descriptor = openSync(path, 'r');
    try {
      readSync(descriptor, header, 0, header.length, 0);
    } finally {
      closeSync(descriptor);
    }
  } catch (cause) {
    throw corrupt(path, `it cannot be read (${describe(cause)})`, cause);
  }
  if (!header.equals(SQLITE_HEADER)) throw corrupt(path, 'it is not a SQLite database');
}

function verifyIntegrity(db: Database.Database, path: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (cause) {
    throw corrupt(path, describe(cause), cause);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw corrupt(path, `SQLite's integrity check failed: ${problems.slice(0, 3).join('; ')}`);
  }
}

function backupPath(path: string, version: number): string {
  return `${path}.v${version}-backup-${Date.now()}`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

export function corrupt(path: string, detail: string, cause?: unknown): JournalError {
  return new JournalError('JOURNAL_CORRUPT', `The journal ${path} cannot be trusted: ${detail}.`, {
    hint:
      `Nothing was changed. Move it aside (mv ${path} ${path}.damaged, together with any ${path}-wal ` +
      `and ${path}-shm beside it) and run again to start a fresh journal; or point --state-dir elsewhere. ` +
      `Keep the damaged file: \`sqlite3 ${path}.damaged .recover\` may restore most records.`,
    cause,
  });
}

function tooNew(path: string, version: number): JournalError {
  return new JournalError(
    'JOURNAL_TOO_NEW',
    `The journal ${path} was written by a newer dynaflow (journal schema v${version}; this one reads up to v${JOURNAL_SCHEMA_VERSION}).`,
    {
      hint: 'Upgrade dynaflow (npm install -g dynaflow@latest), or use --state-dir to keep a separate journal for this version.',
    },
  );
}
