import { describe, expect, it } from 'vitest';
import { FakeHost, runWith } from './internal/fake-host.js';

describe('determinism', () => {
  it('Date.now(), new Date() and Date() throw NONDETERMINISM at the script line', async () => {
    for (const call of ['Date.now()', 'new Date()', 'Date()', 'class D extends Date {}; new D()']) {
      const error = await runWith(`const x = 1\n${call}`).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NONDETERMINISM', location: { line: 2 } });
    }
  });

  it('the error is catchable inside the script with its code', async () => {
    await expect(runWith('try { Date.now() } catch (e) { return e.code }')).resolves.toBe('NONDETERMINISM');
  });

  it('new Date(value) and Date methods keep working', async () => {
    const source =
      "const d = new Date(Date.UTC(2024, 0, 2)); return [d.toISOString(), Date.parse('2024-01-02T00:00:00Z'), d instanceof Date]";
    await expect(runWith(source)).resolves.toEqual(['2024-01-02T00:00:00.000Z', Date.UTC(2024, 0, 2), true]);
  });

  it('Math.random() is a seeded PRNG: same seed, same numbers; different seed, different numbers', async () => {
    const source = 'return Array.from({ length: 5 }, () => Math.random())';
    const first = (await runWith(source, { seed: 7 })) as number[];
    expect(await runWith(source, { seed: 7 })).toEqual(first);
    expect(await runWith(source, { seed: 8 })).not.toEqual(first);
    expect(first.every((n) => n >= 0 && n < 1)).toBe(true);
    expect(new Set(first).size).toBe(5);
    expect(await runWith(source, { seed: 2 ** 40 + 7 })).not.toEqual(first);
  });
});

describe('script globals reach the host', () => {
  it('log() stringifies non-strings; phase() and console reach the host', async () => {
    const host = new FakeHost();
    await runWith(
      "phase('Fix')\nlog('plain')\nlog({ a: 1 })\nlog(42)\nconsole.log('c', 1)\nconsole.warn('w')",
      { host },
    );
    expect(host.phases).toEqual(['Fix']);
    expect(host.logs).toEqual(['plain', '{"a":1}', '42', 'c 1']);
    expect(host.warnings).toEqual(['w']);
  });

  it('budget reads the host: total, spent(), remaining() (Infinity without a ceiling)', async () => {
    const host = new FakeHost();
    host.spent = 10;
    await expect(
      runWith('return [budget.total, budget.spent(), budget.remaining() === Infinity]', { host }),
    ).resolves.toEqual([null, 10, true]);
    host.total = 100;
    await expect(runWith('return [budget.total, budget.remaining()]', { host })).resolves.toEqual([100, 90]);
  });

  it('args is a deep-frozen copy; undefined when none were given', async () => {
    const args = { files: ['a'], nested: { n: 1 } };
    const source =
      "try { args.nested.n = 2 } catch (e) { log(e.name) }\ntry { args.files.push('b') } catch (e) { log(e.name) }\nreturn args";
    const host = new FakeHost();
    await expect(runWith(source, { args, host })).resolves.toEqual({ files: ['a'], nested: { n: 1 } });
    expect(host.logs).toEqual(['TypeError', 'TypeError']);
    await expect(runWith('return typeof args')).resolves.toBe('undefined');
    await expect(runWith('return args', { args: 'raw text' })).resolves.toBe('raw text');
  });

  it("meta: the script's own declaration, or the one given to the sandbox", async () => {
    const source = "export const meta = { name: 'own', description: 'd' }\nreturn meta.name";
    await expect(runWith(source)).resolves.toBe('own');
    await expect(runWith('return meta.name', { meta: { name: 'given' } })).resolves.toBe('given');
  });

  it('agent, exec and workflow pass their arguments as JSON', async () => {
    const host = new FakeHost({ answer: (call) => ({ kind: call.kind }) });
    const source =
      "return [await agent('p', { label: 'l' }), await agent('q'), await exec('npm test', { cwd: 'x' }), await workflow('child', { n: 1 })]";
    await expect(runWith(source, { host })).resolves.toEqual([
      { kind: 'agent' },
      { kind: 'agent' },
      { kind: 'exec' },
      { kind: 'workflow' },
    ]);
    expect(host.calls.map(({ kind, input, options }) => [kind, input, options])).toEqual([
      ['agent', 'p', { label: 'l' }],
      ['agent', 'q', null],
      ['exec', 'npm test', { cwd: 'x' }],
      ['workflow', 'child', { n: 1 }],
    ]);
  });

  it('non-JSON agent options are a clear TypeError in the script', async () => {
    await expect(
      runWith('const o = {}; o.self = o; try { await agent("x", o) } catch (e) { return e.name }'),
    ).resolves.toBe('TypeError');
  });
});
