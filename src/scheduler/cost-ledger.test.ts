import { describe, expect, it } from 'vitest';
import { CostLedger } from './cost-ledger.js';

describe('CostLedger', () => {
  it('throws COST_EXHAUSTED once the ceiling is reached and tells listeners once', () => {
    const cost = new CostLedger(1);
    let calls = 0;
    cost.onExhausted(() => {
      calls += 1;
    });
    for (let index = 0; index < 9; index += 1) cost.charge(0.1);
    expect(cost.exhausted()).toBe(false);
    expect(() => cost.check()).not.toThrow();
    cost.charge(0.25);
    expect(cost.exhausted()).toBe(true);
    expect(cost.remaining()).toBe(0);
    expect(() => cost.check()).toThrow(expect.objectContaining({ code: 'COST_EXHAUSTED' }));
    cost.charge(0.5);
    expect(calls).toBe(1);
    expect(cost.spent()).toBeCloseTo(1.65, 10);
  });

  it('has no ceiling with null', () => {
    const cost = new CostLedger(null);
    cost.charge(1_000_000);
    expect(cost.exhausted()).toBe(false);
    expect(cost.remaining()).toBe(Infinity);
    expect(() => cost.check()).not.toThrow();
  });

  it('raise re-opens the ceiling', () => {
    const cost = new CostLedger(2);
    let calls = 0;
    cost.onExhausted(() => {
      calls += 1;
    });
    cost.charge(2);
    cost.raise(5);
    expect(() => cost.check()).not.toThrow();
    expect(cost.remaining()).toBe(3);
    cost.charge(3);
    expect(calls).toBe(2);
  });

  it('rejects a negative ceiling or charge with ARGS_INVALID', () => {
    expect(() => new CostLedger(-0.01)).toThrow(expect.objectContaining({ code: 'ARGS_INVALID' }));
    expect(() => new CostLedger(1).charge(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'ARGS_INVALID' }),
    );
  });
});
