import Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynaflowError } from '../errors/index.js';
import { startSimulator, type BehaviourRequest, type SimBehaviour, type SimulatorHandle } from './index.js';

const MODEL = 'claude-sonnet-5-5';

const TOOLS: Anthropic.Tool[] = [
  {
    name: 'Read',
    input_schema: { type: 'object', required: ['file_path'], properties: { file_path: { type: 'string' } } },
  },
  {
    name: 'Write',
    input_schema: {
      type: 'object',
      required: ['file_path', 'content'],
      properties: { file_path: { type: 'string' }, content: { type: 'string' } },
    },
  },
  {
    name: 'StructuredOutput',
    input_schema: { type: 'object', required: ['fixed'], properties: { fixed: { type: 'boolean' } } },
  },
];

/** Plays the agent side: runs tool calls through `runTool` until the model stops calling tools. */
async function agentLoop(
  client: Anthropic,
  prompt: string,
  runTool: (name: string, input: unknown) => string,
  tools: Anthropic.Tool[] = TOOLS,
): Promise<{ calls: { name: string; input: unknown }[]; final: Anthropic.Message }> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: prompt }];
  const calls: { name: string; input: unknown }[] = [];
  for (let turn = 0; turn < 10; turn++) {
    const message = await client.messages.create({ model: MODEL, max_tokens: 1024, tools, messages });
    const uses = message.content.filter(
      (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
    );
    if (message.stop_reason !== 'tool_use' || uses.some((use) => use.name === 'StructuredOutput'))
      return { calls, final: message };
    messages.push({ role: 'assistant', content: message.content });
    messages.push({
      role: 'user',
      content: uses.map((use) => {
        calls.push({ name: use.name, input: use.input });
        return { type: 'tool_result' as const, tool_use_id: use.id, content: runTool(use.name, use.input) };
      }),
    });
  }
  throw new Error('the conversation did not end');
}

describe('directive-driven conversations', () => {
  let sim: SimulatorHandle;
  let client: Anthropic;
  beforeAll(async () => {
    sim = await startSimulator();
    client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('@sim tool lines drive one tool call per assistant turn, then @sim reply ends', async () => {
    const { calls, final } = await agentLoop(
      client,
      [
        'Fix a.txt',
        '@sim tool Read {"file_path":"a.txt"}',
        '@sim tool Write {"file_path":"a.txt","content":"fixed"}',
        '@sim tool Read',
        '@sim reply all done',
      ].join('\n'),
      () => 'ok',
      TOOLS.slice(0, 2),
    );
    expect(calls).toEqual([
      { name: 'Read', input: { file_path: 'a.txt' } },
      { name: 'Write', input: { file_path: 'a.txt', content: 'fixed' } },
      { name: 'Read', input: { file_path: 'sample file_path' } },
    ]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content).toEqual([{ type: 'text', text: 'all done' }]);
  });

  it('@sim json becomes the StructuredOutput call when offered, else JSON text', async () => {
    const { final } = await agentLoop(
      client,
      'Fix it\n@sim tool Read {"file_path":"b"}\n@sim json {"fixed": false}',
      () => 'x',
    );
    expect(final.content).toMatchObject([
      { type: 'tool_use', name: 'StructuredOutput', input: { fixed: false } },
    ]);
    const plain = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Q\n@sim json [1,2]' }],
    });
    expect(plain.content).toEqual([{ type: 'text', text: '[1,2]' }]);
  });

  it('answers StructuredOutput with a synthesised input by default when it is offered', async () => {
    const { calls, final } = await agentLoop(client, 'Fix it', () => 'x');
    expect(calls).toEqual([]);
    expect(final.content).toMatchObject([
      { type: 'tool_use', name: 'StructuredOutput', input: { fixed: true } },
    ]);
  });
});

describe('behaviour modules', () => {
  it('decide answers from the request and the helper info, falling back to defaults on undefined', async () => {
    const seen: BehaviourRequest[] = [];
    const files = new Map<string, string>();
    const behaviour: SimBehaviour = {
      respond(request) {
        seen.push(request);
        if (request.sim.firstUserText.startsWith('default')) return undefined;
        if (request.sim.assistantTurns === 0)
          return { toolUse: [{ name: 'Write', input: { file_path: 'out.txt', content: 'hello' } }] };
        return { text: `wrote: ${request.sim.toolResults[0]?.content ?? '?'}`, usage: { output_tokens: 9 } };
      },
    };
    const sim = await startSimulator({ behaviour });
    try {
      const client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
      const { calls, final } = await agentLoop(
        client,
        'Create out.txt',
        (name, input) => {
          const { file_path, content } = input as { file_path: string; content: string };
          files.set(file_path, content);
          return `${name} ok`;
        },
        TOOLS.slice(0, 2),
      );
      expect(files.get('out.txt')).toBe('hello');
      expect(calls).toHaveLength(1);
      expect(final.content).toEqual([{ type: 'text', text: 'wrote: Write ok' }]);
      expect(final.usage.output_tokens).toBe(9);
      expect(seen[1]?.sim).toMatchObject({
        protocol: 'anthropic',
        assistantTurns: 1,
        toolNames: ['Read', 'Write'],
      });

      const fallback = await client.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'default please' }],
      });
      expect((fallback.content[0] as Anthropic.TextBlock).text).toMatch(/^Simulated answer /);
    } finally {
      await sim.close();
    }
  });

  it('load from a file, and a behaviour that throws answers 500 api_error', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dynaflow-sim-'));
    const file = join(folder, 'behaviour.mjs');
    await writeFile(
      file,
      `export function respond(request) {
         if (request.sim.firstUserText === 'boom') throw new Error('scenario bug');
         return { text: 'from file: ' + request.model };
       }`,
    );
    const sim = await startSimulator({ behaviourFile: file });
    try {
      const client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
      const message = await client.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(message.content).toEqual([{ type: 'text', text: `from file: ${MODEL}` }]);
      const error = await client.messages
        .create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'boom' }] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.InternalServerError);
      expect(error).toMatchObject({ status: 500, type: 'api_error' });
    } finally {
      await sim.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses a behaviour file without respond() with CONFIG_INVALID', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dynaflow-sim-'));
    const file = join(folder, 'empty.mjs');
    await writeFile(file, 'export const nothing = 1;');
    try {
      const error = await startSimulator({ behaviourFile: file }).catch((caught: unknown) => caught);
      expect(DynaflowError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
      const missing = await startSimulator({ behaviourFile: join(folder, 'missing.mjs') }).catch(
        (caught: unknown) => caught,
      );
      expect(DynaflowError.isInstance(missing) && missing.code).toBe('CONFIG_INVALID');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
