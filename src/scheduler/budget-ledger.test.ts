import { describe, expect, it } from 'vitest';
import { BudgetLedger, type BudgetReservation } from './budget-ledger.js';
import { ManualClock } from './clock.js';
import { createSeededRandom } from './seeded-random.js';

describe('BudgetLedger', () => {
  it('clamps reservations to what is left after spend and other reservations', () => {
    const budget = new BudgetLedger(250);
    const first = budget.reserve(100);
    const second = budget.reserve(100);
    const third = budget.reserve(100);
    expect([first.maxTokens, second.maxTokens, third.maxTokens]).toEqual([100, 100, 50]);
    expect(budget.available()).toBe(0);
    expect(() => budget.reserve(100)).toThrow(expect.objectContaining({ code: 'BUDGET_EXHAUSTED' }));
    expect(budget.exhausted()).toBe(false); // nothing is spent yet, only reserved
    budget.settle(first, 30);
    expect(budget.spent()).toBe(30);
    expect(budget.reserved()).toBe(150);
    expect(budget.remaining()).toBe(220);
    expect(budget.reserve(500).maxTokens).toBe(70);
  });

  it('keeps spent + reserved within the total under 20 concurrent requests of max 100', async () => {
    const total = 3_333;
    const budget = new BudgetLedger(total);
    const clock = new ManualClock();
    const random = createSeededRandom(5);
    let peakSpent = 0;
    let clamped = 0;
    let refused = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        let reservation: BudgetReservation;
        try {
          reservation = budget.reserve(100);
        } catch (error) {
          expect(error).toMatchObject({ code: 'BUDGET_EXHAUSTED' });
          refused += 1;
          if (budget.exhausted()) return;
          await clock.sleep(5); // everything left is reserved by others: wait for them to settle
          continue;
        }
        if (reservation.maxTokens < 100) clamped += 1;
        expect(budget.spent() + budget.reserved()).toBeLessThanOrEqual(total);
        await clock.sleep(1 + Math.floor(random() * 50));
        // The provider honours max_tokens: output is at most the reserved amount.
        budget.settle(reservation, Math.floor(random() * (reservation.maxTokens + 1)));
        peakSpent = Math.max(peakSpent, budget.spent());
        expect(budget.spent()).toBeLessThanOrEqual(total);
      }
    };
    await clock.runUntilSettled(Promise.all(Array.from({ length: 20 }, worker)));
    expect(budget.exhausted()).toBe(true);
    expect(peakSpent).toBe(total);
    expect(budget.reserved()).toBe(0);
    expect(clamped).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('throws BUDGET_EXHAUSTED once spent >= total and tells listeners once', () => {
    const budget = new BudgetLedger(100);
    let calls = 0;
    budget.onExhausted(() => {
      calls += 1;
    });
    const reservation = budget.reserve(100);
    budget.settle(reservation, 99);
    expect(budget.exhausted()).toBe(false);
    expect(calls).toBe(0);
    budget.record(1);
    expect(budget.exhausted()).toBe(true);
    expect(budget.remaining()).toBe(0);
    expect(calls).toBe(1);
    budget.record(5); // a response that overshot: counted, but the listener already fired
    expect(budget.spent()).toBe(105);
    expect(calls).toBe(1);
    expect(() => budget.reserve(1)).toThrow(expect.objectContaining({ code: 'BUDGET_EXHAUSTED' }));
    expect(() => budget.check()).toThrow(expect.objectContaining({ code: 'BUDGET_EXHAUSTED' }));
  });

  it('has no ceiling with total null', () => {
    const budget = new BudgetLedger(null);
    expect(budget.total).toBeNull();
    expect(budget.remaining()).toBe(Infinity);
    const reservation = budget.reserve(64_000);
    expect(reservation.maxTokens).toBe(64_000);
    budget.settle(reservation, 1_000_000);
    expect(budget.exhausted()).toBe(false);
    expect(() => budget.check()).not.toThrow();
  });

  it('settling twice counts once', () => {
    const budget = new BudgetLedger(1_000);
    const reservation = budget.reserve(100);
    expect(budget.settle(reservation, 40)).toBe(true);
    expect(budget.settle(reservation, 40)).toBe(false);
    expect(budget.spent()).toBe(40);
    expect(budget.reserved()).toBe(0);
  });

  it('raise makes room again and re-arms the listener', () => {
    const budget = new BudgetLedger(10);
    let calls = 0;
    const unsubscribe = budget.onExhausted(() => {
      calls += 1;
    });
    budget.record(10);
    expect(calls).toBe(1);
    budget.raise(20);
    expect(budget.exhausted()).toBe(false);
    expect(budget.reserve(50).maxTokens).toBe(10);
    budget.record(10);
    expect(calls).toBe(2);
    unsubscribe();
    budget.raise(30);
    budget.record(10);
    expect(calls).toBe(2);
    budget.raise(null);
    expect(budget.remaining()).toBe(Infinity);
  });

  it('is exhausted from the start with total 0, and rejects invalid input with ARGS_INVALID', () => {
    expect(new BudgetLedger(0).exhausted()).toBe(true);
    expect(() => new BudgetLedger(-1)).toThrow(expect.objectContaining({ code: 'ARGS_INVALID' }));
    const budget = new BudgetLedger(100);
    expect(() => budget.reserve(0)).toThrow(expect.objectContaining({ code: 'ARGS_INVALID' }));
    expect(() => budget.settle(budget.reserve(1), -3)).toThrow(
      expect.objectContaining({ code: 'ARGS_INVALID' }),
    );
  });
});

describe('BudgetLedger.reserveWhenAvailable', () => {
  it('waits for an in-flight request to settle instead of failing, and fails once spent', async () => {
    const budget = new BudgetLedger(100);
    const first = await budget.reserveWhenAvailable(500);
    expect(first.maxTokens).toBe(100);
    let second: BudgetReservation | undefined;
    const waiting = budget.reserveWhenAvailable(500).then((reservation) => (second = reservation));
    await Promise.resolve();
    expect(second).toBeUndefined();
    budget.settle(first, 40);
    await waiting;
    expect(second?.maxTokens).toBe(60);
    if (!second) throw new Error('unreachable');
    const third = budget.reserveWhenAvailable(10);
    budget.settle(second, 60);
    await expect(third).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
  });

  it('stops waiting when the signal aborts', async () => {
    const budget = new BudgetLedger(10);
    budget.reserve(10);
    const controller = new AbortController();
    const waiting = budget.reserveWhenAvailable(5, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
  });
});
