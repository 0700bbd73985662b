import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynaflowError } from '../errors/index.js';
import { openJournal } from './index.js';
import { completionInput, newCallInput, newRunInput } from './internal/test-fixtures.js';

function openError(stateDir: string): DynaflowError {
  try {
    openJournal({ stateDir }).close();
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the journal opened without complaint');
}

/** A journal with enough rows to span many pages, checkpointed into the main file. */
async function writeJournal(stateDir: string): Promise<void> {
  const journal = openJournal({ stateDir });
  const run = journal.createRun(newRunInput());
  for (let index = 0; index < 400; index += 1) journal.startCall(newCallInput(run.id, `k${index}`));
  await Promise.all(
    Array.from({ length: 400 }, (_, index) =>
      journal.completeCall(
        completionInput(run.id, `k${index}`, { resultJson: JSON.stringify('r'.repeat(500)) }),
      ),
    ),
  );
  journal.close();
}

describe('journal integrity', () => {
  let stateDir: string;
  let path: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-integrity-'));
    path = join(stateDir, 'dynaflow.db');
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('a file that is not a SQLite database is JOURNAL_CORRUPT, and is left untouched', () => {
    writeFileSync(path, 'these are not the pages you are looking for\n'.repeat(100));
    const before = readFileSync(path);
    const error = openError(stateDir);
    expect(error.code).toBe('JOURNAL_CORRUPT');
    expect(error.message).toContain(path);
    expect(error.hint).toContain('mv ');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a truncated journal is JOURNAL_CORRUPT, and is left untouched', async () => {
    await writeJournal(stateDir);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const before = readFileSync(path);
    expect(openError(stateDir).code).toBe('JOURNAL_CORRUPT');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a journal truncated to nothing is JOURNAL_CORRUPT, not a fresh start', () => {
    writeFileSync(path, '');
    expect(openError(stateDir).code).toBe('JOURNAL_CORRUPT');
    expect(statSync(path).size).toBe(0);
  });

  it('a journal with damaged pages is JOURNAL_CORRUPT', async () => {
    await writeJournal(stateDir);
    const bytes = readFileSync(path);
    // Scribble over the middle of the file, past the header and the schema page.
    bytes.fill(0x5a, Math.floor(bytes.length / 3), Math.floor(bytes.length / 3) + 8192);
    writeFileSync(path, bytes);
    expect(openError(stateDir).code).toBe('JOURNAL_CORRUPT');
  });

  it('a SQLite database that is not a journal is JOURNAL_CORRUPT', () => {
    const db = new Database(path);
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    expect(openError(stateDir).code).toBe('JOURNAL_CORRUPT');
  });

  it('a journal from a newer dynaflow is JOURNAL_TOO_NEW, and is left untouched', async () => {
    await writeJournal(stateDir);
    const db = new Database(path);
    db.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`).run();
    db.close();
    const before = readFileSync(path);
    const error = openError(stateDir);
    expect(error.code).toBe('JOURNAL_TOO_NEW');
    expect(error.hint).toContain('Upgrade dynaflow');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
