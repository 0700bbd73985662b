/**
 * Acceptance (issue 5): the same three exchanges — a text answer, a schema answer (the
 * StructuredOutput tool forced) and one tool call round trip — give identical results through all
 * five adapters, each built by `createProvider(id, env)` from ONLY its documented variables
 * aimed at one simulator; the simulator's per-route counters prove each request arrived on the
 * provider's own wire, and the adapters' usage (and so the cost estimate) equals the simulator's
 * own token counters exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import { startSimulator, type SimulatorHandle } from '../sim/index.js';
import { estimateCostUsd } from './pricing.js';
import { createProvider, type ProviderId } from './registry.js';
import { addUsage, ZERO_USAGE, type ModelProvider, type ModelRequest, type ModelResponse } from './types.js';

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11 });
});

afterAll(async () => {
  await sim.close();
});

type CloudId = Exclude<ProviderId, 'sim'>;

/** Exactly the variables SPEC §3 documents, pointed at the simulator. */
function environment(id: CloudId): NodeJS.ProcessEnv {
  switch (id) {
    case 'anthropic':
      return { ANTHROPIC_API_KEY: 'sk-ant-acceptance', ANTHROPIC_BASE_URL: sim.url };
    case 'bedrock':
      return {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDACCEPTANCE',
        AWS_SECRET_ACCESS_KEY: 'acceptance-secret-key',
        ANTHROPIC_BEDROCK_BASE_URL: sim.url,
      };
    case 'vertex':
      return {
        ANTHROPIC_VERTEX_PROJECT_ID: 'acceptance-project',
        CLOUD_ML_REGION: 'us-east5',
        ANTHROPIC_VERTEX_BASE_URL: `${sim.url}/v1`,
        CLAUDE_CODE_SKIP_VERTEX_AUTH: '1',
      };
    case 'foundry':
      return {
        ANTHROPIC_FOUNDRY_API_KEY: 'foundry-acceptance-key',
        ANTHROPIC_FOUNDRY_BASE_URL: `${sim.url}/anthropic`,
      };
    case 'openai':
      // A server on loopback needs no OPENAI_API_KEY.
      return { OPENAI_BASE_URL: `${sim.url}/v1` };
  }
}

const EXPECTED_ROUTE: Record<CloudId, string> = {
  anthropic: 'anthropic.messages',
  bedrock: 'bedrock.invoke-stream',
  vertex: 'vertex.stream-raw-predict',
  foundry: 'foundry.messages',
  openai: 'openai.chat-completions',
};

const CLOUD_IDS = Object.keys(EXPECTED_ROUTE) as CloudId[];

const VERDICT_SCHEMA = {
  type: 'object',
  required: ['verdict', 'score'],
  properties: { verdict: { type: 'string', enum: ['pass', 'fail'] }, score: { type: 'integer' } },
};

const READ_TOOL = {
  name: 'Read',
  description: 'Read a file of the workspace',
  inputSchema: { type: 'object', required: ['file_path'], properties: { file_path: { type: 'string' } } },
};

function request(provider: ModelProvider, prompt: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: provider.resolveModel('sonnet'),
    system: [{ text: `You run unattended. ${'Shared project guide. '.repeat(60)}`, cache: true }],
    messages: [{ role: 'user', content: prompt }],
    tools: [],
    maxTokens: 1024,
    cacheTools: true,
    ...extra,
  };
}

/** What a workflow sees of a response: content without the provider-made ids, and the stop reason. */
function outcome(response: ModelResponse): unknown {
  return {
    stopReason: response.stopReason,
    content: response.content.map((block) =>
      block.type === 'tool_use' ? { type: 'tool_use', name: block.name, input: block.input } : block,
    ),
  };
}

interface Run {
  readonly results: unknown[];
  readonly responses: ModelResponse[];
  readonly model: string;
}

/** The three exchanges of the acceptance workflow (four requests: the tool round trip has two turns). */
async function runWorkflow(provider: ModelProvider): Promise<Run> {
  const responses: ModelResponse[] = [];
  const send = async (modelRequest: ModelRequest): Promise<ModelResponse> => {
    const response = await provider.createMessage(modelRequest);
    responses.push(response);
    return response;
  };

  const text = await send(request(provider, '@sim reply The build is green.\nSummarise the build.'));
  const schema = await send(
    request(provider, '@sim json {"verdict":"pass","score":7}\nJudge the change.', {
      tools: [{ name: 'StructuredOutput', description: 'Return the result', inputSchema: VERDICT_SCHEMA }],
      toolChoice: { type: 'tool', name: 'StructuredOutput' },
    }),
  );
  const prompt = '@sim tool Read {"file_path":"notes.txt"}\n@sim reply notes.txt says hello\nRead notes.txt.';
  const first = await send(request(provider, prompt, { tools: [READ_TOOL], toolChoice: { type: 'auto' } }));
  const call = first.content.find((block) => block.type === 'tool_use');
  if (call?.type !== 'tool_use') throw new Error(`${provider.id}: expected a tool call`);
  const second = await send(
    request(provider, prompt, {
      tools: [READ_TOOL],
      toolChoice: { type: 'auto' },
      cacheConversation: true,
      messages: [
        { role: 'user', content: prompt },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'hello' }] },
      ],
    }),
  );
  return {
    results: [outcome(text), outcome(schema), outcome(first), outcome(second)],
    responses,
    model: provider.resolveModel('sonnet'),
  };
}

