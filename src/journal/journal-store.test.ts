import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_SCHEMA_VERSION, openJournal, openMemoryJournal, type JournalStore } from './index.js';
import {
  codeOf,
  completionInput,
  manualClock,
  newCallInput,
  newRunInput,
  START_MS,
} from './internal/test-fixtures.js';

describe('runs', () => {
  it('creates a run with a generated id and reads it back', () => {
    const clock = manualClock();
    const journal = openMemoryJournal({ clock: clock.now });
    const run = journal.createRun(newRunInput());
    expect(run.id).toMatch(/^wf_[a-z0-9-]+$/);
    expect(run.status).toBe('running');
    expect(run.schemaVersion).toBe(JOURNAL_SCHEMA_VERSION);
    expect(run.createdAt).toBe(new Date(START_MS).toISOString());
    expect(journal.getRun(run.id)).toEqual(run);
    journal.close();
  });

  it('requireRun of an unknown id throws RUN_NOT_FOUND with a hint', () => {
    const journal = openMemoryJournal();
    expect(codeOf(() => journal.requireRun('wf_missing'))).toBe('RUN_NOT_FOUND');
    expect(journal.getRun('wf_missing')).toBeUndefined();
    journal.close();
  });

  it('refuses a second run with the same id', () => {
    const journal = openMemoryJournal();
    journal.createRun(newRunInput({ id: 'wf_same' }));
    expect(codeOf(() => journal.createRun(newRunInput({ id: 'wf_same' })))).toBe('JOURNAL_WRITE_FAILED');
    journal.close();
  });

  it('updates status, result and limits, and moves updatedAt', () => {
    const clock = manualClock();
    const journal = openMemoryJournal({ clock: clock.now });
    const run = journal.createRun(newRunInput());
    clock.advance(1_000);
    const limits = { ...run.limits, budgetTokens: 5_000 };
    journal.updateRun(run.id, { status: 'done', resultJson: '[1,2]', limits });
    const updated = journal.requireRun(run.id);
    expect(updated).toMatchObject({ status: 'done', resultJson: '[1,2]', limits, createdAt: run.createdAt });
    expect(updated.updatedAt).toBe(new Date(START_MS + 1_000).toISOString());
    journal.close();
  });

  it('lists runs newest first with call counts and usage totals', async () => {
    const clock = manualClock();
    const journal = openMemoryJournal({ clock: clock.now });
    const older = journal.createRun(newRunInput());
    clock.advance(10);
    const newer = journal.createRun(newRunInput());
    for (const key of ['a', 'b', 'c']) journal.startCall(newCallInput(newer.id, key));
    await journal.completeCall(completionInput(newer.id, 'a'));
    await journal.completeCall(completionInput(newer.id, 'b', { status: 'failed', error: 'boom' }));

    const summaries = journal.listRuns();
    expect(summaries.map((summary) => summary.id)).toEqual([newer.id, older.id]);
    expect(summaries[0]?.calls).toEqual({ running: 1, done: 1, failed: 1, skipped: 0, interrupted: 0 });
    expect(summaries[0]?.usage).toEqual({
      inputTokens: 200,
      outputTokens: 40,
      cacheReadTokens: 10,
      cacheCreationTokens: 2,
    });
    expect(summaries[0]?.costUsd).toBe(0.5);
    expect(summaries[1]?.calls.done).toBe(0);
    expect(journal.listRuns({ limit: 1 }).map((summary) => summary.id)).toEqual([newer.id]);
    journal.close();
  });
});

