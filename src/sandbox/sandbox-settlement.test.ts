import { describe, expect, it } from 'vitest';
import { LimitError } from '../errors/index.js';
import { disposeFailureCount } from './internal/dispose-health.js';
import { FakeHost, runWith, type HostCall } from './internal/fake-host.js';

const inputIs =
  (input: string) =>
  (call: HostCall): boolean =>
    call.input === input;

/** Rejects the waiting call whose input is `input` (FakeHost's `release` only resolves). */
function rejectWaiting(host: FakeHost, input: string, error: unknown): void {
  const index = host.waiting.findIndex((waiter) => waiter.call.input === input);
  const [waiter] = host.waiting.splice(index, 1);
  if (!waiter) throw new Error(`no waiting call for ${input}`);
  waiter.reject(error);
}

/** Host results are settled inside the VM in batches, by id, once per macrotask. */
describe('settling host calls in batches', () => {
  it('many results released in one turn each reach their own call, in the order they arrived', async () => {
    const host = new FakeHost({ onDemand: true });
    const source = `
      const order = []
      const calls = []
      for (let i = 0; i < 40; i++) calls.push(agent('q' + i).then((value) => { order.push(i); return value }))
      const values = await Promise.all(calls)
      return { values, order }`;
    const running = runWith(source, { host });
    await host.whenWaiting(40);
    // Released from last to first, all in the same synchronous block: one batch.
    const released: number[] = [];
    for (let i = 39; i >= 0; i--) {
      host.release(inputIs(`q${i}`), { answer: i });
      released.push(i);
    }
    const result = (await running) as { values: Array<{ answer: number }>; order: number[] };
    expect(result.values.map((value) => value.answer)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(result.order).toEqual(released);
  });

  it('large results released together are split across VM entries and still each reach their call', async () => {
    const host = new FakeHost({ onDemand: true });
    // 24 results of ~100 KB: more than one settlement batch (1 MiB of JSON each).
    const source = `
      const values = await Promise.all(Array.from({ length: 24 }, (_, i) => agent('big' + i)))
      return values.map((value) => value.tag + ':' + value.body.length)`;
    const running = runWith(source, { host });
    await host.whenWaiting(24);
    for (let i = 23; i >= 0; i--) host.release(inputIs(`big${i}`), { tag: i, body: 'x'.repeat(100_000 + i) });
    await expect(running).resolves.toEqual(Array.from({ length: 24 }, (_, i) => `${i}:${100_000 + i}`));
  });

  it('a rejection in a batch of results reaches the call it belongs to, with its code', async () => {
    const host = new FakeHost({ onDemand: true });
    const source = `
      const settled = await Promise.allSettled([agent('a'), agent('b'), agent('c')])
      return settled.map((s) => s.status === 'fulfilled' ? 'ok:' + s.value : 'err:' + s.reason.code + ':' + s.reason.message)`;
    const running = runWith(source, { host });
    await host.whenWaiting(3);
    host.release(inputIs('a'), 'A');
    rejectWaiting(host, 'b', new LimitError('BUDGET_EXHAUSTED', 'spent'));
    host.release(inputIs('c'), 'C');
    await expect(running).resolves.toEqual(['ok:A', 'err:BUDGET_EXHAUSTED:spent', 'ok:C']);
  });

  it('an uncaught rejection from a batch leaves the sandbox as the very same error', async () => {
    const host = new FakeHost({ onDemand: true });
    const budgetError = new LimitError('BUDGET_EXHAUSTED', 'spent');
    const running = runWith("await Promise.all([agent('a'), agent('b'), agent('c')])", { host });
    await host.whenWaiting(3);
    host.release(inputIs('a'), 'A');
    rejectWaiting(host, 'b', budgetError);
    host.release(inputIs('c'), 'C');
    await expect(running).rejects.toBe(budgetError);
  });

  it('a host result that is not JSON fails only its own call', async () => {
    const host = new FakeHost({ onDemand: true });
    const source = `
      const settled = await Promise.allSettled([agent('a'), agent('b')])
      return settled.map((s) => s.status === 'fulfilled' ? s.value : s.reason.code)`;
    const running = runWith(source, { host });
    await host.whenWaiting(2);
    host.release(inputIs('a'), 10n as unknown as string);
    host.release(inputIs('b'), 'B');
    await expect(running).resolves.toEqual(['SCRIPT_THREW', 'B']);
  });

  it('cancelling with results already queued delivers them, then cancels the rest', async () => {
    const host = new FakeHost({ onDemand: true });
    const controller = new AbortController();
    const source = `
      const watch = (p, name) => p.then((v) => log(name + ':' + v), (e) => log(name + ':' + e.code))
      await Promise.all([watch(agent('a'), 'a'), watch(agent('b'), 'b'), watch(agent('c'), 'c')])
      return 'finished'`;
    const before = disposeFailureCount();
    const running = runWith(source, { host, signal: controller.signal });
    await host.whenWaiting(3);
    // Same turn: 'a' and 'c' settle (their settlements are queued), then the run is cancelled.
    host.release(inputIs('a'), 'A');
    host.release(inputIs('c'), 'C');
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(host.logs).toEqual(['a:A', 'c:C', 'b:RUN_CANCELLED']);
    expect(disposeFailureCount()).toBe(before);
  });

  it('a run with many outstanding calls when the script returns disposes cleanly', async () => {
    const host = new FakeHost({ onDemand: true });
    const before = disposeFailureCount();
    const source = "for (let i = 0; i < 100; i++) agent('x' + i)\nreturn 'early'";
    await expect(runWith(source, { host })).resolves.toBe('early');
    expect(host.calls).toHaveLength(100);
    expect(disposeFailureCount()).toBe(before);
  });
});

describe('settlement is out of the script’s reach', () => {
  it('settleMany and the pending table are not reachable from the script', async () => {
    const source = `
      const names = Object.getOwnPropertyNames(globalThis).filter((n) => /settle|waiting|pending|bridge/i.test(n))
      const viaFunction = Function('return typeof settleMany')()
      return [typeof settleMany, viaFunction, names]`;
    await expect(runWith(source)).resolves.toEqual(['undefined', 'undefined', []]);
  });

  it('patching Promise, JSON.parse, Error or Map cannot capture or forge a host result', async () => {
    const host = new FakeHost({ answer: () => 'real' });
    const source = `
      const captured = []
      const realSet = Map.prototype.set
      Map.prototype.set = function (key, value) { captured.push(value); return realSet.call(this, key, value) }
      Map.prototype.get = () => [() => {}, () => {}]
      Map.prototype.delete = () => true
      JSON.parse = () => [{ id: 1, ok: true, value: 'forged' }]
      globalThis.Promise = function () { throw new TypeError('no promises') }
      globalThis.Error = function () { return { code: 'FORGED' } }
      const first = await agent('x')
      let code
      try { await agent('fails') } catch (e) { code = e.code }
      return [first, code, captured.length]`;
    const failing = new FakeHost({
      answer: (call) => {
        if (call.input === 'fails') throw new LimitError('BUDGET_EXHAUSTED', 'spent');
        return 'real';
      },
    });
    await expect(runWith(source, { host: failing })).resolves.toEqual(['real', 'BUDGET_EXHAUSTED', 0]);
    await expect(runWith("return await agent('y')", { host })).resolves.toBe('real');
  });

  it('patching WeakMap cannot pass a script error off as a host error, nor hide one', async () => {
    const budgetError = new LimitError('BUDGET_EXHAUSTED', 'spent');
    const rejecting = (): FakeHost => new FakeHost({ answer: () => Promise.reject(budgetError) });
    const forge = `
      try { await agent('x') } catch (_) {}
      WeakMap.prototype.has = () => true
      WeakMap.prototype.get = () => 1
      throw new Error('mine')`;
    await expect(runWith(forge, { host: rejecting() })).rejects.toMatchObject({
      code: 'SCRIPT_THREW',
      message: 'mine',
    });
    const hide = `
      WeakMap.prototype.has = () => false
      WeakMap.prototype.set = function () { return this }
      await agent('x')`;
    await expect(runWith(hide, { host: rejecting() })).rejects.toBe(budgetError);
  });
});
