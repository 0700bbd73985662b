/**
 * RT-*: the script primitives through the whole stack (sandbox → runtime → scheduler → agent →
 * anthropic SDK → HTTP → simulator → journal), with SPEC §1 semantics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.js';
import { fastClock } from './helpers/fast-clock.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ deps: { clock: fastClock(200) } });
});
afterAll(async () => harness.close());

const META = `export const meta = { name: 't', description: 'test' }\n`;

describe('retries and ceilings', () => {
  it('RT-01 40 agents each failing twice (429/529/500/reset) all succeed', async () => {
    const before = harness.sim.stats().requests;
    const outcome = await harness.runText(
      `${META}
      const kinds = ['429', '529', '500', 'reset']
      const results = await parallel(Array.from({ length: 40 }, (_, i) => () =>
        agent('task ' + i + '\\n@sim fail ' + kinds[i % 4] + ' times 2 retry-after 0\\n@sim reply ok ' + i)))
      return results`,
    );
    expect(outcome.status).toBe('done');
    expect(outcome.result).toEqual(Array.from({ length: 40 }, (_, i) => `ok ${i}`));
    const calls = harness.journal.listCalls(outcome.runId);
    expect(calls.every((c) => c.attempts === 3 && c.status === 'done')).toBe(true);
    expect(harness.sim.stats().requests - before).toBe(120);
  });

  it('RT-02 a budget of N output tokens stops new agents; spent never passes N', async () => {
    const outcome = await harness.runText(
      `${META}
      const results = await parallel(Array.from({ length: 30 }, (_, i) => () =>
        agent('draft ' + i + '\\n@sim tokens 10 100')))
      let thrown = null
      try { await agent('one more') } catch (e) { thrown = e.code }
      return { ok: results.filter((r) => r !== null).length, spent: budget.spent(), total: budget.total, thrown }`,
      undefined,
      { limits: { budgetTokens: 1000, concurrency: 4 } },
    );
    expect(outcome.status).toBe('done');
    const result = outcome.result as { ok: number; spent: number; total: number; thrown: string };
    expect(result.total).toBe(1000);
    expect(result.spent).toBeLessThanOrEqual(1000);
    expect(result.ok).toBe(10);
    expect(result.thrown).toBe('BUDGET_EXHAUSTED');
  });

  it('RT-03 an uncaught budget exhaustion ends the run as exhausted (resumable)', async () => {
    const outcome = await harness.runText(
      `${META}
      for (let i = 0; i < 10; i++) await agent('step ' + i + '\\n@sim tokens 10 100')
      return 'unreachable'`,
      undefined,
      { limits: { budgetTokens: 250 } },
    );
    expect(outcome.status).toBe('exhausted');
    expect(outcome.error?.code).toBe('BUDGET_EXHAUSTED');
  });

  it('RT-04 the agent cap: the (max+1)-th agent() throws AGENT_CAP_REACHED', async () => {
    const outcome = await harness.runText(
      `${META}
      const made = []
      try { for (let i = 0; i < 10; i++) made.push(await agent('n' + i)) } catch (e) { return { made: made.length, code: e.code } }`,
      undefined,
      { limits: { maxAgents: 5 } },
    );
    expect(outcome.result).toEqual({ made: 5, code: 'AGENT_CAP_REACHED' });
  });

  it('RT-06 --max-cost is a hard ceiling on estimated cost: the next agent() throws COST_EXHAUSTED', async () => {
    const outcome = await harness.runText(
      `${META}
      let done = 0
      for (let i = 0; i < 10; i++) { await agent('costly ' + i + '\\n@sim tokens 10000 1000'); done++ }
      return done`,
      undefined,
      { limits: { maxCostUsd: 0.1 } },
    );
    expect(outcome.status).toBe('exhausted');
    expect(outcome.error?.code).toBe('COST_EXHAUSTED');
    expect(outcome.scheduler.spentUsd).toBeGreaterThanOrEqual(0.1);
    const done = harness.journal.listCalls(outcome.runId).filter((c) => c.status === 'done');
    // the ceiling is reached by the last agent that ran; none starts after it
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(10);
    expect(outcome.scheduler.spentUsd - (done.at(-1)?.costUsd ?? 0)).toBeLessThan(0.1);
  });

  it('RT-05 concurrency 512 with 1,000 agents', async () => {
    const outcome = await harness.runText(
      `${META}
      const r = await parallel(Array.from({ length: 1000 }, (_, i) => () => agent('n' + i + '\\n@sim reply ' + i)))
      return r.filter((x, i) => x === String(i)).length`,
      undefined,
      { limits: { concurrency: 512 } },
    );
    expect(outcome.result).toBe(1000);
  });
});

describe('primitives', () => {
  it('RT-10 parallel never rejects: a throwing thunk yields null', async () => {
    const outcome = await harness.runText(
      `${META}
      return await parallel([() => agent('a\\n@sim reply A'), () => { throw new Error('boom') }, async () => 'c'])`,
    );
    expect(outcome.result).toEqual(['A', null, 'c']);
  });

  it('RT-11 pipeline passes (prev, item, index) and a throwing stage nulls only its item', async () => {
    const outcome = await harness.runText(
      `${META}
      return await pipeline(['x', 'y', 'z'],
        (item, original, index) => agent('first ' + item + '\\n@sim reply ' + item + index),
        (prev, item, index) => { if (item === 'y') throw new Error('no'); return prev + ':' + item + ':' + index })`,
    );
    expect(outcome.result).toEqual(['x0:x:0', null, 'z2:z:2']);
  });

  it('RT-12 a schema agent returns the validated object; endless invalid output throws after repairs', async () => {
    const outcome = await harness.runText(
      `${META}
      const S = { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 3 } } }
      const good = await agent('pick a number', { schema: S })
      let code = null
      try { await agent('pick badly\\n@sim json {"n": 1}', { schema: S }) } catch (e) { code = e.code }
      return { good: good.n >= 3, code }`,
    );
    expect(outcome.result).toEqual({ good: true, code: 'STRUCTURED_OUTPUT_FAILED' });
  });

  it('RT-13 unknown agent options are ignored with a warning, never a crash', async () => {
    const outcome = await harness.runText(
      `${META}\nreturn await agent('hi\\n@sim reply yo', { colour: 'blue' })`,
    );
    expect(outcome.result).toBe('yo');
    expect(harness.events.some((e) => e.type === 'warning' && e.message.includes('colour'))).toBe(true);
  });

  it('RT-14 Date.now() fails the run with NONDETERMINISM', async () => {
    const outcome = await harness.runText(`${META}\nconst t = Date.now()\nreturn t`);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('NONDETERMINISM');
  });

  it('RT-15 a top-level throw fails the run and keeps the script line', async () => {
    const outcome = await harness.runText(`${META}\nconst a = 1\nthrow new Error('nope')`);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('SCRIPT_THREW');
    expect(outcome.error?.location?.line).toBe(4); // meta on line 1, a blank line, then the throw on line 4
  });

  it('RT-16 more than 4,096 items is an explicit error, never a truncation', async () => {
    const outcome = await harness.runText(
      `${META}\ntry { await parallel(Array.from({ length: 4097 }, () => () => 1)) } catch (e) { return e.code }`,
    );
    expect(outcome.result).toBe('TOO_MANY_ITEMS');
  });

  it('RT-17 workflow() inside a child workflow throws WORKFLOW_NESTING', async () => {
    const outcome = await harness.runText(
      `${META}\ntry { return await workflow({ scriptPath: 'test/fixtures/nests.workflow.js' }) } catch (e) { return e.code }`,
    );
    expect(outcome.result).toBe('WORKFLOW_NESTING');
  });

  it('RT-18 an unknown saved workflow name throws WORKFLOW_NOT_FOUND', async () => {
    const outcome = await harness.runText(
      `${META}\ntry { await workflow('no-such-flow') } catch (e) { return e.code }`,
    );
    expect(outcome.result).toBe('WORKFLOW_NOT_FOUND');
  });

  it('RT-19 phase() and log() reach the journal', async () => {
    const outcome = await harness.runText(`${META}\nphase('One')\nlog('hello')\nreturn 1`);
    const events = harness.journal.listEvents(outcome.runId).map((e) => `${e.kind}:${e.text}`);
    expect(events).toEqual(['phase:One', 'log:hello']);
  });

  it('RT-20 an agent the script never awaited is stopped and journaled as interrupted when the script ends', async () => {
    const outcome = await harness.runText(`${META}\nvoid agent('slow\\n@sim latency 5000')\nreturn 'early'`);
    expect(outcome.status).toBe('done');
    expect(outcome.result).toBe('early');
    const calls = harness.journal.listCalls(outcome.runId);
    expect(calls.map((c) => c.status)).toEqual(['interrupted']);
  });

  it('RT-21 a run that schedules more than 25 agents gets one large-workflow warning', async () => {
    const before = harness.events.length;
    await harness.runText(
      `${META}\nawait parallel(Array.from({ length: 30 }, (_, i) => () => agent('n' + i)))`,
    );
    const warnings = harness.events
      .slice(before)
      .filter((e) => e.type === 'warning' && e.message.startsWith('large workflow'));
    expect(warnings).toHaveLength(1);
  });
});
