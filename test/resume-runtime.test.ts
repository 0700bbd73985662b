/**
 * RS-40..: resume semantics in process (runtime + journal, real simulator over HTTP), where the
 * timing knobs are injected: the driver's cancel poll, and ceilings across resumes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ deps: { cancelPollMs: 10 } });
});
afterAll(async () => harness.close());

const META = `export const meta = { name: 't', description: 'test' }\n`;

describe('cancel from the journal', () => {
  it('RS-40 a run marked cancelled in the journal stops within the poll interval: status cancelled, in-flight interrupted', async () => {
    let cancelAfterFirst: (() => void) | undefined;
    const firstDone = new Promise<void>((resolve) => (cancelAfterFirst = resolve));
    harness.events.length = 0;
    const running = harness.runText(
      `${META}
      const fast = await agent('fast\\n@sim reply f')
      return await parallel([1, 2, 3].map((i) => () => agent('slow ' + i + '\\n@sim latency 800\\n@sim reply s' + i)))`,
    );
    const watcher = setInterval(() => {
      if (harness.events.some((event) => event.type === 'agent-end')) cancelAfterFirst?.();
    }, 5);
    await firstDone;
    clearInterval(watcher);
    const start = harness.events.find((event) => event.type === 'run-start');
    const runId = start?.type === 'run-start' ? start.runId : '';
    // Let the slow agents start, then cancel the way `dynaflow cancel` does, from outside.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(harness.journal.cancelRun(runId)).toMatchObject({ previous: 'running', changed: true });
    const outcome = await running;
    expect(outcome.status).toBe('cancelled');
    expect(outcome.error?.code).toBe('RUN_CANCELLED');
    expect(harness.journal.requireRun(runId).status).toBe('cancelled');
    const statuses = harness.journal.listCalls(runId).map((call) => call.status);
    expect(statuses.filter((status) => status === 'done')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'interrupted')).toHaveLength(3);
    expect(statuses.filter((status) => status === 'running')).toHaveLength(0);

    const before = harness.sim.stats().requests;
    const resumed = await harness.resume(runId);
    expect(resumed.status).toBe('done');
    expect(resumed.result).toEqual(['s1', 's2', 's3']);
    expect(resumed.reused).toBe(1);
    expect(harness.sim.stats().requests - before).toBe(3);
  });

  it('RS-41 --reuse copies name their source run and cost nothing; a resume of the reusing run replays them without charging the budget', async () => {
    const script = `${META}
      const r = await parallel([0, 1, 2, 3].map((i) => () => agent('part ' + i + '\\n@sim tokens 10 100\\n@sim reply p' + i)))
      return { r, spent: budget.spent() }`;
    const first = await harness.runText(script);
    expect(first.status).toBe('done');
    const reusing = await harness.runText(script, undefined, {
      reuseFrom: first.runId,
      limits: { budgetTokens: 150 },
    });
    expect(reusing.status).toBe('done');
    expect(reusing.result).toEqual({ r: ['p0', 'p1', 'p2', 'p3'], spent: 0 });
    const calls = harness.journal.listCalls(reusing.runId);
    expect(calls.map((call) => call.reusedFrom)).toEqual(Array(4).fill(first.runId));
    expect(calls.every((call) => call.costUsd === 0 && call.attempts === 0)).toBe(true);
    expect(harness.journal.usageTotals(reusing.runId).costUsd).toBe(0);
  });
});
