/** Errors about one run carry its id as a typed field (`JournalError.runId`), not only in the message. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalError } from '../errors/index.js';
import { openJournal, openMemoryJournal, type JournalStore } from './index.js';
import { newRunInput } from './internal/test-fixtures.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('journal errors name their run', () => {
  const opened: JournalStore[] = [];
  const stateDirs: string[] = [];
  afterEach(() => {
    for (const journal of opened.splice(0)) journal.close();
    for (const stateDir of stateDirs.splice(0)) rmSync(stateDir, { recursive: true, force: true });
  });

  it('RUN_NOT_FOUND carries the id that was asked for', () => {
    const journal = openMemoryJournal();
    opened.push(journal);
    const error = thrownBy(() => journal.requireRun('wf_missing'));
    expect(error).toBeInstanceOf(JournalError);
    expect(error).toMatchObject({ code: 'RUN_NOT_FOUND', runId: 'wf_missing' });
  });

  it('RUN_LOCKED carries the id of the locked run', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-run-errors-'));
    stateDirs.push(stateDir);
    const first = openJournal({ stateDir, heartbeatMs: 0 });
    const second = openJournal({ stateDir, heartbeatMs: 0, pid: 4_000_001 });
    opened.push(first, second);
    const run = first.createRun(newRunInput());
    first.acquireLock(run.id);
    const error = thrownBy(() => second.acquireLock(run.id));
    expect(error).toBeInstanceOf(JournalError);
    expect(error).toMatchObject({ code: 'RUN_LOCKED', runId: run.id });
  });
});
