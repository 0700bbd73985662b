import { describe, expect, it } from 'vitest';

import { createScriptedProvider, scriptedResponse, toolUse } from '../providers/index.js';
import { runAgent } from './agent-loop.js';
import { MIN_SHARED_PREFIX_CHARS, SharedPrefixIndex } from './shared-prefix.js';
import type { AgentTool } from './types.js';

const GUIDE = Array.from(
  { length: 200 },
  (_, line) => `Guide rule ${line}: be careful with edge cases.`,
).join('\n');

function review(file: string): string {
  return `${GUIDE}\n\nReview src/${file}\nReport what you find.`;
}

describe('SharedPrefixIndex', () => {
  it('CA-01 finds the guide a fan-out repeats, snapped to a line end, the same for every prompt', () => {
    const index = new SharedPrefixIndex();
    const prompts = ['a.ts', 'b.ts', 'c.ts'].map(review);
    for (const prompt of prompts) index.remember(prompt);
    const lengths = prompts.map((prompt) => index.sharedPrefixLength(prompt));
    expect(lengths).toEqual([GUIDE.length + 2, GUIDE.length + 2, GUIDE.length + 2]);
    expect(prompts[0]?.slice(0, lengths[0])).toBe(`${GUIDE}\n\n`);
  });

  it('CA-01 does not compare a prompt with itself, but does with a repeat of it', () => {
    const index = new SharedPrefixIndex();
    index.remember(review('a.ts'));
    expect(index.sharedPrefixLength(review('a.ts'))).toBe(0);
    index.remember(review('a.ts'));
    // The whole prompt is shared: the prefix ends at its last line break, leaving a rest.
    expect(index.sharedPrefixLength(review('a.ts'))).toBe(review('a.ts').lastIndexOf('\n') + 1);
  });

  it('CA-01 ignores short prompts and short shared prefixes', () => {
    const index = new SharedPrefixIndex();
    const short = 'x'.repeat(100);
    index.remember(`${short}\nA ${'a'.repeat(MIN_SHARED_PREFIX_CHARS)}`);
    expect(index.sharedPrefixLength(`${short}\nB ${'b'.repeat(MIN_SHARED_PREFIX_CHARS)}`)).toBe(0);
    index.remember('tiny');
    expect(index.sharedPrefixLength('tiny')).toBe(0);
  });

  it('CA-01 keeps a known prefix after the prompts it came from left the ring', () => {
    const index = new SharedPrefixIndex({ recentPrompts: 2 });
    index.remember(review('a.ts'));
    index.remember(review('b.ts'));
    expect(index.sharedPrefixLength(review('a.ts'))).toBe(GUIDE.length + 2);
    const unrelated = (n: number) => `${String(n).repeat(MIN_SHARED_PREFIX_CHARS)}\nend`;
    index.remember(unrelated(1));
    index.remember(unrelated(2));
    expect(index.sharedPrefixLength(review('z.ts'))).toBe(GUIDE.length + 2);
  });

  it('CA-01 stays cheap for 10,000 prompts', () => {
    const index = new SharedPrefixIndex();
    const started = performance.now();
    for (let n = 0; n < 10_000; n++) {
      const prompt = review(`file-${n}.ts`);
      index.remember(prompt);
      // The first prompt has nothing to be compared with yet.
      expect(index.sharedPrefixLength(prompt)).toBe(n === 0 ? 0 : GUIDE.length + 2);
    }
    // A generous bound: the work is one startsWith per prompt once the guide is known.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('the agent loop with a shared prompt prefix', () => {
  it('CA-01 sends the prefix as its own cacheable block on every turn; the transcript keeps the prompt', async () => {
    const echo: AgentTool = {
      readOnly: true,
      definition: { name: 'Echo', description: 'echoes', inputSchema: { type: 'object' } },
      run: () => Promise.resolve({ content: 'echoed' }),
    };
    const provider = createScriptedProvider((_request, index) =>
      index === 0
        ? scriptedResponse([toolUse('Echo', {})])
        : scriptedResponse([{ type: 'text', text: 'done' }]),
    );
    const prompt = review('a.ts');
    const outcome = await runAgent(
      { prompt, model: 'claude-sonnet-5-5', tools: [echo], promptPrefixLength: GUIDE.length + 2 },
      {
        send: (request, options) => provider.createMessage(request, options),
        signal: new AbortController().signal,
        workspace: '/w',
      },
    );
    expect(outcome.ok).toBe(true);
    const expected = [
      { type: 'text', text: `${GUIDE}\n\n`, cache: true },
      { type: 'text', text: 'Review src/a.ts\nReport what you find.' },
    ];
    expect(provider.requests.map((request) => request.messages[0]?.content)).toEqual([expected, expected]);
    expect(outcome.transcript[0]).toEqual({ kind: 'prompt', text: prompt });
  });

  it('CA-01 sends the prompt as one string without a usable prefix length', async () => {
    const provider = createScriptedProvider(() => scriptedResponse([{ type: 'text', text: 'ok' }]));
    const deps = {
      send: provider.createMessage.bind(provider),
      signal: new AbortController().signal,
      workspace: '/w',
    };
    await runAgent({ prompt: 'short', model: 'm', tools: [], promptPrefixLength: 5 }, deps);
    await runAgent({ prompt: 'short', model: 'm', tools: [] }, deps);
    expect(provider.requests.map((request) => request.messages[0]?.content)).toEqual(['short', 'short']);
  });
});
