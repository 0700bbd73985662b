import { describe, expect, it } from 'vitest';

import { LimitError, ProviderError } from '../errors/index.js';
import {
  createScriptedProvider,
  scriptedResponse,
  toolUse,
  type ModelRequest,
  type ScriptedResponder,
  type ToolResultBlock,
} from '../providers/index.js';
import { runAgent } from './agent-loop.js';
import { UNATTENDED_AGENT_PREAMBLE } from './system-prompt.js';
import type { AgentEvent, AgentSpec, AgentTool } from './types.js';

const MODEL = 'claude-sonnet-5-5';

function harness(respond: ScriptedResponder) {
  const provider = createScriptedProvider(respond);
  const events: AgentEvent[] = [];
  const controller = new AbortController();
  const run = (spec: Partial<AgentSpec> & { prompt: string }) =>
    runAgent(
      { model: MODEL, tools: [], ...spec },
      {
        send: (request, options) => provider.createMessage(request, options),
        signal: controller.signal,
        workspace: '/work/space',
        onEvent: (event) => events.push(event),
      },
    );
  return { provider, events, controller, run };
}

function echoTool(name = 'Echo'): AgentTool & { inputs: unknown[] } {
  const inputs: unknown[] = [];
  return {
    inputs,
    readOnly: true,
    definition: {
      name,
      description: 'echoes',
      inputSchema: { type: 'object', properties: { say: { type: 'string' } } },
    },
    run(input, context) {
      inputs.push(input);
      return Promise.resolve({ content: `echo:${(input as { say: string }).say}@${context.workspace}` });
    },
  };
}

function lastToolResults(request: ModelRequest): ToolResultBlock[] {
  const last = request.messages.at(-1);
  if (last?.role !== 'user' || typeof last.content === 'string') throw new Error('expected tool results');
  return last.content.filter((block): block is ToolResultBlock => block.type === 'tool_result');
}

