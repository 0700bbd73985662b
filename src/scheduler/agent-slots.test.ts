import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AgentSlots } from './agent-slots.js';
import { ManualClock } from './clock.js';
import { createSeededRandom } from './seeded-random.js';

/** Lets granted acquires' continuations run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('AgentSlots', () => {
  it('serves FIFO within a priority', async () => {
    const slots = new AgentSlots(1);
    const first = await slots.acquire(0);
    const order: number[] = [];
    const waiting = [1, 2, 3, 4, 5].map((id) =>
      slots.acquire(0).then((release) => {
        order.push(id);
        release();
      }),
    );
    expect(slots.queued).toBe(5);
    first();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(slots.running).toBe(0);
  });

  it('serves higher priorities first, FIFO within each', async () => {
    const slots = new AgentSlots(1);
    const first = await slots.acquire(0);
    const order: string[] = [];
    const requests: [string, number][] = [
      ['a0', 0],
      ['b2', 2],
      ['c1', 1],
      ['d2', 2],
      ['e0', 0],
      ['f-1', -1],
      ['g1', 1],
    ];
    const waiting = requests.map(([name, priority]) =>
      slots.acquire(priority).then((release) => {
        order.push(name);
        release();
      }),
    );
    first();
    await Promise.all(waiting);
    expect(order).toEqual(['b2', 'd2', 'c1', 'g1', 'a0', 'e0', 'f-1']);
  });

  it('lets a later higher-priority waiter overtake queued lower ones while slots are busy', async () => {
    const slots = new AgentSlots(2);
    const held = [await slots.acquire(0), await slots.acquire(0)];
    const order: string[] = [];
    const low = Array.from({ length: 100 }, (_, index) =>
      slots.acquire(0).then((release) => {
        order.push(`low${index}`);
        return release;
      }),
    );
    const high = slots.acquire(3).then((release) => {
      order.push('high');
      return release;
    });
    held[0]?.();
    await flush();
    expect(order).toEqual(['high']);
    (await high)();
    held[1]?.();
    for (const waiter of low) (await waiter)();
    expect(order.slice(1, 4)).toEqual(['low0', 'low1', 'low2']);
    expect(order).toHaveLength(101);
  });

  it('runs 512 at once with concurrency 512, never 513', async () => {
    const clock = new ManualClock();
    const random = createSeededRandom(7);
    const slots = new AgentSlots(512);
    let running = 0;
    let peak = 0;
    let finished = 0;
    const agents = Array.from({ length: 2_000 }, async () => {
      const release = await slots.acquire(0);
      running += 1;
      peak = Math.max(peak, running);
      expect(slots.running).toBeLessThanOrEqual(512);
      await clock.sleep(1 + Math.floor(random() * 1_000));
      running -= 1;
      finished += 1;
      release();
    });
    await flush();
    expect(running).toBe(512);
    expect(slots.queued).toBe(2_000 - 512);
    await clock.runUntilSettled(Promise.all(agents));
    expect(peak).toBe(512);
    expect(finished).toBe(2_000);
    expect(slots.running).toBe(0);
    expect(slots.queued).toBe(0);
  });

  it('cancels a queued acquire: it rejects with RUN_CANCELLED and its turn goes to the next waiter', async () => {
    const slots = new AgentSlots(1);
    const first = await slots.acquire(0);
    const controller = new AbortController();
    const cancelled = slots.acquire(0, controller.signal);
    const next = slots.acquire(0);
    expect(slots.queued).toBe(2);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(slots.queued).toBe(1);
    first();
    const release = await next;
    expect(slots.running).toBe(1);
    release();
    await expect(slots.acquire(0, controller.signal)).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(slots.running).toBe(0);
  });

  it('an abort after the slot was granted changes nothing and leaves no listener behind', async () => {
    const slots = new AgentSlots(1);
    const controller = new AbortController();
    const first = await slots.acquire(0);
    const queued = Array.from({ length: 50 }, () => slots.acquire(1, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    first();
    for (const waiter of queued) (await waiter)();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(slots.running).toBe(0);
  });

  it('pause stops dispatching (running agents go on); resume fills free slots', async () => {
    const slots = new AgentSlots(3);
    const running = await slots.acquire(0);
    slots.pause();
    let started = 0;
    const waiting = Array.from({ length: 4 }, () =>
      slots.acquire(0).then((release) => {
        started += 1;
        return release;
      }),
    );
    await flush();
    expect(started).toBe(0);
    running();
    await flush();
    expect(started).toBe(0);
    expect(slots.queued).toBe(4);
    slots.resume();
    await flush();
    expect(started).toBe(3);
    expect(slots.running).toBe(3);
    (await waiting[0])?.();
    await flush();
    expect(started).toBe(4);
  });

  it('release is idempotent', async () => {
    const slots = new AgentSlots(2);
    const release = await slots.acquire(0);
    await slots.acquire(0);
    release();
    release();
    expect(slots.running).toBe(1);
  });

  it('setConcurrency raises and lowers the ceiling without stopping running agents', async () => {
    const slots = new AgentSlots(1);
    const first = await slots.acquire(0);
    const second = slots.acquire(0);
    slots.setConcurrency(2);
    const releaseSecond = await second;
    expect(slots.running).toBe(2);
    slots.setConcurrency(1);
    let thirdStarted = false;
    const third = slots.acquire(0).then((release) => {
      thirdStarted = true;
      return release;
    });
    first();
    await flush();
    expect(thirdStarted).toBe(false);
    releaseSecond();
    (await third)();
    expect(thirdStarted).toBe(true);
  });

  it('rejects an invalid concurrency with ARGS_INVALID', () => {
    expect(() => new AgentSlots(0)).toThrow(expect.objectContaining({ code: 'ARGS_INVALID' }));
    expect(() => new AgentSlots(1.5)).toThrow(expect.objectContaining({ code: 'ARGS_INVALID' }));
  });

  it('handles 20,000 waiters over 3 priorities with half of them cancelled', async () => {
    const slots = new AgentSlots(4);
    const held = await Promise.all([0, 1, 2, 3].map(() => slots.acquire(0)));
    const controllers: AbortController[] = [];
    const served: number[] = [];
    const waiters = Array.from({ length: 20_000 }, (_, index) => {
      const controller = new AbortController();
      controllers.push(controller);
      return slots.acquire(index % 3, controller.signal).then(
        (release) => {
          served.push(index);
          release();
        },
        () => undefined,
      );
    });
    controllers.forEach((controller, index) => {
      if (index % 2 === 1) controller.abort();
    });
    expect(slots.queued).toBe(10_000);
    for (const release of held) release();
    await Promise.all(waiters);
    expect(served).toHaveLength(10_000);
    expect(served.every((index) => index % 2 === 0)).toBe(true);
    const priorities = served.map((index) => index % 3);
    // Priority 2 first, then 1, then 0 (all were queued before the first release), FIFO within.
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    const within = served.filter((index) => index % 3 === 1);
    expect(within).toEqual([...within].sort((a, b) => a - b));
  });
});
