import { describe, expect, it } from 'vitest';
import { FakeHost, runWith } from './internal/fake-host.js';

describe('pipeline()', () => {
  it('has no barrier: item A reaches stage 3 while item B is still in stage 1', async () => {
    const host = new FakeHost({ onDemand: true });
    const source = `
      return await pipeline(['A', 'B'],
        (item) => agent('s1:' + item),
        (prev) => agent('s2:' + prev),
        (prev) => agent('s3:' + prev))`;
    const running = runWith(source, { host });
    await host.whenWaiting(2);
    host.release((call) => call.input === 's1:A', 'a1');
    await host.whenWaiting(2);
    host.release((call) => call.input === 's2:a1', 'a2');
    await host.whenWaiting(2);
    // A is in stage 3 now, and B has not left stage 1.
    expect(host.waiting.map((waiter) => waiter.call.input).sort()).toEqual(['s1:B', 's3:a2']);
    host.release((call) => call.input === 's3:a2', 'A-done');
    host.release((call) => call.input === 's1:B', 'b1');
    await host.whenWaiting(1);
    host.release((call) => call.input === 's2:b1', 'b2');
    await host.whenWaiting(1);
    host.release((call) => call.input === 's3:b2', 'B-done');
    await expect(running).resolves.toEqual(['A-done', 'B-done']);
  });

  it('stages get (previous, item, index); the first gets the item as previous', async () => {
    const source = `
      return await pipeline(['x', 'y'],
        (prev, item, index) => ({ first: [prev, item, index] }),
        (prev, item, index) => ({ ...prev, second: [item, index] }))`;
    await expect(runWith(source)).resolves.toEqual([
      { first: ['x', 'x', 0], second: ['x', 0] },
      { first: ['y', 'y', 1], second: ['y', 1] },
    ]);
  });

  it('a throwing stage makes that item null and skips its remaining stages; null is passed on', async () => {
    const host = new FakeHost();
    const source = `
      const seen = []
      const results = await pipeline([1, 2, 3],
        (n) => { if (n === 2) throw new Error('no'); return n === 3 ? null : n * 10 },
        (prev, item) => { seen.push(item); return prev })
      return { results, seen }`;
    await expect(runWith(source, { host })).resolves.toEqual({ results: [10, null, null], seen: [1, 3] });
    expect(host.warnings).toHaveLength(1);
  });

  it('passes the stage index as the agent priority hint', async () => {
    const host = new FakeHost();
    await runWith(
      'await agent("outside")\nawait pipeline([1], (n) => agent("s0"), (p) => agent("s1"), async (p) => agent("s2"))',
      {
        host,
      },
    );
    expect(host.calls.map((call) => [call.input, call.priority])).toEqual([
      ['outside', 0],
      ['s0', 0],
      ['s1', 1],
      ['s2', 2],
    ]);
  });

  it('more than 4,096 items throws TOO_MANY_ITEMS', async () => {
    await expect(runWith('await pipeline(Array(4097).fill(0), (x) => x)')).rejects.toMatchObject({
      code: 'TOO_MANY_ITEMS',
    });
  });
});
