/**
 * JR-40…42: steering requests (pause, resume, skip) that another process leaves for a run's
 * driver: they accumulate per run, survive across connections, and a read-only store refuses them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal, openMemoryJournal } from './index.js';
import { codeOf, newRunInput } from './internal/test-fixtures.js';

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-steering-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

describe('run steering', () => {
  it('JR-40 pause toggles, skips accumulate once each, and runs are steered apart', () => {
    const journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    const other = journal.createRun(newRunInput());
    expect(journal.readSteering(run.id)).toEqual({ paused: false, skipped: [] });
    journal.requestSteering(run.id, { paused: true });
    journal.requestSteering(run.id, { skip: 'a#1' });
    journal.requestSteering(run.id, { skip: 'b#1' });
    expect(journal.requestSteering(run.id, { skip: 'a#1' })).toEqual({
      paused: true,
      skipped: ['a#1', 'b#1'],
    });
    expect(journal.requestSteering(run.id, { paused: false })).toEqual({
      paused: false,
      skipped: ['a#1', 'b#1'],
    });
    expect(journal.readSteering(other.id)).toEqual({ paused: false, skipped: [] });
    journal.close();
  });

  it('JR-41 a request written by one connection is read by another (the driver)', () => {
    const driver = openJournal({ stateDir });
    const run = driver.createRun(newRunInput());
    const monitor = openJournal({ stateDir });
    monitor.requestSteering(run.id, { paused: true, skip: 'slow#1' });
    monitor.close();
    expect(driver.readSteering(run.id)).toEqual({ paused: true, skipped: ['slow#1'] });
    driver.close();
  });

  it('JR-42 unknown runs, empty skips and read-only stores are refused with codes', () => {
    const writer = openJournal({ stateDir });
    const run = writer.createRun(newRunInput());
    expect(codeOf(() => writer.requestSteering('wf_nope-123', { paused: true }))).toBe('RUN_NOT_FOUND');
    expect(codeOf(() => writer.requestSteering(run.id, { skip: '' }))).toBe('USAGE');
    writer.close();
    const reader = openJournal({ stateDir, readonly: true });
    expect(codeOf(() => reader.requestSteering(run.id, { paused: true }))).toBe('JOURNAL_WRITE_FAILED');
    expect(reader.readSteering(run.id)).toEqual({ paused: false, skipped: [] });
    reader.close();
  });
});
