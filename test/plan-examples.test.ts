/**
 * PL-1*: the rehearsal counts what the real run does. For every script in examples/ (and every
 * built-in workflow), the agents the rehearsal starts — per phase — equal the agents a real run
 * on the simulator starts, given the same args, limits and seed.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunLimits } from '../src/journal/index.js';
import { rehearse, type Rehearsal } from '../src/planner/index.js';
import type { JsonValue } from '../src/sandbox/index.js';
import { loadScript } from '../src/script/index.js';
import { fastClock } from './helpers/fast-clock.js';
import { createHarness, REPO_ROOT, type Harness } from './helpers/harness.js';

/** Args that make each example do real work (the default for the rest: none). */
const EXAMPLE_ARGS: Readonly<Record<string, { args?: JsonValue; limits?: Partial<RunLimits> }>> = {
  'review.workflow.js': { args: { files: ['a.ts', 'b.ts'] } },
  'triage.workflow.js': { args: { files: ['t1', 't2', 't3'] } },
  'nested-fanout.workflow.js': { args: { packages: ['core', 'cli', 'web'] } },
  'api-inventory.workflow.js': { args: { services: ['billing'] } },
  'budget-guard.workflow.js': { args: { reserve: 130 }, limits: { budgetTokens: 1000 } },
  'string-args.workflow.js': { args: 'rename foo to bar' },
  'summarise-child.workflow.js': { args: { topics: ['caching', 'retries', 'journal'] } },
  'port.workflow.ts': { args: { files: ['lib/a.js'] } },
};

const SIM_SEED = 1;
const SCRIPT_SEED = 42;

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ seed: SIM_SEED, deps: { clock: fastClock() } });
});
afterAll(async () => harness.close());

function agentsPerPhase(calls: readonly { kind: string; phase: string | null }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    if (call.kind !== 'agent') continue;
    const key = call.phase ?? '(none)';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function compare(file: string, args: JsonValue | undefined, limits: Partial<RunLimits> = {}) {
  const script = await loadScript(path.join(REPO_ROOT, file));
  const rehearsal: Rehearsal = await rehearse({
    script,
    args,
    projectRoot: REPO_ROOT,
    limits,
    seed: SCRIPT_SEED,
    simSeed: SIM_SEED,
  });
  // A fresh simulator state: scripted failures (`@sim fail … times N`) count attempts per request.
  harness.sim.reset();
  const outcome = await harness.runFile(file, args, { seed: SCRIPT_SEED, limits });
  const real = harness.journal.listCalls(outcome.runId);
  return { rehearsal, outcome, rehearsed: agentsPerPhase(rehearsal.calls), ran: agentsPerPhase(real) };
}

describe('rehearsal agent counts equal real run agent counts', () => {
  const examples = readdirSync(path.join(REPO_ROOT, 'examples')).filter((name) => /\.(js|ts)$/.test(name));

  it('PL-10 covers every example script', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of examples) {
    it(`PL-11 ${name}: same agents per phase as the real run`, async () => {
      const setup = EXAMPLE_ARGS[name] ?? {};
      const { rehearsal, outcome, rehearsed, ran } = await compare(
        `examples/${name}`,
        setup.args,
        setup.limits,
      );
      expect(rehearsal.status).toBe(outcome.status);
      expect(Object.values(ran).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
      expect(rehearsed).toEqual(ran);
    });
  }
});
