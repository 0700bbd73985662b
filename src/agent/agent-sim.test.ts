/**
 * The loop end to end over real HTTP: runAgent → anthropic adapter → simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAnthropicProvider, type ModelProvider } from '../providers/index.js';
import { startSimulator } from '../sim/index.js';
import { runAgent } from './agent-loop.js';
import type { AgentTool } from './types.js';

let simulator: Awaited<ReturnType<typeof startSimulator>>;
let provider: ModelProvider;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, seed: 3 });
  provider = createAnthropicProvider({ apiKey: 'sim', baseURL: simulator.url, id: 'sim' });
});

afterAll(async () => {
  await simulator.close();
});

const deps = () => ({
  send: provider.createMessage.bind(provider),
  signal: new AbortController().signal,
  workspace: '/tmp/agent-sim',
});

describe('runAgent over the simulator', () => {
  it('calls a tool, sends its result back and returns the final reply', async () => {
    const seen: unknown[] = [];
    const note: AgentTool = {
      readOnly: true,
      definition: {
        name: 'Note',
        description: 'records a note',
        inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
      },
      run: (input) => {
        seen.push(input);
        return Promise.resolve({ content: 'noted' });
      },
    };
    const outcome = await runAgent(
      {
        prompt: '@sim tool Note {"text":"hi"}\n@sim reply finished',
        model: provider.resolveModel('haiku'),
        tools: [note],
      },
      deps(),
    );
    expect(outcome).toMatchObject({ ok: true, value: 'finished', turns: 2, toolCalls: 1 });
    expect(seen).toEqual([{ text: 'hi' }]);
    expect(outcome.usage.outputTokens).toBeGreaterThan(0);
  });

  it('returns a schema-valid object from the forced StructuredOutput tool', async () => {
    const schema = {
      type: 'object',
      required: ['fixed', 'files'],
      properties: {
        fixed: { type: 'boolean' },
        files: { type: 'array', items: { type: 'string' }, minItems: 1 },
      },
    };
    const outcome = await runAgent(
      { prompt: 'Fix the tests', model: provider.resolveModel('sonnet'), tools: [], schema },
      deps(),
    );
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(typeof (outcome.value as { fixed: unknown }).fixed).toBe('boolean');
      expect((outcome.value as { files: unknown[] }).files.length).toBeGreaterThanOrEqual(1);
    }
  });
});
