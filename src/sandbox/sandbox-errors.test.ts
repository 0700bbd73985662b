import { describe, expect, it } from 'vitest';
import { LimitError } from '../errors/index.js';
import { disposeFailureCount } from './internal/dispose-health.js';
import { FakeHost, runWith } from './internal/fake-host.js';

describe('results and errors crossing the border', () => {
  it('the top-level return value comes back as JSON; no return is undefined', async () => {
    await expect(runWith('return { a: [1, "x", null, true], b: { c: 2 } }')).resolves.toEqual({
      a: [1, 'x', null, true],
      b: { c: 2 },
    });
    await expect(runWith('await agent("x")')).resolves.toBeUndefined();
    await expect(runWith('return null')).resolves.toBeNull();
  });

  it('a non-JSON return value is a clear error', async () => {
    await expect(runWith('return () => 1')).rejects.toMatchObject({ code: 'SCRIPT_THREW' });
    await expect(runWith('const o = {}; o.o = o; return o')).rejects.toMatchObject({ code: 'SCRIPT_THREW' });
    await expect(runWith('return { f() {} }')).rejects.toMatchObject({ code: 'SCRIPT_THREW' });
  });

  it('an error thrown on line 7 is reported at line 7 with its message', async () => {
    const source = [
      "export const meta = { name: 'n', description: 'd' }",
      '',
      "const a = 'one'",
      '',
      'await agent(a)',
      '',
      "throw new TypeError('bad thing')",
    ].join('\n');
    const error = await runWith(source).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ScriptError',
      code: 'SCRIPT_THREW',
      message: 'bad thing',
      location: { file: 'test.workflow.js', line: 7 },
    });
  });

  it('errors inside nested functions keep the line of the throw', async () => {
    const source =
      'function inner() {\n  throw new Error("deep")\n}\nconst outer = async () => inner()\nawait outer()';
    await expect(runWith(source)).rejects.toMatchObject({ code: 'SCRIPT_THREW', location: { line: 2 } });
  });

  it('non-Error throws (strings, objects) are reported too', async () => {
    await expect(runWith('throw "plain string"')).rejects.toMatchObject({
      code: 'SCRIPT_THREW',
      message: 'plain string',
    });
    await expect(runWith('throw { reason: 42 }')).rejects.toMatchObject({
      code: 'SCRIPT_THREW',
      message: '{"reason":42}',
    });
  });

  it('a syntax error is SCRIPT_SYNTAX at its line', async () => {
    await expect(runWith('const a = 1\nconst b = ;')).rejects.toMatchObject({
      code: 'SCRIPT_SYNTAX',
      location: { line: 2 },
    });
  });

  it('a host rejection becomes an Error with .code inside the VM', async () => {
    const host = new FakeHost({
      answer: () => {
        throw new LimitError('BUDGET_EXHAUSTED', 'budget spent');
      },
    });
    await expect(
      runWith('try { await agent("x") } catch (e) { return [e instanceof Error, e.code, e.message] }', {
        host,
      }),
    ).resolves.toEqual([true, 'BUDGET_EXHAUSTED', 'budget spent']);
  });

  it('an uncaught host rejection leaves the sandbox as that same DynaflowError', async () => {
    const budgetError = new LimitError('BUDGET_EXHAUSTED', 'budget spent');
    const host = new FakeHost({ answer: () => Promise.reject(budgetError) });
    await expect(runWith('await agent("x")', { host })).rejects.toBe(budgetError);
  });

  it('a script forging a host code does not pass for a host error', async () => {
    const source = "const e = new Error('fake'); e.code = 'BUDGET_EXHAUSTED'; throw e";
    await expect(runWith(source)).rejects.toMatchObject({ code: 'SCRIPT_THREW' });
  });

  it('a script that awaits something that can never settle fails instead of hanging', async () => {
    await expect(runWith('await new Promise(() => {})')).rejects.toMatchObject({ code: 'SCRIPT_THREW' });
  });
});

describe('cancellation', () => {
  it('aborting rejects pending host calls inside the VM with RUN_CANCELLED and the run with a LimitError', async () => {
    const host = new FakeHost({ onDemand: true });
    const controller = new AbortController();
    const source =
      "try { await agent('x') } catch (e) { log('saw ' + e.code) }\nawait agent('after')\nreturn 'finished'";
    const before = disposeFailureCount();
    const running = runWith(source, { host, signal: controller.signal });
    await host.whenWaiting(1);
    controller.abort();
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ code: 'RUN_CANCELLED' });
    expect(host.logs).toEqual(['saw RUN_CANCELLED']);
    // The call made after cancellation never reached the host.
    expect(host.calls.map((call) => call.input)).toEqual(['x']);
    expect(disposeFailureCount()).toBe(before);
  });

  it('parallel thunks cancelled mid-flight do not spam warnings', async () => {
    const host = new FakeHost({ onDemand: true });
    const controller = new AbortController();
    const running = runWith("await parallel([() => agent('1'), () => agent('2')])", {
      host,
      signal: controller.signal,
    });
    await host.whenWaiting(2);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(host.warnings).toEqual([]);
  });

  it('an already-aborted signal never starts the script', async () => {
    const host = new FakeHost();
    await expect(runWith('await agent("x")', { host, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'RUN_CANCELLED',
    });
    expect(host.calls).toEqual([]);
  });
});