describe('all five providers against one simulator', () => {
  it('give identical results, each on its own route, with usage equal to the simulator counters', async () => {
    const runs = new Map<CloudId, Run>();
    for (const id of CLOUD_IDS) {
      sim.reset();
      const provider = createProvider(id, environment(id));
      expect(provider.id).toBe(id);
      const run = await runWorkflow(provider);
      runs.set(id, run);

      const stats = sim.stats();
      expect(stats.byRoute, id).toEqual({ [EXPECTED_ROUTE[id]]: 4 });
      const usage = run.responses.reduce((sum, response) => addUsage(sum, response.usage), ZERO_USAGE);
      expect(usage, id).toEqual({
        inputTokens: stats.inputTokens,
        outputTokens: stats.outputTokens,
        cacheReadTokens: stats.cacheReadTokens,
        cacheCreationTokens: stats.cacheCreationTokens,
      });
      expect(estimateCostUsd(run.model, usage, provider.pricing)).toBe(
        estimateCostUsd(run.model, stats, provider.pricing),
      );
    }

    const reference = runs.get('anthropic')!.results;
    expect(reference).toEqual([
      { stopReason: 'end_turn', content: [{ type: 'text', text: 'The build is green.' }] },
      {
        stopReason: 'tool_use',
        content: [{ type: 'tool_use', name: 'StructuredOutput', input: { verdict: 'pass', score: 7 } }],
      },
      {
        stopReason: 'tool_use',
        content: [{ type: 'tool_use', name: 'Read', input: { file_path: 'notes.txt' } }],
      },
      { stopReason: 'end_turn', content: [{ type: 'text', text: 'notes.txt says hello' }] },
    ]);
    for (const id of CLOUD_IDS) expect(runs.get(id)!.results, id).toEqual(reference);

    // Each provider asked for its own id of `sonnet`.
    expect(Object.fromEntries([...runs].map(([id, run]) => [id, run.model]))).toEqual({
      anthropic: 'claude-sonnet-5-5',
      bedrock: 'global.anthropic.claude-sonnet-5-5',
      vertex: 'claude-sonnet-5-5',
      foundry: 'claude-sonnet-5-5',
      openai: 'claude-sonnet-5-5',
    });
    // The Anthropic-model platforms share prompt caching: the tool turn's second request reads the
    // prefix (tools + system) its first request wrote.
    const anthropicUsage = runs.get('anthropic')!.responses.map((response) => response.usage);
    expect(anthropicUsage[2]!.cacheCreationTokens).toBeGreaterThan(0);
    expect(anthropicUsage[3]!.cacheReadTokens).toBeGreaterThanOrEqual(anthropicUsage[2]!.cacheCreationTokens);
    for (const id of ['bedrock', 'vertex', 'foundry'] as const) {
      expect(
        runs.get(id)!.responses.map((response) => response.usage),
        id,
      ).toEqual(anthropicUsage);
    }
    // OpenAI caches on its own and reports the hits as cached_tokens.
    expect(runs.get('openai')!.responses.some((response) => response.usage.cacheReadTokens > 0)).toBe(true);
  });

  it('fail at once without credentials, naming the variables, and send no request', () => {
    const withoutCredentials: Record<CloudId, { env: NodeJS.ProcessEnv; names: string[] }> = {
      anthropic: { env: { ANTHROPIC_BASE_URL: sim.url }, names: ['ANTHROPIC_API_KEY'] },
      bedrock: {
        env: { ANTHROPIC_BEDROCK_BASE_URL: sim.url },
        names: ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE'],
      },
      vertex: {
        env: { ANTHROPIC_VERTEX_BASE_URL: sim.url, CLAUDE_CODE_SKIP_VERTEX_AUTH: '1' },
        names: ['ANTHROPIC_VERTEX_PROJECT_ID', 'CLOUD_ML_REGION'],
      },
      foundry: {
        env: {},
        names: ['ANTHROPIC_FOUNDRY_BASE_URL', 'ANTHROPIC_FOUNDRY_RESOURCE'],
      },
      openai: { env: { OPENAI_API_KEY: 'sk-test' }, names: ['OPENAI_BASE_URL'] },
    };
    sim.reset();
    for (const id of CLOUD_IDS) {
      let caught: unknown;
      try {
        createProvider(id, withoutCredentials[id].env);
      } catch (error) {
        caught = error;
      }
      expect(DynaflowError.isInstance(caught) && caught.code, id).toBe('PROVIDER_CREDENTIALS_MISSING');
      for (const name of withoutCredentials[id].names) expect((caught as Error).message, id).toContain(name);
    }
    expect(sim.stats().requests).toBe(0);
    expect(sim.stats().byRoute).toEqual({});
  });
});
