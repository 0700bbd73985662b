import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.js';

describe('ManualClock', () => {
  it('wakes sleepers in time order, ties in the order they slept', async () => {
    const clock = new ManualClock();
    const woken: string[] = [];
    const sleep = (name: string, ms: number) =>
      clock.sleep(ms).then(() => woken.push(`${name}@${clock.now()}`));
    const all = Promise.all([sleep('c', 300), sleep('a', 100), sleep('b', 100), sleep('d', 1000)]);
    await clock.advance(500);
    expect(woken).toEqual(['a@100', 'b@100', 'c@300']);
    expect(clock.now()).toBe(500);
    expect(clock.pendingSleepers).toBe(1);
    await clock.advance(500);
    await all;
    expect(woken).toEqual(['a@100', 'b@100', 'c@300', 'd@1000']);
  });

  it('wakes a sleep scheduled by a woken sleeper inside the same advance', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const chain = (async () => {
      for (let index = 0; index < 3; index += 1) {
        await clock.sleep(100);
        times.push(clock.now());
      }
    })();
    await clock.advance(250);
    expect(times).toEqual([100, 200]);
    await clock.advance(50);
    await chain;
    expect(times).toEqual([100, 200, 300]);
  });

  it('resolves sleep(0) at once and rejects with RUN_CANCELLED when the signal aborts', async () => {
    const clock = new ManualClock();
    await expect(clock.sleep(0)).resolves.toBeUndefined();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    expect(clock.pendingSleepers).toBe(1);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(clock.pendingSleepers).toBe(0);
    await expect(clock.sleep(10, controller.signal)).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    await clock.advance(2000); // the cancelled sleeper is skipped, not woken
    expect(clock.now()).toBe(2000);
  });

  it('runUntilSettled drives time until the promise settles, and reports a deadlock', async () => {
    const clock = new ManualClock(1_000);
    const value = await clock.runUntilSettled(clock.sleep(5_000).then(() => clock.now()));
    expect(value).toBe(6_000);
    const never = new Promise<void>(() => undefined);
    await expect(clock.runUntilSettled(never)).rejects.toThrow(/nothing is asleep/);
  });
});

describe('systemClock', () => {
  it('sleeps for real and rejects with RUN_CANCELLED on abort without waiting out the timer', async () => {
    const before = systemClock.now();
    await systemClock.sleep(5);
    expect(systemClock.now()).toBeGreaterThanOrEqual(before + 4);
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60 * 60 * 1000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
  });

  it('adds one abort listener per signal however many sleepers share it', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleepers = Array.from({ length: 500 }, (_, index) => clock.sleep(index + 1, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await clock.advance(500);
    await Promise.all(sleepers);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
