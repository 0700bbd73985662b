import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynaflowError, exitCodeFor } from '../errors/index.js';
import { openJournal } from './index.js';

function openError(stateDir: string, readonly = false): DynaflowError {
  try {
    openJournal({ stateDir, readonly }).close();
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the journal opened without complaint');
}

describe('journal shape errors', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-shape-'));
  });
  afterEach(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('BD-20 a dropped table is JOURNAL_CORRUPT (exit 2) with a hint, for writers and readers alike', () => {
    openJournal({ stateDir }).close();
    const db = new Database(join(stateDir, 'dynaflow.db'));
    db.exec('DROP TABLE events');
    db.close();
    for (const readonly of [false, true]) {
      const error = openError(stateDir, readonly);
      expect(error.code).toBe('JOURNAL_CORRUPT');
      expect(exitCodeFor(error)).toBe(2);
      expect(error.message).toContain('events');
      expect(error.hint).toContain('.damaged');
    }
  });

  it('BD-21 a directory where the journal file should be is JOURNAL_CORRUPT, not an internal error', () => {
    mkdirSync(join(stateDir, 'dynaflow.db'));
    for (const readonly of [false, true]) {
      const error = openError(stateDir, readonly);
      expect(error.code).toBe('JOURNAL_CORRUPT');
      expect(error.message).toContain('a directory');
    }
  });
});
