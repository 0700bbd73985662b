import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_SCHEMA_VERSION, openJournal } from './index.js';
import { MIGRATIONS } from './internal/migrations.js';
import { completionInput, newCallInput, newRunInput } from './internal/test-fixtures.js';

/**
 * A journal as the prototype (schema v0) wrote it, spelled out by hand rather than taken from
 * MIGRATIONS[0], so an accidental edit of the shipped step cannot make this test agree with it.
 */
function writeV0Journal(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE runs (id TEXT PRIMARY KEY, script_path TEXT NOT NULL, script_text TEXT NOT NULL,
      args_json TEXT, provider TEXT NOT NULL, model TEXT NOT NULL, status TEXT NOT NULL,
      result_json TEXT, error TEXT, created_at TEXT NOT NULL);
    CREATE TABLE calls (run_id TEXT NOT NULL, call_key TEXT NOT NULL, label TEXT NOT NULL,
      prompt TEXT NOT NULL, status TEXT NOT NULL, result_json TEXT,
      input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,
      cost_usd REAL NOT NULL DEFAULT 0, error TEXT, started_at TEXT NOT NULL, ended_at TEXT,
      PRIMARY KEY (run_id, call_key));
    CREATE TABLE logs (run_id TEXT NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL,
      at TEXT NOT NULL, PRIMARY KEY (run_id, seq));
    INSERT INTO runs VALUES ('wf_old-1', 'fix.workflow.js', 'return 1', '{"n":1}', 'anthropic',
      'claude-sonnet-4', 'done', '[true]', NULL, '2024-11-02T10:00:00.000Z');
    INSERT INTO calls VALUES ('wf_old-1', 'abc#0', 'fix:a', 'Fix a', 'done', '{"fixed":true}',
      120, 30, 0.01, NULL, '2024-11-02T10:00:01.000Z', '2024-11-02T10:00:09.000Z');
    INSERT INTO calls VALUES ('wf_old-1', 'abc#1', 'fix:b', 'Fix b', 'failed', NULL,
      80, 0, 0.002, 'rate limited', '2024-11-02T10:00:02.000Z', '2024-11-02T10:00:05.000Z');
    INSERT INTO logs VALUES ('wf_old-1', 1, '1 fixed', '2024-11-02T10:00:10.000Z');
  `);
  db.close();
}

describe('migrations', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-migrate-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('the list is ordered and ends at the version this code writes', () => {
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.at(-1)).toBe(JOURNAL_SCHEMA_VERSION);
  });

  it('a new journal records the current schema version', () => {
    openJournal({ stateDir }).close();
    const db = new Database(join(stateDir, 'dynaflow.db'), { readonly: true });
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get()).toBe(
      String(JOURNAL_SCHEMA_VERSION),
    );
    db.close();
  });

  it('upgrades a v0 journal, keeping every record and a backup copy', async () => {
    mkdirSync(stateDir, { recursive: true });
    writeV0Journal(join(stateDir, 'dynaflow.db'));

    const journal = openJournal({ stateDir });
    const run = journal.requireRun('wf_old-1');
    expect(run).toMatchObject({
      schemaVersion: 0,
      scriptText: 'return 1',
      scriptHash: createHash('sha256').update('return 1').digest('hex'),
      argsJson: '{"n":1}',
      status: 'done',
      resultJson: '[true]',
      limits: { concurrency: 16, maxAgents: 1000, budgetTokens: null, maxCostUsd: null },
      createdAt: '2024-11-02T10:00:00.000Z',
    });
    const calls = journal.completedCalls('wf_old-1');
    expect(calls.get('abc#0')).toMatchObject({
      schemaVersion: 0,
      kind: 'agent',
      status: 'done',
      resultJson: '{"fixed":true}',
      usage: { inputTokens: 120, outputTokens: 30, cacheReadTokens: 0, cacheCreationTokens: 0 },
      costUsd: 0.01,
    });
    expect(calls.get('abc#1')).toMatchObject({ status: 'failed', error: 'rate limited' });
    expect(journal.listEvents('wf_old-1')).toEqual([
      {
        schemaVersion: 0,
        runId: 'wf_old-1',
        seq: 1,
        kind: 'log',
        text: '1 fixed',
        at: '2024-11-02T10:00:10.000Z',
      },
    ]);

    // The upgraded journal takes new records beside the old ones.
    const fresh = journal.createRun(newRunInput());
    journal.startCall(newCallInput(fresh.id, 'k'));
    await journal.completeCall(completionInput(fresh.id, 'k'));
    journal.appendEvent('wf_old-1', 'log', 'resumed');
    expect(journal.listEvents('wf_old-1').map((event) => event.seq)).toEqual([1, 2]);
    expect(journal.listRuns().map((summary) => summary.id)).toEqual([fresh.id, 'wf_old-1']);
    journal.close();

    const backups = readdirSync(stateDir).filter((name) => name.startsWith('dynaflow.db.v0-backup-'));
    expect(backups).toHaveLength(1);
    const backup = new Database(join(stateDir, backups[0] ?? ''), { readonly: true });
    expect(backup.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(2);
    backup.close();
  });

  it('opening an upgraded journal again changes nothing', () => {
    writeV0Journal(join(stateDir, 'dynaflow.db'));
    openJournal({ stateDir }).close();
    const journal = openJournal({ stateDir });
    expect(journal.listCalls('wf_old-1')).toHaveLength(2);
    journal.close();
    expect(readdirSync(stateDir).filter((name) => name.includes('backup'))).toHaveLength(1);
  });
});
