import { describe, expect, it } from 'vitest';
import { FakeHost, runWith } from './internal/fake-host.js';

describe('agent() prompt', () => {
  it('BD-10 a prompt that is not a string is a TypeError at the call, and no agent starts', async () => {
    const host = new FakeHost();
    const source = `const seen = []
      for (const prompt of [undefined, 42, Symbol('s'), { text: 'x' }, null, ['a']]) {
        try { await agent(prompt) } catch (e) { seen.push(e instanceof TypeError ? e.message : 'other: ' + e) }
      }
      return seen`;
    await expect(runWith(source, { host })).resolves.toEqual([
      'agent(prompt): prompt must be a string, got undefined',
      'agent(prompt): prompt must be a string, got number',
      'agent(prompt): prompt must be a string, got symbol',
      'agent(prompt): prompt must be a string, got object',
      'agent(prompt): prompt must be a string, got null',
      'agent(prompt): prompt must be a string, got an array',
    ]);
    expect(host.calls).toEqual([]);
  });

  it('BD-11 an uncaught one fails the run at the line of the call', async () => {
    await expect(runWith('const n = 42\nawait agent(n)')).rejects.toMatchObject({
      code: 'SCRIPT_THREW',
      location: { line: 2 },
    });
  });
});
