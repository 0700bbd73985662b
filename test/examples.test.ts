/**
 * EX-*: the realistic scripts in examples/ run unchanged on the simulator, end to end
 * (sandbox → runtime → scheduler → agent → anthropic SDK → HTTP → simulator → journal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.js';
import { fastClock } from './helpers/fast-clock.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ deps: { clock: fastClock() } });
});
afterAll(async () => harness.close());

function agentEnds(runId: string) {
  return harness.journal.listCalls(runId).filter((call) => call.kind === 'agent');
}

describe('examples', () => {
  it('EX-01 review: map → review → fix → verify pipeline over args.files', async () => {
    const outcome = await harness.runFile('examples/review.workflow.js', { files: ['a.ts', 'b.ts'] });
    expect(outcome.status).toBe('done');
    const results = outcome.result as { file: string; fixed: boolean; issues: number }[];
    expect(results.map((r) => r.file)).toEqual(['a.ts', 'b.ts']);
    for (const r of results) expect(typeof r.fixed).toBe('boolean');
    expect(agentEnds(outcome.runId).length).toBeGreaterThanOrEqual(2);
  });

  it('EX-02 triage: a top-level return without args, classification with them', async () => {
    const empty = await harness.runFile('examples/triage.workflow.js', undefined);
    expect(empty.result).toEqual({ error: 'pass args.files' });
    expect(agentEnds(empty.runId)).toHaveLength(0);
    const outcome = await harness.runFile('examples/triage.workflow.js', { files: ['t1', 't2', 't3'] });
    const result = outcome.result as { classified: { file: string; kind: string }[] };
    expect(result.classified.map((c) => c.file)).toEqual(['t1', 't2', 't3']);
    for (const c of result.classified) expect(['flaky', 'bug', 'outdated-test']).toContain(c.kind);
  });

  it('EX-03 nested parallel inside pipeline stages', async () => {
    const outcome = await harness.runFile('examples/nested-fanout.workflow.js', {
      packages: ['core', 'cli', 'web'],
    });
    const result = outcome.result as { pkg: string; modules: number; maxRisk: number }[];
    expect(result.map((r) => r.pkg)).toEqual(['core', 'cli', 'web']);
    const audits = agentEnds(outcome.runId).filter((c) => c.label.startsWith('audit:'));
    expect(audits.length).toBe(result.reduce((sum, r) => sum + r.modules, 0));
    for (const r of result) {
      expect(r.modules).toBeGreaterThanOrEqual(2);
      expect(r.maxRisk).toBeGreaterThanOrEqual(0);
      expect(r.maxRisk).toBeLessThanOrEqual(10);
    }
  });

  it('EX-04 .then/.catch chains: a failing agent yields null, an unsatisfiable schema throws before any request', async () => {
    const before = harness.sim.stats().requests;
    const outcome = await harness.runFile('examples/then-catch.workflow.js', undefined);
    expect(outcome.status).toBe('done');
    const result = outcome.result as { summaries: { doc: string; ok: boolean }[]; unsatisfiable: string };
    expect(result.summaries.map((s) => s.ok)).toEqual([true, false, true]);
    expect(result.unsatisfiable).toBe('refused before any request: SCHEMA_UNSATISFIABLE');
    // two healthy agents + the failing one's attempts; the unsatisfiable one sent nothing
    const failed = harness.journal.listCalls(outcome.runId).find((c) => c.label === 'summary:api.md');
    expect(failed?.status).toBe('failed');
    expect(harness.sim.stats().requests - before).toBe(2 + (failed?.attempts ?? 0));
  });

  it('EX-05 schema-heavy nested outputs validate and flow into later agents', async () => {
    const outcome = await harness.runFile('examples/api-inventory.workflow.js', { services: ['billing'] });
    const rows = outcome.result as { service: string; method: string; auth: string; risk: number | null }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(['GET', 'POST', 'PUT', 'DELETE']).toContain(row.method);
      expect(['none', 'token', 'session']).toContain(row.auth);
      expect(row.risk).not.toBeNull();
    }
  });

  it('EX-06 budget guard stops before the ceiling and reports spent()', async () => {
    const outcome = await harness.runFile(
      'examples/budget-guard.workflow.js',
      { reserve: 130 },
      {
        limits: { budgetTokens: 1000 },
      },
    );
    expect(outcome.status).toBe('done');
    const result = outcome.result as { rounds: number; spent: number; total: number };
    expect(result.total).toBe(1000);
    expect(result.rounds).toBe(8); // 120 output tokens per draft: stops once fewer than 130 remain
    expect(result.spent).toBe(960);
    const unlimited = await harness.runFile('examples/budget-guard.workflow.js', { maxRounds: 2 });
    expect(unlimited.result).toMatchObject({ rounds: 2, total: null, remainingIsFinite: false });
  });

  it('EX-07 workflow() nesting runs a child twice and shares the agent counter', async () => {
    const outcome = await harness.runFile('examples/parent.workflow.js', undefined);
    expect(outcome.status).toBe('done');
    expect(outcome.result).toEqual({
      first: { count: 2, topics: ['caching', 'retries'] },
      second: { count: 1, topics: ['journal'] },
      merged: 'string',
    });
    expect(agentEnds(outcome.runId)).toHaveLength(4);
  });

  it('EX-08 args as a raw string, and as the wrong type', async () => {
    const outcome = await harness.runFile('examples/string-args.workflow.js', 'rename foo to bar');
    const result = outcome.result as { task: string; steps: number; done: number };
    expect(result.task).toBe('rename foo to bar');
    expect(result.done).toBe(result.steps);
    const wrong = await harness.runFile('examples/string-args.workflow.js', { task: 'x' });
    expect(wrong.result).toHaveProperty('error');
  });

  it('EX-09 Math.random sampling is seeded per run: same seed, same sample', async () => {
    const a = await harness.runFile('examples/bug-vote.workflow.js', undefined, { seed: 5 });
    const b = await harness.runFile('examples/bug-vote.workflow.js', undefined, { seed: 5 });
    const sampleA = (a.result as { sample: string[] }).sample;
    expect((b.result as { sample: string[] }).sample).toEqual(sampleA);
    const votes = agentEnds(a.runId).filter((c) => c.label.startsWith('vote:'));
    expect(votes.length).toBe(3 * (a.result as { candidates: number }).candidates);
  });

  it('EX-10 a TypeScript workflow with exec() build step', async () => {
    const outcome = await harness.runFile('examples/port.workflow.ts', { files: ['lib/a.js'] });
    expect(outcome.status).toBe('done');
    expect(outcome.result).toEqual({ ported: 1, build: { code: 0, out: 'build ok\ntests: 2 passed' } });
    const exec = harness.journal.listCalls(outcome.runId).find((c) => c.kind === 'exec');
    expect(exec?.status).toBe('done');
  });
});
