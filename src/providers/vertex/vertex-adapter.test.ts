import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import { startSimulator, type SimulatorHandle } from '../../sim/index.js';
import { estimateCostUsd } from '../pricing.js';
import { textRequest } from '../testing/text-request.js';
import type { ModelRequest } from '../types.js';
import { createVertexProvider } from './vertex-adapter.js';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const request = (content: string): ModelRequest => textRequest('claude-haiku-4-5@20251001', content);

async function failure(promise: Promise<unknown>): Promise<DynaflowError> {
  try {
    await promise;
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('vertex adapter', () => {
  const provider = () =>
    createVertexProvider({
      projectId: 'p',
      region: 'europe-west1',
      baseURL: `${sim.url}/v1`,
      skipAuth: true,
    });

  it('maps a Google quota 429 and an Anthropic 529 to retryable errors', async () => {
    expect(await failure(provider().createMessage(request('@sim fail 429 retry-after 1\na')))).toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryAfterMs: 1000,
    });
    expect((await failure(provider().createMessage(request('@sim fail 529\nb')))).code).toBe(
      'PROVIDER_OVERLOADED',
    );
  });

  it('prices a regional endpoint with the premium and the global one at list price', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };
    const regional = provider();
    const global = createVertexProvider({ projectId: 'p', region: 'global', skipAuth: true });
    expect(estimateCostUsd('claude-haiku-5-5', usage, regional.pricing)).toBeCloseTo(1.1);
    expect(estimateCostUsd('claude-haiku-5-5', usage, global.pricing)).toBe(1);
  });
});
