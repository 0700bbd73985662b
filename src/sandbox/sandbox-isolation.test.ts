import { describe, expect, it } from 'vitest';
import { FakeHost, runWith } from './internal/fake-host.js';

/** Hostile scripts find nothing of the host; each failure has a clear error code. */
describe('isolation', () => {
  it('the Function constructor reached through `this`/objects finds no process', async () => {
    // Strict body of an async function: `this` is undefined, as in a module.
    await expect(runWith("return this.constructor.constructor('return process')()")).rejects.toMatchObject({
      code: 'SCRIPT_THREW',
    });
    // The Function body runs in the VM's global scope, where `process` is simply not defined.
    await expect(runWith("return ({}).constructor.constructor('return process')()")).rejects.toMatchObject({
      code: 'SCRIPT_THREW',
    });
    await expect(
      runWith("return typeof globalThis.constructor.constructor('return this.process')()"),
    ).resolves.toBe('undefined');
  });

  it('the AsyncFunction constructor finds no process either', async () => {
    const source = "return typeof await (async function(){}).constructor('return globalThis.process')()";
    await expect(runWith(source)).resolves.toBe('undefined');
  });

  it('require, fetch and timers do not exist (ReferenceError → SCRIPT_THREW)', async () => {
    for (const source of [
      "require('fs')",
      "await fetch('http://127.0.0.1')",
      'setTimeout(() => 1, 1)',
      'setInterval(() => 1, 1)',
    ]) {
      await expect(runWith(source)).rejects.toMatchObject({ code: 'SCRIPT_THREW' });
    }
    const probes =
      "return [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof XMLHttpRequest, typeof WebAssembly, typeof performance].join(',')";
    await expect(runWith(probes)).resolves.toBe(Array(7).fill('undefined').join(','));
  });

  it('dynamic import fails: there is no module loader', async () => {
    await expect(runWith("await import('fs')")).rejects.toMatchObject({ code: 'SCRIPT_THREW' });
    await expect(
      runWith("try { await import('node:child_process') } catch (e) { return e.name } return 'loaded'"),
    ).resolves.toBe('ReferenceError');
  });

  it('the bridge to the host is not reachable from the script', async () => {
    const source = 'return Object.getOwnPropertyNames(globalThis).filter((n) => /bridge|host|done/i.test(n))';
    await expect(runWith(source)).resolves.toEqual([]);
  });

  it('closing the wrapper function early gains nothing: it is still code inside the VM', async () => {
    await expect(runWith('return 1 })(); (async function(){ return typeof process')).resolves.toBe(
      'undefined',
    );
  });

  it('each run has its own globals: nothing leaks from one run to the next', async () => {
    const host = new FakeHost();
    await runWith('globalThis.leak = 42; Object.prototype.polluted = 1', { host });
    await expect(runWith("return [typeof leak, typeof ({}).polluted].join(',')", { host })).resolves.toBe(
      'undefined,undefined',
    );
  });
});
