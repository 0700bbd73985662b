/**
 * JR-*: what the runtime needs from the journal for resume, `--reuse` and `cancel`: reused calls
 * name their source run, a cancel never overwrites a finished run, and live drivers are visible.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_SCHEMA_VERSION, openJournal, openMemoryJournal } from './index.js';
import { MIGRATIONS } from './internal/migrations.js';
import { codeOf, completionInput, newCallInput, newRunInput } from './internal/test-fixtures.js';

describe('reused calls', () => {
  it('JR-01 a completion copied from another run keeps reusedFrom; a re-start clears it', async () => {
    const journal = openMemoryJournal();
    const source = journal.createRun(newRunInput());
    const run = journal.createRun(newRunInput({ reuseFrom: source.id }));
    journal.startCall(newCallInput(run.id, 'a'));
    journal.startCall(newCallInput(run.id, 'b'));
    await journal.completeCall(completionInput(run.id, 'a', { reusedFrom: source.id, costUsd: 0 }));
    await journal.completeCall(completionInput(run.id, 'b'));
    const calls = journal.completedCalls(run.id);
    expect(calls.get('a')?.reusedFrom).toBe(source.id);
    expect(calls.get('b')?.reusedFrom).toBeNull();

    // A call run again (after a crash) is this run's own again.
    journal.startCall(newCallInput(run.id, 'a'));
    expect(journal.listCalls(run.id).find((call) => call.callKey === 'a')?.reusedFrom).toBeNull();
    journal.close();
  });

  it('JR-02 reusedFrom survives export and import', async () => {
    const journal = openMemoryJournal();
    const run = journal.createRun(newRunInput({ id: 'wf_export-1' }));
    journal.startCall(newCallInput(run.id, 'a'));
    await journal.completeCall(completionInput(run.id, 'a', { reusedFrom: 'wf_origin' }));
    const snapshot = journal.exportRun(run.id);
    journal.close();

    const other = openMemoryJournal();
    other.importRun(snapshot);
    expect(other.listCalls('wf_export-1')[0]?.reusedFrom).toBe('wf_origin');
    expect(other.exportRun('wf_export-1')).toEqual(snapshot);
    other.close();
  });
});

describe('migration v1 → v2', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-v2-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('JR-03 a v1 journal opens as v2: its calls read reusedFrom null and new calls can set it', async () => {
    const path = join(stateDir, 'dynaflow.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    for (const migration of MIGRATIONS.filter((step) => step.version <= 1)) migration.up(db);
    db.exec(`INSERT INTO meta (key, value) VALUES ('schema_version', '1');
      INSERT INTO runs VALUES ('wf_v1-run', 1, 'x.workflow.js', 'h', 'return 1', NULL, 'sim', 'sonnet',
        '{"concurrency":16,"maxAgents":1000,"budgetTokens":null,"maxCostUsd":null}', 7, 'interrupted',
        NULL, NULL, NULL, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
      INSERT INTO calls (run_id, call_key, schema_version, kind, label, phase, model, prompt, options_json,
        status, result_json, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd,
        attempts, tool_calls, error, worktree, branch, started_at, ended_at)
      VALUES ('wf_v1-run', 'k#0', 1, 'agent', 'l', NULL, 'sonnet', 'p', '{}', 'done', '"ok"', 1, 2, 0, 0,
        0.5, 1, 0, NULL, NULL, NULL, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.000Z');`);
    db.close();

    const journal = openJournal({ stateDir });
    const old = journal.completedCalls('wf_v1-run').get('k#0');
    expect(old).toMatchObject({ schemaVersion: 1, reusedFrom: null, resultJson: '"ok"', costUsd: 0.5 });
    journal.startCall(newCallInput('wf_v1-run', 'k#1'));
    await journal.completeCall(completionInput('wf_v1-run', 'k#1', { reusedFrom: 'wf_other' }));
    expect(journal.completedCalls('wf_v1-run').get('k#1')).toMatchObject({
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      reusedFrom: 'wf_other',
    });
    journal.close();

    const check = new Database(path, { readonly: true });
    expect(check.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get()).toBe('2');
    check.close();
  });
});

describe('cancel and drivers', () => {
  it('JR-04 cancelRun marks a running run cancelled once and never touches a finished one', () => {
    const journal = openMemoryJournal();
    const running = journal.createRun(newRunInput());
    expect(journal.cancelRun(running.id)).toEqual({ previous: 'running', changed: true, driver: null });
    expect(journal.requireRun(running.id).status).toBe('cancelled');
    expect(journal.cancelRun(running.id)).toMatchObject({ previous: 'cancelled', changed: false });

    const finished = journal.createRun(newRunInput());
    journal.updateRun(finished.id, { status: 'done', resultJson: '42' });
    expect(journal.cancelRun(finished.id)).toMatchObject({ previous: 'done', changed: false });
    expect(journal.requireRun(finished.id)).toMatchObject({ status: 'done', resultJson: '42' });

    expect(codeOf(() => journal.cancelRun('wf_nope'))).toBe('RUN_NOT_FOUND');
    journal.close();
  });

  it('JR-05 lockHolder and listRuns show the live driver, and nobody once it is dead', () => {
    let alive = true;
    const driver = openMemoryJournal({
      pid: 4242,
      host: 'here',
      isProcessAlive: () => alive,
      heartbeatMs: 0,
    });
    const run = driver.createRun(newRunInput());
    const lock = driver.acquireLock(run.id);
    expect(driver.lockHolder(run.id)).toEqual({ pid: 4242, host: 'here' });
    expect(driver.listRuns()[0]?.driver).toEqual({ pid: 4242, host: 'here' });
    expect(driver.cancelRun(run.id).driver).toEqual({ pid: 4242, host: 'here' });
    alive = false;
    expect(driver.lockHolder(run.id)).toBeNull();
    expect(driver.listRuns()[0]?.driver).toBeNull();
    lock.release();
    driver.close();
  });

  it('JR-06 a cancel from another process is seen by the driver reading its run', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-cancel-'));
    try {
      const driver = openJournal({ stateDir, heartbeatMs: 0 });
      const run = driver.createRun(newRunInput());
      const lock = driver.acquireLock(run.id);
      const canceller = openJournal({ stateDir });
      expect(canceller.cancelRun(run.id)).toMatchObject({ previous: 'running', changed: true });
      expect(canceller.cancelRun(run.id).driver?.pid).toBe(process.pid);
      canceller.close();
      expect(driver.getRun(run.id)?.status).toBe('cancelled');
      lock.release();
      driver.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('reuseCall', () => {
  it('JR-07 copies a finished call of another run inside the store: cost 0, no attempt, new label and phase', async () => {
    const journal = openMemoryJournal();
    const source = journal.createRun(newRunInput());
    journal.startCall(newCallInput(source.id, 'k#0'));
    journal.startCall(newCallInput(source.id, 'k#1'));
    journal.startCall(newCallInput(source.id, 'k#2'));
    await journal.completeCall(completionInput(source.id, 'k#0', { worktree: '/w', branch: 'b' }));
    await journal.completeCall(completionInput(source.id, 'k#1', { status: 'skipped', resultJson: null }));
    await journal.completeCall(completionInput(source.id, 'k#2', { status: 'failed', error: 'boom' }));
    const run = journal.createRun(newRunInput({ reuseFrom: source.id }));

    await journal.reuseCall({
      runId: run.id,
      callKey: 'k#0',
      fromRunId: source.id,
      label: 'renamed',
      phase: 'New',
    });
    await journal.reuseCall({ runId: run.id, callKey: 'k#1', fromRunId: source.id, phase: null });
    const original = journal.completedCalls(source.id).get('k#0');
    const copy = journal.completedCalls(run.id).get('k#0');
    expect(copy).toMatchObject({
      runId: run.id,
      label: 'renamed',
      phase: 'New',
      status: 'done',
      resultJson: original?.resultJson,
      usage: original?.usage,
      prompt: original?.prompt,
      costUsd: 0,
      attempts: 0,
      toolCalls: original?.toolCalls,
      worktree: '/w',
      branch: 'b',
      reusedFrom: source.id,
      schemaVersion: JOURNAL_SCHEMA_VERSION,
    });
    // Without a label, the source's is kept.
    expect(journal.completedCalls(run.id).get('k#1')).toMatchObject({
      status: 'skipped',
      label: 'label:k#1',
    });
    // The source's totals are untouched and the copy adds no cost to this run.
    expect(journal.usageTotals(run.id).costUsd).toBe(0);

    // A failed call is not a completion to reuse: the store refuses rather than copy it.
    await expect(
      journal.reuseCall({ runId: run.id, callKey: 'k#2', fromRunId: source.id, label: 'l', phase: null }),
    ).rejects.toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
    journal.close();
  });
});
