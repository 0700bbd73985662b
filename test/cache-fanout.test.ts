/**
 * CA-01..CA-06 end to end: a fan-out whose prompts share a long guide, through the runtime, the
 * real anthropic adapter and the simulator over HTTP (its own counters are the measure).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { estimateCostUsd, type ModelProvider } from '../src/providers/index.js';
import type { BehaviourRequest, SimContentBlock, SimStats } from '../src/sim/index.js';
import { createHarness, type Harness } from './helpers/harness.js';

const GUIDE = Array.from(
  { length: 400 },
  (_, line) => `Review rule ${line}: check error handling, naming and tests before anything else.`,
).join('\n');
const AGENTS = 24;

const FANOUT = `export const meta = { name: 'fanout', description: 'review many files with one guide' }
const guide = args.guide
const results = await parallel(args.files.map((file) => () => agent(guide + '\\n\\nReview ' + file, { label: file })))
return results.filter((r) => r !== null).length
`;

function files(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `src/module-${index}.ts`);
}

function readShare(stats: SimStats): number {
  return stats.cacheReadTokens / (stats.inputTokens + stats.cacheReadTokens + stats.cacheCreationTokens);
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Records the first user message of every request the simulator receives. */
function recordingBehaviour(firstMessages: unknown[]) {
  return {
    respond(request: BehaviourRequest) {
      firstMessages.push(request.messages[0]?.content);
      return undefined;
    },
  };
}

async function fanOut(cacheWarming: boolean) {
  const firstMessages: unknown[] = [];
  harness = await createHarness({
    latencyMs: 30,
    behaviour: recordingBehaviour(firstMessages),
    deps: { cacheWarming },
  });
  const outcome = await harness.runText(
    FANOUT,
    { guide: GUIDE, files: files(AGENTS) },
    { limits: { concurrency: 8 } },
  );
  expect(outcome.status).toBe('done');
  expect(outcome.result).toBe(AGENTS);
  return { outcome, stats: harness.sim.stats(), firstMessages, harness };
}

describe('prompt caching of a fan-out', () => {
  it('CA-01 every agent sends the shared guide as its own cache_control block, the task after it', async () => {
    const { firstMessages } = await fanOut(true);
    expect(firstMessages).toHaveLength(AGENTS);
    for (const content of firstMessages) {
      const blocks = content as SimContentBlock[];
      expect(blocks).toHaveLength(2);
      expect(blocks[0]).toMatchObject({
        type: 'text',
        text: `${GUIDE}\n\n`,
        cache_control: { type: 'ephemeral' },
      });
      expect(blocks[1]?.text).toMatch(/^Review src\/module-\d+\.ts$/);
    }
  });

  it('CA-03 warming: the guide is written once and read by every other agent; cold, it is written per wave', async () => {
    const guideTokens = Math.ceil(GUIDE.length / 4);
    const warm = (await fanOut(true)).stats;
    await harness?.close();
    harness = undefined;
    const cold = (await fanOut(false)).stats;
    // Warm: one write of the shared prefix (preamble + guide) plus each agent's short tail.
    expect(warm.cacheCreationTokens).toBeLessThan(guideTokens * 1.5);
    expect(warm.cacheReadTokens).toBeGreaterThan(guideTokens * (AGENTS - 1));
    // Cold: the first wave (concurrency 8) each writes the guide.
    expect(cold.cacheCreationTokens).toBeGreaterThan(guideTokens * 7);
    expect(readShare(warm)).toBeGreaterThan(0.9);
    expect(readShare(warm)).toBeGreaterThan(readShare(cold));
  });

  it('CA-04 the run cost (sum of journaled call costs) equals the cost of the simulator counters', async () => {
    const { outcome, stats, harness: used } = await fanOut(true);
    const calls = used.journal.listCalls(outcome.runId).filter((call) => call.kind === 'agent');
    expect(calls).toHaveLength(AGENTS);
    const sum = (pick: (call: (typeof calls)[number]) => number) =>
      calls.reduce((total, call) => total + pick(call), 0);
    expect(sum((call) => call.usage.inputTokens)).toBe(stats.inputTokens);
    expect(sum((call) => call.usage.outputTokens)).toBe(stats.outputTokens);
    expect(sum((call) => call.usage.cacheReadTokens)).toBe(stats.cacheReadTokens);
    expect(sum((call) => call.usage.cacheCreationTokens)).toBe(stats.cacheCreationTokens);
    const model = calls[0]?.model ?? '';
    const fromSimulator = estimateCostUsd(model, stats, used.provider.pricing);
    expect(sum((call) => call.costUsd)).toBeCloseTo(fromSimulator, 12);
    expect(outcome.scheduler.spentUsd).toBeCloseTo(fromSimulator, 12);
  });
});

describe('rate-limit headers', () => {
  const SEQUENTIAL = `export const meta = { name: 'six', description: 'six agents one after another' }
const out = []
for (let i = 0; i < 6; i++) out.push(await agent('task ' + i))
return out.length
`;

  it('CA-06 at 0 remaining the runtime holds requests until the reset instead of collecting 429s', async () => {
    harness = await createHarness({ rateLimit: { requestsPerMinute: 3, windowMs: 600 } });
    const outcome = await harness.runText(SEQUENTIAL, undefined);
    expect(outcome.result).toBe(6);
    expect(harness.sim.stats()).toMatchObject({ requests: 6, rateLimited: 0 });
  });

  it('CA-06 (control) a provider that hides the headers runs into the limit and is refused', async () => {
    harness = await createHarness({ rateLimit: { requestsPerMinute: 3, windowMs: 600 } });
    const real = harness.provider;
    const blind: ModelProvider = {
      ...real,
      createMessage: async (request, options) => {
        const { rateLimit: _hidden, ...response } = await real.createMessage(request, options);
        return response;
      },
    };
    const { startRun } = await import('../src/runtime/index.js');
    const { parseScript } = await import('../src/script/index.js');
    const outcome = await startRun(
      { ...harness.deps, provider: blind },
      { script: parseScript(SEQUENTIAL, 'six.workflow.js'), args: undefined, seed: 1 },
    );
    expect(outcome.result).toBe(6);
    expect(harness.sim.stats().rateLimited).toBeGreaterThan(0);
  });
});
