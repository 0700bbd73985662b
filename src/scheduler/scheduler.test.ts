import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/index.js';
import { ManualClock } from './clock.js';
import { Scheduler } from './scheduler.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('Scheduler', () => {
  it('uses the documented defaults', () => {
    const scheduler = new Scheduler();
    const stats = scheduler.stats();
    expect(stats.concurrency).toBe(16);
    expect(stats.effectiveConcurrency).toBe(16);
    expect(stats.maxAgents).toBe(1_000);
    expect(stats.budgetTokens).toBeNull();
    expect(stats.remainingTokens).toBe(Infinity);
    expect(stats.maxCostUsd).toBeNull();
  });

  it('startAgent counts agents, waits for a slot and reports stats', async () => {
    const scheduler = new Scheduler({ concurrency: 2, maxAgents: 3, budgetTokens: null, maxCostUsd: null });
    const first = await scheduler.startAgent(0);
    const second = await scheduler.startAgent(0);
    let thirdStarted = false;
    const third = scheduler.startAgent(1).then((agent) => {
      thirdStarted = true;
      return agent;
    });
    await flush();
    expect(thirdStarted).toBe(false);
    expect(scheduler.stats()).toMatchObject({ running: 2, queued: 1, agentsAdmitted: 3 });
    await expect(scheduler.startAgent(0)).rejects.toMatchObject({ code: 'AGENT_CAP_REACHED' });
    first.release();
    expect((await third).ordinal).toBe(3);
    expect([first.ordinal, second.ordinal]).toEqual([1, 2]);
  });

  it('startAgent refuses when the budget or cost ceiling is reached, also after waiting for a slot', async () => {
    const scheduler = new Scheduler({ concurrency: 1, maxAgents: 10, budgetTokens: 100, maxCostUsd: 1 });
    const running = await scheduler.startAgent(0);
    const waiting = scheduler.startAgent(0);
    scheduler.budget.record(100); // the running agent spends the rest while the other waits
    running.release();
    await expect(waiting).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(scheduler.stats().running).toBe(0);
    await expect(scheduler.startAgent(0)).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });

    const costly = new Scheduler({ concurrency: 1, maxAgents: 10, budgetTokens: null, maxCostUsd: 1 });
    costly.cost.charge(1.5);
    await expect(costly.startAgent(0)).rejects.toMatchObject({ code: 'COST_EXHAUSTED' });
    expect(costly.stats().agentsAdmitted).toBe(0);
  });

  it('startAgent rejects with RUN_CANCELLED when cancelled while queued', async () => {
    const scheduler = new Scheduler({ concurrency: 1 });
    await scheduler.startAgent(0);
    const controller = new AbortController();
    const waiting = scheduler.startAgent(0, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
  });

  it('pause holds new agents; resume lets them start', async () => {
    const scheduler = new Scheduler({ concurrency: 4 });
    scheduler.pause();
    let started = false;
    const agent = scheduler.startAgent(0).then((started_) => {
      started = true;
      return started_;
    });
    await flush();
    expect(started).toBe(false);
    expect(scheduler.stats().paused).toBe(true);
    scheduler.resume();
    (await agent).release();
    expect(started).toBe(true);
  });

  it('send retries through the shared limiter with the injected clock and jitter', async () => {
    const clock = new ManualClock();
    const scheduler = new Scheduler({ concurrency: 8, clock, random: () => 0.5, maxAttempts: 2 });
    const attemptsAt: number[] = [];
    const result = clock.runUntilSettled(
      scheduler.send((attempt) => {
        attemptsAt.push(clock.now());
        return attempt === 1
          ? Promise.reject(
              new ProviderError('PROVIDER_OVERLOADED', 'overloaded', { status: 529, retryAfterMs: 0 }),
            )
          : Promise.resolve('ok');
      }),
    );
    await expect(result).resolves.toEqual({ value: 'ok', attempts: 2 });
    expect(attemptsAt).toEqual([0, 250]);
    expect(scheduler.stats()).toMatchObject({
      effectiveConcurrency: 4,
      congestionDecreases: 1,
      requestsInFlight: 0,
    });

    let calls = 0;
    const exhausted = clock.runUntilSettled(
      scheduler.send(() => {
        calls += 1;
        return Promise.reject(
          new ProviderError('PROVIDER_SERVER_ERROR', 'api_error', { status: 500, retryAfterMs: 0 }),
        );
      }),
    );
    await expect(exhausted).rejects.toMatchObject({ code: 'PROVIDER_SERVER_ERROR' });
    expect(calls).toBe(2);
  });

  it('rejects invalid options with ARGS_INVALID', () => {
    expect(() => new Scheduler({ concurrency: 0 })).toThrow(
      expect.objectContaining({ code: 'ARGS_INVALID' }),
    );
    expect(() => new Scheduler({ budgetTokens: -5 })).toThrow(
      expect.objectContaining({ code: 'ARGS_INVALID' }),
    );
  });
});
