import { describe, expect, it } from 'vitest';
import { disposeFailureCount } from './internal/dispose-health.js';
import { FakeHost, runWith } from './internal/fake-host.js';

const SMALL = { cpuMsPerSlice: 200, memoryBytes: 16 * 1024 * 1024 };

describe('limits', () => {
  it('an endless loop stops with SANDBOX_CPU_LIMIT and the loop location', async () => {
    const source = 'let i = 0\nwhile (true) { i = Math.max(i, 1) }';
    const error = await runWith(source, { limits: SMALL }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SANDBOX_CPU_LIMIT',
      location: { file: 'test.workflow.js', line: 2 },
    });
  });

  it('an endless loop after an await, and one that catches, are stopped too', async () => {
    await expect(runWith('await agent("x")\nfor (;;) {}', { limits: SMALL })).rejects.toMatchObject({
      code: 'SANDBOX_CPU_LIMIT',
    });
    const catching = 'while (true) { try { while (true) {} } catch (e) { log("caught") } }';
    await expect(runWith(catching, { limits: SMALL })).rejects.toMatchObject({ code: 'SANDBOX_CPU_LIMIT' });
  });

  it('the CPU limit is per slice: awaiting resets it', async () => {
    // Three slices of ~60% of the limit each, separated by awaits, finish fine.
    const source = `
      const spin = (ms) => { let n = 0; for (let i = 0; i < ms * 20000; i++) n += i; return n }
      for (let k = 0; k < 3; k++) { spin(1); await agent('' + k) }
      return 'ok'`;
    await expect(runWith(source, { limits: SMALL })).resolves.toBe('ok');
  });

  it('a memory bomb stops with SANDBOX_MEMORY_LIMIT and the host keeps working', async () => {
    const bombs = [
      'const a = []\nwhile (true) a.push("x".repeat(100000) + a.length)',
      'const a = []\nwhile (true) a.push([a.length, { b: a.length }])',
      'return "x".repeat(2 ** 28).length',
    ];
    for (const source of bombs) {
      await expect(runWith(source, { limits: { ...SMALL, cpuMsPerSlice: 5000 } })).rejects.toMatchObject({
        code: 'SANDBOX_MEMORY_LIMIT',
      });
    }
    await expect(runWith('return 1 + 1')).resolves.toBe(2);
  });

  it('runaway recursion is a clean error, not a host crash', async () => {
    const source = 'function f(n) { return f(n + 1) + 1 }\nf(0)';
    await expect(runWith(source)).rejects.toMatchObject({ code: 'SCRIPT_THREW', location: { line: 1 } });
    const deepJson =
      'let o = {}; const root = o; for (let i = 0; i < 200000; i++) { o.x = {}; o = o.x }\nreturn JSON.stringify(root).length';
    const error = await runWith(deepJson, { limits: SMALL }).catch((e: unknown) => e);
    expect(['SANDBOX_MEMORY_LIMIT', 'SCRIPT_THREW']).toContain((error as { code?: string }).code);
    await expect(runWith('return "still alive"')).resolves.toBe('still alive');
  });

  it.each([
    [
      'String.prototype.includes with a long needle',
      'return "a".repeat(2 ** 22).includes("a".repeat(4096) + "b")',
    ],
    ['sort() of a million long strings', 'return Array(2 ** 20).fill("a".repeat(4096)).sort().length'],
    ['indexOf over a huge array-like', 'return Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1)'],
  ])('a long native operation (%s) is cut off by the watchdog', async (_name, source) => {
    // These never poll QuickJS's interrupt handler: without the watchdog they block the host for
    // seconds (the first two) or forever (the third).
    await expect(runWith(source, { limits: { cpuMsPerSlice: 200 } })).rejects.toMatchObject({
      code: 'SANDBOX_CPU_LIMIT',
    });
    await expect(runWith('return "still alive"')).resolves.toBe('still alive');
  });

  it('the host holds no more of the pending calls’ arguments than the memory limit', async () => {
    const host = new FakeHost({ answer: () => 'ok' });
    // 40 un-awaited calls of 1 MiB each against a 16 MiB limit.
    const burst = 'const s = "x".repeat(2 ** 20)\nfor (let i = 0; i < 40; i++) agent(s)\nawait agent("last")';
    await expect(runWith(burst, { host, limits: SMALL })).rejects.toMatchObject({
      code: 'SANDBOX_MEMORY_LIMIT',
    });
    expect(host.calls.length).toBeLessThan(17);
    // Settled calls no longer count: the same volume, awaited one by one, is fine.
    const sequential =
      'const s = "x".repeat(2 ** 20)\nfor (let i = 0; i < 40; i++) await agent(s)\nreturn "done"';
    await expect(runWith(sequential, { limits: SMALL })).resolves.toBe('done');
  });

  it('log, phase and console lines reaching the host are cut at 64 KiB, even with patched globals', async () => {
    const host = new FakeHost();
    const source = `String.prototype.slice = function () { return this + '' }
      globalThis.String = () => ({ length: 0, toString: () => 'y'.repeat(2 ** 20) })
      const big = 'x'.repeat(2 ** 20)
      log(big); phase(big); console.warn(big)`;
    await runWith(source, { host });
    const lengths = [...host.logs, ...host.phases, ...host.warnings].map((text) => text.length);
    expect(lengths).toHaveLength(3);
    for (const length of lengths) expect(length).toBeLessThanOrEqual(64 * 1024 + 16);
  });

  it('invalid limits are a usage error', async () => {
    await expect(runWith('return 1', { limits: { cpuMsPerSlice: 0 } })).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  it('normal, throwing and limit-stopped runs dispose their runtime cleanly', async () => {
    const before = disposeFailureCount();
    await runWith("return await parallel([() => agent('1'), () => agent('2')])");
    await runWith("await agent('1')\nthrow new Error('x')").catch(() => undefined);
    await runWith('for (;;) {}', { limits: SMALL }).catch(() => undefined);
    expect(disposeFailureCount()).toBe(before);
  });
});
