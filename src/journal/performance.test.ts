import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from './index.js';
import { completionInput, newCallInput, newRunInput } from './internal/test-fixtures.js';

const FAN_OUT = 10_000;

describe('journaling cost at high fan-out', () => {
  it(`commits ${FAN_OUT} concurrent completions, durably, through group commit`, async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dynaflow-perf-'));
    try {
      const journal = openJournal({ stateDir });
      const run = journal.createRun(newRunInput());
      for (let index = 0; index < FAN_OUT; index += 1) journal.startCall(newCallInput(run.id, `k${index}`));
      await journal.flush();

      const result = JSON.stringify({ summary: 'x'.repeat(400) });
      const started = performance.now();
      await Promise.all(
        Array.from({ length: FAN_OUT }, (_, index) =>
          journal.completeCall(completionInput(run.id, `k${index}`, { resultJson: result })),
        ),
      );
      const elapsedMs = performance.now() - started;
      // Reported, not asserted: timing depends on the machine; the budget is "well under 1 ms".
      console.log(
        `journal: ${FAN_OUT} completions in ${elapsedMs.toFixed(1)} ms = ` +
          `${((elapsedMs / FAN_OUT) * 1000).toFixed(1)} µs per completion`,
      );

      expect(journal.completedCalls(run.id).size).toBe(FAN_OUT);
      expect(journal.usageTotals(run.id).calls).toBe(FAN_OUT);
      journal.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
