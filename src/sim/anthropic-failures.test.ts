import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from './index.js';

const MODEL = 'claude-haiku-5-5';

let sim: SimulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ seed: 1 });
  client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

function ask(prompt: string, target: Anthropic = client) {
  return target.messages.create({
    model: MODEL,
    max_tokens: 200,
    messages: [{ role: 'user', content: prompt }],
  });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('injected failures', () => {
  it('@sim fail 429 → RateLimitError with retry-after and the real error body', async () => {
    const error = await failureOf(ask('Work\n@sim fail 429 retry-after 1'));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const apiError = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(apiError.status).toBe(429);
    expect(apiError.type).toBe('rate_limit_error');
    expect(apiError.headers.get('retry-after')).toBe('1');
    expect(apiError.error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
      request_id: apiError.requestID,
    });
    expect(sim.stats().errorsInjected).toBe(1);
  });

  it('@sim fail 529 and 500 → InternalServerError-family errors with their types', async () => {
    const overloaded = await failureOf(ask('Work\n@sim fail 529'));
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
    expect(overloaded).toMatchObject({ status: 529, type: 'overloaded_error' });
    expect((overloaded as APIError).headers?.get('retry-after')).toBe('0');
    const serverError = await failureOf(ask('Work\n@sim fail 500'));
    expect(serverError).toBeInstanceOf(Anthropic.InternalServerError);
    expect(serverError).toMatchObject({ status: 500, type: 'api_error' });
  });

  it('@sim fail 429 times 2: the SDK retries the identical request and the third attempt succeeds', async () => {
    const retrying = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 2 });
    const message = await ask('Work\n@sim fail 429 times 2 retry-after 0.01\n@sim reply made it', retrying);
    expect(message.content).toEqual([{ type: 'text', text: 'made it' }]);
    expect(sim.stats()).toMatchObject({ requests: 3, errorsInjected: 2 });
  });

  it('counts attempts per identical request across separate calls, and only for that request', async () => {
    const prompt = 'Work\n@sim fail 529 times 2';
    await expect(ask(prompt)).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    await expect(ask('A different request\n@sim fail 529 times 2')).rejects.toBeInstanceOf(
      Anthropic.InternalServerError,
    );
    await expect(ask(prompt)).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    await expect(ask(prompt)).resolves.toMatchObject({ type: 'message' });
    sim.reset();
    await expect(ask(prompt)).rejects.toBeInstanceOf(Anthropic.InternalServerError);
  });

  it('@sim fail reset drops the connection: the SDK throws APIConnectionError', async () => {
    await expect(ask('Work\n@sim fail reset')).rejects.toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('@sim fail truncate: a cut stream makes finalMessage() throw, a cut JSON body makes create() throw', async () => {
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 200,
      messages: [
        { role: 'user', content: 'Work\n@sim fail truncate\n@sim reply a long enough answer to be cut' },
      ],
    });
    // No message_stop ever arrives, so the helper has no message to give.
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.AnthropicError);
    await expect(ask('Other work\n@sim fail truncate')).rejects.toBeInstanceOf(SyntaxError);
    expect(sim.stats().errorsInjected).toBe(2);
  });

  it('failRate injects 429/529 deterministically from the seed', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const flaky = await startSimulator({ seed, failRate: 0.5 });
      const flakyClient = new Anthropic({ baseURL: flaky.url, apiKey: 'test', maxRetries: 0 });
      try {
        const outcomes: string[] = [];
        for (let index = 0; index < 24; index++) {
          const outcome = await ask(`question ${index}`, flakyClient).then(
            () => 'ok',
            (error: unknown) => String((error as APIError).status),
          );
          outcomes.push(outcome);
        }
        expect(flaky.stats().errorsInjected).toBe(outcomes.filter((outcome) => outcome !== 'ok').length);
        return outcomes;
      } finally {
        await flaky.close();
      }
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', '429', '529']));
    expect(await run(43)).not.toEqual(first);
  });

  it('@sim latency delays the answer by at least that long', async () => {
    const started = performance.now();
    await ask('Work\n@sim latency 120');
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });
});