describe('runAgent', () => {
  it('returns the final text of a single turn, with usage and the unattended preamble cached', async () => {
    const { run, provider, events } = harness(() =>
      scriptedResponse([
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'world' },
      ]),
    );
    const outcome = await run({ prompt: 'greet', system: [{ text: 'extra part' }] });
    expect(outcome).toMatchObject({ ok: true, value: 'Hello world', turns: 1, toolCalls: 0 });
    expect(outcome.usage).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
    });
    const request = provider.requests[0];
    expect(request?.system[0]).toEqual({ text: UNATTENDED_AGENT_PREAMBLE, cache: true });
    expect(request?.system.map((part) => part.text)).toContain('extra part');
    expect(request?.system.at(-1)?.text).toContain('/work/space');
    expect(request?.messages).toEqual([{ role: 'user', content: 'greet' }]);
    expect(request?.cacheTools).toBe(true);
    expect(request?.toolChoice).toBeUndefined();
    expect(events.map((event) => event.type)).toEqual([
      'turn-start',
      'model-stream',
      'model-stream',
      'model-stream',
      'turn-end',
    ]);
  });

  it('runs tools over several turns and sends each result back', async () => {
    const echo = echoTool();
    const { run, provider, events } = harness((request, index) => {
      if (index === 0)
        return scriptedResponse([{ type: 'text', text: 'let me' }, toolUse('Echo', { say: 'a' })]);
      if (index === 1)
        return scriptedResponse([toolUse('Echo', { say: 'b' }), toolUse('Echo', { say: 'c' })]);
      const results = lastToolResults(request).map((block) => block.content);
      return scriptedResponse([{ type: 'text', text: results.join('|') }]);
    });
    const outcome = await run({ prompt: 'go', tools: [echo] });
    expect(outcome).toMatchObject({
      ok: true,
      value: 'echo:b@/work/space|echo:c@/work/space',
      turns: 3,
      toolCalls: 3,
    });
    expect(echo.inputs).toEqual([{ say: 'a' }, { say: 'b' }, { say: 'c' }]);
    expect(outcome.usage.outputTokens).toBe(15);
    expect(provider.requests[1]?.toolChoice).toEqual({ type: 'auto' });
    expect(lastToolResults(provider.requests[1]!)).toEqual([
      { type: 'tool_result', tool_use_id: expect.any(String) as string, content: 'echo:a@/work/space' },
    ]);
    expect(events.filter((event) => event.type === 'tool-call')).toHaveLength(3);
    const calls = outcome.transcript.filter((entry) => entry.kind === 'tool-call');
    expect(calls.map((entry) => entry.kind === 'tool-call' && entry.result)).toEqual([
      'echo:a@/work/space',
      'echo:b@/work/space',
      'echo:c@/work/space',
    ]);
  });

  it('answers an unknown tool with an is_error result and keeps going', async () => {
    const { run, provider } = harness((_request, index) =>
      index === 0
        ? scriptedResponse([toolUse('Teleport', {})])
        : scriptedResponse([{ type: 'text', text: 'ok' }]),
    );
    const outcome = await run({ prompt: 'go', tools: [echoTool()] });
    expect(outcome).toMatchObject({ ok: true, value: 'ok' });
    const [result] = lastToolResults(provider.requests[1]!);
    expect(result?.is_error).toBe(true);
    expect(result?.content).toContain('Echo');
  });

  it('turns a tool that throws into an is_error result instead of crashing', async () => {
    const broken: AgentTool = {
      readOnly: false,
      definition: { name: 'Broken', description: 'throws', inputSchema: { type: 'object' } },
      run: () => Promise.reject(new Error('disk on fire')),
    };
    const { run, provider } = harness((_request, index) =>
      index === 0
        ? scriptedResponse([toolUse('Broken', {})])
        : scriptedResponse([{ type: 'text', text: 'recovered' }]),
    );
    const outcome = await run({ prompt: 'go', tools: [broken] });
    expect(outcome).toMatchObject({ ok: true, value: 'recovered', toolCalls: 1 });
    const [result] = lastToolResults(provider.requests[1]!);
    expect(result).toMatchObject({ is_error: true });
    expect(result?.content).toContain('disk on fire');
  });

  it('fails with AGENT_MAX_TURNS when the model never stops calling tools', async () => {
    const { run, provider } = harness(() => scriptedResponse([toolUse('Echo', { say: 'again' })]));
    const outcome = await run({ prompt: 'loop', tools: [echoTool()], maxTurns: 3 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('AGENT_MAX_TURNS');
    expect(outcome.turns).toBe(3);
    expect(provider.requests).toHaveLength(3);
    expect(outcome.usage.outputTokens).toBe(15);
  });

  it('returns the text it has when a turn stops at max_tokens', async () => {
    const { run } = harness(() =>
      scriptedResponse([{ type: 'text', text: 'partial ans' }], { stopReason: 'max_tokens' }),
    );
    await expect(run({ prompt: 'long' })).resolves.toMatchObject({ ok: true, value: 'partial ans' });
  });

  it('returns RUN_CANCELLED when the signal fires during a tool call, without another request', async () => {
    let harnessed: ReturnType<typeof harness> | undefined = undefined;
    const stopper: AgentTool = {
      readOnly: true,
      definition: { name: 'Stop', description: 'cancels the run', inputSchema: { type: 'object' } },
      run: () => {
        harnessed?.controller.abort();
        return Promise.resolve({ content: 'stopped' });
      },
    };
    harnessed = harness(() => scriptedResponse([toolUse('Stop', {})]));
    const outcome = await harnessed.run({ prompt: 'go', tools: [stopper] });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('RUN_CANCELLED');
    expect(harnessed.provider.requests).toHaveLength(1);
  });

  it('reports the abort reason when the run was stopped by a ceiling', async () => {
    const { run, controller } = harness(() => scriptedResponse([{ type: 'text', text: 'never' }]));
    controller.abort(new LimitError('BUDGET_EXHAUSTED', 'budget spent'));
    const outcome = await run({ prompt: 'go' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('BUDGET_EXHAUSTED');
    expect(outcome.turns).toBe(0);
  });

  it('returns a terminal provider error as a failed outcome with the usage so far', async () => {
    const { run } = harness((_request, index) =>
      index === 0
        ? scriptedResponse([toolUse('Echo', { say: 'x' })])
        : new ProviderError('PROVIDER_REQUEST_REJECTED', 'bad request', { status: 400 }),
    );
    const outcome = await run({ prompt: 'go', tools: [echoTool()] });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('PROVIDER_REQUEST_REJECTED');
    expect(outcome.usage.outputTokens).toBe(5);
    expect(outcome.toolCalls).toBe(1);
  });

  it('wraps a non-dynaflow failure of send instead of rejecting', async () => {
    const { run } = harness(() => new TypeError('boom'));
    const outcome = await run({ prompt: 'go' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('passes model, effort and maxTokens through to every request', async () => {
    const { run, provider } = harness(() => scriptedResponse([{ type: 'text', text: 'ok' }]));
    await run({ prompt: 'go', effort: 'high', maxTokens: 1234 });
    expect(provider.requests[0]).toMatchObject({ model: MODEL, effort: 'high', maxTokens: 1234 });
  });

  it('keeps running when the event observer throws', async () => {
    const provider = createScriptedProvider(() => scriptedResponse([{ type: 'text', text: 'fine' }]));
    const outcome = await runAgent(
      { prompt: 'go', model: MODEL, tools: [] },
      {
        send: (request, options) => provider.createMessage(request, options),
        signal: new AbortController().signal,
        workspace: '/w',
        onEvent: () => {
          throw new Error('monitor bug');
        },
      },
    );
    expect(outcome).toMatchObject({ ok: true, value: 'fine' });
  });
});