describe('calls', () => {
  let journal: JournalStore;
  const directories: string[] = [];
  afterEach(() => {
    journal.close();
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('records a call as running, then its completion', async () => {
    journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    journal.startCall(newCallInput(run.id, 'k1'));
    expect(journal.listCalls(run.id).map((call) => call.status)).toEqual(['running']);
    expect(journal.completedCalls(run.id).size).toBe(0);

    await journal.completeCall(
      completionInput(run.id, 'k1', { worktree: '/w/k1', branch: 'dynaflow/r/agents/k1' }),
    );
    const call = journal.completedCalls(run.id).get('k1');
    expect(call).toMatchObject({
      status: 'done',
      kind: 'agent',
      label: 'label:k1',
      phase: 'Fix',
      prompt: 'Fix k1',
      resultJson: '{"fixed":true,"key":"k1"}',
      attempts: 1,
      toolCalls: 3,
      worktree: '/w/k1',
      branch: 'dynaflow/r/agents/k1',
      reusedFrom: null,
      schemaVersion: JOURNAL_SCHEMA_VERSION,
    });
    expect(call?.endedAt).not.toBeNull();
  });

  it('completedCalls holds done, failed and skipped calls, not running or interrupted ones', async () => {
    journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    for (const key of ['done', 'failed', 'skipped', 'interrupted', 'running']) {
      journal.startCall(newCallInput(run.id, key));
    }
    await Promise.all(
      (['done', 'failed', 'skipped', 'interrupted'] as const).map((status) =>
        journal.completeCall(completionInput(run.id, status, { status })),
      ),
    );
    expect([...journal.completedCalls(run.id).keys()].sort()).toEqual(['done', 'failed', 'skipped']);
  });

  it('starting a key again resets it to running (a re-run after a crash)', async () => {
    journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    journal.startCall(newCallInput(run.id, 'k'));
    await journal.completeCall(completionInput(run.id, 'k', { status: 'failed', error: 'x' }));
    journal.startCall(newCallInput(run.id, 'k'));
    const calls = journal.listCalls(run.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ status: 'running', error: null, resultJson: null, endedAt: null });
  });

  it('marks calls left running as interrupted', async () => {
    journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    journal.startCall(newCallInput(run.id, 'a'));
    journal.startCall(newCallInput(run.id, 'b'));
    await journal.completeCall(completionInput(run.id, 'a'));
    expect(journal.interruptRunningCalls(run.id)).toBe(1);
    expect(journal.listCalls(run.id).map((call) => call.status)).toEqual(['done', 'interrupted']);
  });

  it('rejects the completion of a call never started, without losing the others of its batch', async () => {
    journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    journal.startCall(newCallInput(run.id, 'real'));
    const outcomes = await Promise.allSettled([
      journal.completeCall(completionInput(run.id, 'ghost')),
      journal.completeCall(completionInput(run.id, 'real')),
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'JOURNAL_WRITE_FAILED' } });
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled' });
    expect(journal.completedCalls(run.id).has('real')).toBe(true);
  });

  it('refuses calls and events of an unknown run at once', async () => {
    journal = openMemoryJournal();
    expect(codeOf(() => journal.startCall(newCallInput('wf_nope', 'k')))).toBe('RUN_NOT_FOUND');
    expect(codeOf(() => journal.appendEvent('wf_nope', 'log', 'x'))).toBe('RUN_NOT_FOUND');
    await expect(journal.completeCall(completionInput('wf_nope', 'k'))).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
    });
  });

  it('updateRun commits queued completions first', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-journal-'));
    directories.push(stateDir);
    journal = openJournal({ stateDir });
    const run = journal.createRun(newRunInput());
    journal.startCall(newCallInput(run.id, 'k'));
    void journal.completeCall(completionInput(run.id, 'k'));
    journal.updateRun(run.id, { status: 'done' });
    // Another connection sees only what is committed: the completion must already be there.
    const reader = openJournal({ stateDir, readonly: true });
    expect(reader.listCalls(run.id).map((call) => call.status)).toEqual(['done']);
    reader.close();
  });

  it('sums usage over every call of a run', async () => {
    journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    const other = journal.createRun(newRunInput());
    for (const key of ['a', 'b']) journal.startCall(newCallInput(run.id, key));
    journal.startCall(newCallInput(other.id, 'a'));
    await Promise.all([
      journal.completeCall(completionInput(run.id, 'a')),
      journal.completeCall(completionInput(run.id, 'b', { status: 'failed', costUsd: 0.5 })),
      journal.completeCall(completionInput(other.id, 'a')),
    ]);
    expect(journal.usageTotals(run.id)).toEqual({
      usage: { inputTokens: 200, outputTokens: 40, cacheReadTokens: 10, cacheCreationTokens: 2 },
      costUsd: 0.75,
      calls: 2,
    });
    expect(journal.usageTotals('wf_empty').calls).toBe(0);
  });
});

describe('events', () => {
  it('numbers events per run and lists them after a sequence number', () => {
    const journal = openMemoryJournal();
    const run = journal.createRun(newRunInput());
    const other = journal.createRun(newRunInput());
    journal.appendEvent(run.id, 'phase', 'Fix');
    journal.appendEvent(other.id, 'log', 'elsewhere');
    journal.appendEvent(run.id, 'log', '3 fixed');
    journal.appendEvent(run.id, 'warning', 'unknown option');
    const events = journal.listEvents(run.id);
    expect(events.map((event) => [event.seq, event.kind, event.text])).toEqual([
      [1, 'phase', 'Fix'],
      [2, 'log', '3 fixed'],
      [3, 'warning', 'unknown option'],
    ]);
    expect(journal.listEvents(run.id, 2).map((event) => event.seq)).toEqual([3]);
    expect(journal.listEvents(other.id).map((event) => event.seq)).toEqual([1]);
    journal.close();
  });

  it('continues numbering after reopening the file', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-journal-'));
    try {
      const first = openJournal({ stateDir });
      const run = first.createRun(newRunInput());
      first.appendEvent(run.id, 'log', 'one');
      first.close();
      const second = openJournal({ stateDir });
      second.appendEvent(run.id, 'log', 'two');
      expect(second.listEvents(run.id).map((event) => [event.seq, event.text])).toEqual([
        [1, 'one'],
        [2, 'two'],
      ]);
      second.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('read-only journals', () => {
  it('reads runs but refuses writes and locks', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-journal-'));
    try {
      const writer = openJournal({ stateDir });
      const run = writer.createRun(newRunInput());
      writer.close();
      const reader = openJournal({ stateDir, readonly: true });
      expect(reader.requireRun(run.id).id).toBe(run.id);
      expect(codeOf(() => reader.createRun(newRunInput()))).toBe('JOURNAL_WRITE_FAILED');
      expect(codeOf(() => reader.appendEvent(run.id, 'log', 'x'))).toBe('JOURNAL_WRITE_FAILED');
      expect(codeOf(() => reader.acquireLock(run.id))).toBe('JOURNAL_WRITE_FAILED');
      reader.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('shows an empty journal, and creates no file, where nothing was recorded', () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'dynaflow-journal-')), 'never');
    const reader = openJournal({ stateDir, readonly: true });
    expect(reader.listRuns()).toEqual([]);
    reader.close();
    expect(() => openJournal({ stateDir: join(stateDir, 'x'), readonly: true }).close()).not.toThrow();
    expect(existsSync(stateDir)).toBe(false);
  });
});
