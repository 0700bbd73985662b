import { describe, expect, it } from 'vitest';
import { FakeHost, runWith } from './internal/fake-host.js';

describe('parallel()', () => {
  it('runs thunks concurrently and returns results in input order', async () => {
    const host = new FakeHost({ onDemand: true });
    const running = runWith('return await parallel([() => agent("a"), () => agent("b"), () => agent("c")])', {
      host,
    });
    await host.whenWaiting(3); // all three started before any finished: concurrent
    host.release((call) => call.input === 'c', 'C');
    host.release((call) => call.input === 'a', 'A');
    host.release((call) => call.input === 'b', 'B');
    await expect(running).resolves.toEqual(['A', 'B', 'C']);
  });

  it('never rejects: a throwing thunk or a rejected agent yields null, with a warning', async () => {
    const host = new FakeHost({
      answer: (call) => {
        if (call.input === 'bad') throw new Error('agent failed to start');
        return 'ok';
      },
    });
    const source =
      'return await parallel([() => agent("good"), () => { throw new Error("boom") }, () => agent("bad"), async () => 7])';
    await expect(runWith(source, { host })).resolves.toEqual(['ok', null, null, 7]);
    expect(host.warnings).toHaveLength(2);
  });

  it('a non-function item yields null and warns through host.warn', async () => {
    const host = new FakeHost();
    await expect(runWith('return await parallel([() => 1, agent("x"), 5])', { host })).resolves.toEqual([
      1,
      null,
      null,
    ]);
    expect(host.warnings).toHaveLength(2);
    expect(host.warnings[0]).toContain('item 1');
  });

  it('more than 4,096 items throws TOO_MANY_ITEMS (a LimitError) at the call site', async () => {
    await expect(
      runWith('await parallel(Array.from({ length: 4096 }, () => () => 1))\nreturn "ok"'),
    ).resolves.toBe('ok');
    const error = await runWith(
      'const xs = Array.from({ length: 4097 }, () => () => 1)\nawait parallel(xs)',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'LimitError', code: 'TOO_MANY_ITEMS', location: { line: 2 } });
  });

  it('10,000 concurrent agent() calls with an instant host: all results, in order', async () => {
    const host = new FakeHost({ answer: (call) => Number(call.input) });
    const source = `
      const ids = Array.from({ length: 10000 }, (_, i) => i)
      const batches = [ids.slice(0, 4000), ids.slice(4000, 8000), ids.slice(8000)]
      const results = await Promise.all(batches.map((batch) => parallel(batch.map((i) => () => agent('' + i)))))
      return results.flat()`;
    const started = performance.now();
    const results = (await runWith(source, { host })) as number[];
    const perCallMicros = ((performance.now() - started) * 1000) / 10_000;
    expect(host.warnings).toEqual([]);
    expect(results).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(host.calls).toHaveLength(10_000);
    // Generous bound (CI machines vary); measured ~60 µs per call on a 2-core box.
    expect(perCallMicros).toBeLessThan(1000);
  });
});
