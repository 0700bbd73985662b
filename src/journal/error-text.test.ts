import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from './index.js';
import { JOURNALED_ERROR_LIMIT } from './internal/error-text.js';
import { completionInput, newCallInput, newRunInput } from './internal/test-fixtures.js';

describe('error texts are bounded in the journal', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-error-text-'));
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('BD-28 a huge call or run error keeps its first 64 KiB and says how much was cut; small ones stay whole', async () => {
    const journal = openJournal({ stateDir });
    const run = journal.createRun(newRunInput());
    const huge = `cause first ${'x'.repeat(5 * 1024 * 1024)}`;
    journal.startCall(newCallInput(run.id, 'k'));
    await journal.completeCall(completionInput(run.id, 'k', { status: 'failed', error: huge }));
    journal.updateRun(run.id, { status: 'failed', error: huge });
    journal.startCall(newCallInput(run.id, 'small'));
    await journal.completeCall(completionInput(run.id, 'small', { status: 'failed', error: 'a 404' }));
    await journal.flush();

    const call = journal.listCalls(run.id).find((record) => record.callKey === 'k');
    const cut = (huge.length - JOURNALED_ERROR_LIMIT).toLocaleString('en-US');
    for (const error of [call?.error, journal.getRun(run.id)?.error]) {
      expect(error?.startsWith('cause first')).toBe(true);
      expect(error?.length).toBeLessThan(JOURNALED_ERROR_LIMIT + 100);
      expect(error?.endsWith(`… (${cut} characters cut)`)).toBe(true);
    }
    expect(journal.listCalls(run.id).find((record) => record.callKey === 'small')?.error).toBe('a 404');
    // An explicit null still clears it.
    journal.updateRun(run.id, { status: 'done', error: null });
    expect(journal.getRun(run.id)?.error).toBeNull();
    journal.close();
  });
});
