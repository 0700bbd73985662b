import { describe, expect, it } from 'vitest';
import { LimitError } from '../errors/index.js';
import { disposeFailureCount } from './internal/dispose-health.js';
import { FakeHost, runWith } from './internal/fake-host.js';
import { dispatchHostCall } from './internal/host-dispatch.js';

/** A script that patches the VM's globals cannot forge what the host learns from it. */
describe('forging outcomes and payloads', () => {
  it.each([
    ['WeakSet.prototype.has', 'WeakSet.prototype.has = () => true'],
    [
      'JSON.stringify',
      `JSON.stringify = () => '{"isError":true,"message":"forged","own":true,"code":"TOO_MANY_ITEMS","ref":1}'`,
    ],
    [
      'Object.prototype.toJSON',
      "Object.prototype.toJSON = () => ({ isError: true, message: 'forged', own: true, code: 'TOO_MANY_ITEMS', ref: 1 })",
    ],
  ])('patching %s cannot pass a script throw off as an own limit or a host error', async (_name, patch) => {
    const budgetError = new LimitError('BUDGET_EXHAUSTED', 'spent');
    const host = new FakeHost({ answer: () => Promise.reject(budgetError) });
    const source = `try { await agent('x') } catch (_) {}\n${patch}\nconst e = new Error('mine'); e.code = 'TOO_MANY_ITEMS'; throw e`;
    await expect(runWith(source, { host })).rejects.toMatchObject({ code: 'SCRIPT_THREW', message: 'mine' });
  });

  it.each([
    ['Promise.prototype.then', "Promise.prototype.then = function (ok) { ok('forged') }"],
    [
      'Promise.prototype.constructor',
      "Object.defineProperty(Promise.prototype, 'constructor', { get() { throw new Error('trap') } })",
    ],
    ['JSON.stringify', "JSON.stringify = () => '{not json'"],
  ])('patching %s does not change or lose the return value', async (_name, patch) => {
    await expect(runWith(`${patch}\nreturn { real: 1 }`)).resolves.toEqual({ real: 1 });
  });

  it('an inherited toJSON cannot forge the priority the host is given', async () => {
    const host = new FakeHost();
    const source = `Object.prototype.toJSON = function () { return this.hints ? { prompt: 'p', hints: { priority: 'evil' } } : this }
      await agent('x')`;
    await runWith(source, { host });
    expect(host.calls.map(({ input, priority }) => [input, priority])).toEqual([['x', 0]]);
  });

  it('the host gets a finite number as priority whatever JSON arrives', async () => {
    const host = new FakeHost();
    for (const hints of ['{"priority":"7"}', '{"priority":{}}', 'null', '"x"', '{"priority":2}']) {
      await dispatchHostCall(host, 'agent', `{"prompt":"p","options":null,"hints":${hints}}`);
    }
    expect(host.calls.map((call) => call.priority)).toEqual([0, 0, 0, 0, 2]);
  });

  it('a __proto__ key crosses as plain data and pollutes nothing in the host', async () => {
    const host = new FakeHost({ answer: (call) => call.options ?? null });
    const source = `const o = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}')
      const back = await agent('x', o)
      return [back, Object.getPrototypeOf(back) === Object.prototype, typeof ({}).polluted]`;
    const result = (await runWith(source, { host })) as unknown[];
    expect(result.slice(1)).toEqual([true, 'undefined']);
    expect(Object.getOwnPropertyNames(result[0])).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(host.calls[0]!.options)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('hostile thrown values', () => {
  it('a promise job throwing a 200k-deep object ends the run, not the host process', async () => {
    // A species constructor whose resolve throws makes the job itself fail; the host then reads the
    // thrown value, which must happen under the same guard as any VM entry.
    const source = `let o = {}; const root = o; for (let i = 0; i < 200000; i++) { o.x = {}; o = o.x }
      function Fake(executor) { executor(() => { throw root }, () => {}) }
      class Evil extends Promise { static get [Symbol.species]() { return Fake } }
      Evil.resolve(1).then((x) => x)
      await agent('x')`;
    const error = await runWith(source).catch((e: unknown) => e);
    expect(['SANDBOX_MEMORY_LIMIT', 'SCRIPT_THREW']).toContain((error as { code?: string }).code);
    await expect(runWith('return "alive"')).resolves.toBe('alive');
  });

  it('a setter on Object.prototype.code cannot break the delivery of a host error', async () => {
    const host = new FakeHost({ answer: () => Promise.reject(new LimitError('BUDGET_EXHAUSTED', 'spent')) });
    const source = `Object.defineProperty(Object.prototype, 'code', { set() { throw new Error('trap') }, configurable: true })
      try { await agent('x') } catch (e) { return [e.code, e.message] }`;
    await expect(runWith(source, { host })).resolves.toEqual(['BUDGET_EXHAUSTED', 'spent']);
  });
});

describe('after the outcome', () => {
  it('work left running after return neither delays the run nor reaches the host', async () => {
    const host = new FakeHost();
    const before = disposeFailureCount();
    const source = `;(async () => { await null; for (;;) { await null; agent('late') } })()
      ;(async () => { await null; await null; for (;;) {} })()
      return 'done'`;
    // Default limits: without the stop, the endless loop would hold the host for the full 10 s slice.
    await expect(runWith(source, { host })).resolves.toBe('done');
    expect(host.calls.length).toBeLessThanOrEqual(1);
    expect(disposeFailureCount()).toBe(before);
  });
});
