import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeOf } from './internal/test-fixtures.js';
import {
  JOURNAL_SCHEMA_VERSION,
  openMemoryJournal,
  parseJournalSnapshot,
  type JournalSnapshot,
} from './index.js';

/**
 * Runs written by schemas v1 and v2, committed as JSON. They must keep loading after every change
 * to the journal: if these tests need editing beyond stating a new version's additions, old
 * journals broke.
 */
const GOLDEN_V1: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/v1-golden.json', import.meta.url), 'utf8'),
);
const GOLDEN_V2: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/v2-golden.json', import.meta.url), 'utf8'),
);

/**
 * What a v1 snapshot reads as today: every record keeps the version that wrote it; the snapshot
 * is stamped with the current version, and each call gains the v2 field `reusedFrom: null` (a v1
 * call was always made by its own run).
 */
function upgradedV1(): unknown {
  const golden = GOLDEN_V1 as JournalSnapshot;
  return {
    ...golden,
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    calls: golden.calls.map((call) => ({ ...call, reusedFrom: null })),
  };
}

describe('golden journal v2', () => {
  it('JR-G2 loads, keeps reusedFrom on reused calls and exports back to the same snapshot', () => {
    const journal = openMemoryJournal();
    const run = journal.importRun(parseJournalSnapshot(GOLDEN_V2, 'v2-golden.json'));
    expect(run.reuseFrom).toBe('wf_0m7q5h1c0-golden01');
    const calls = journal.listCalls(run.id);
    expect(calls.map((call) => call.reusedFrom)).toEqual([
      'wf_0m7q5h1c0-golden01',
      null,
      'wf_0m7q5h1c0-golden01',
    ]);
    expect(journal.exportRun(run.id)).toEqual(GOLDEN_V2);
    journal.close();
  });
});

describe('golden journal v1', () => {
  it('loads, replays its completions and exports back to the same snapshot', () => {
    const journal = openMemoryJournal();
    const snapshot = parseJournalSnapshot(GOLDEN_V1, 'v1-golden.json');
    const run = journal.importRun(snapshot);
    expect(run.status).toBe('done');

    const completed = journal.completedCalls(run.id);
    expect([...completed.keys()]).toEqual(['9f2c1a#0', '9f2c1a#1', '71be03#0', 'e0aa42#0']);
    expect(completed.get('9f2c1a#0')?.resultJson).toBe('{"fixed":true}');
    expect(completed.get('9f2c1a#1')).toMatchObject({ status: 'failed', attempts: 4, resultJson: null });
    expect(completed.get('e0aa42#0')?.kind).toBe('exec');
    expect(journal.usageTotals(run.id)).toEqual({
      usage: { inputTokens: 8000, outputTokens: 800, cacheReadTokens: 1500, cacheCreationTokens: 750 },
      costUsd: 1,
      calls: 5,
    });
    expect(journal.listEvents(run.id).map((event) => event.kind)).toEqual(['phase', 'warning', 'log']);

    expect(journal.exportRun(run.id)).toEqual(upgradedV1());
    expect([...completed.values()].every((call) => call.schemaVersion === 1)).toBe(true);
    journal.close();
  });

  it('a run imported from a snapshot takes new events after its last one', () => {
    const journal = openMemoryJournal();
    const run = journal.importRun(parseJournalSnapshot(GOLDEN_V1));
    journal.appendEvent(run.id, 'log', 'resumed');
    expect(journal.listEvents(run.id).map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    journal.close();
  });

  it('refuses to import a run that already exists', () => {
    const journal = openMemoryJournal();
    journal.importRun(parseJournalSnapshot(GOLDEN_V1));
    expect(codeOf(() => journal.importRun(parseJournalSnapshot(GOLDEN_V1)))).toBe('JOURNAL_WRITE_FAILED');
    journal.close();
  });

  it('a damaged snapshot is JOURNAL_CORRUPT, a newer one JOURNAL_TOO_NEW', () => {
    const golden = GOLDEN_V1 as JournalSnapshot;
    expect(codeOf(() => parseJournalSnapshot({ ...golden, calls: [{ callKey: 'x' }] }))).toBe(
      'JOURNAL_CORRUPT',
    );
    expect(codeOf(() => parseJournalSnapshot('not a snapshot'))).toBe('JOURNAL_CORRUPT');
    const mixed = { ...golden, events: [{ ...golden.events[0], runId: 'wf_other' }] };
    expect(codeOf(() => parseJournalSnapshot(mixed))).toBe('JOURNAL_CORRUPT');
    expect(codeOf(() => parseJournalSnapshot({ ...golden, schemaVersion: 99 }))).toBe('JOURNAL_TOO_NEW');
  });
});
