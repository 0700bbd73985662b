import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import { startSimulator, type SimulatorHandle } from '../../sim/index.js';
import { textRequest } from '../testing/text-request.js';
import type { ModelRequest } from '../types.js';
import { createFoundryProvider } from './foundry-adapter.js';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const request = (content: string): ModelRequest => textRequest('claude-sonnet-5-5', content);

describe('foundry adapter', () => {
  it('prefers the base URL over the resource, authenticates with an Entra token too, and maps 529', async () => {
    const withKey = createFoundryProvider({
      apiKey: 'k',
      baseURL: `${sim.url}/anthropic`,
      resource: 'unused',
    });
    await expect(withKey.createMessage(request('@sim reply ok'))).resolves.toMatchObject({
      content: [{ type: 'text', text: 'ok' }],
    });
    const withEntra = createFoundryProvider({
      entraTokenProvider: () => Promise.resolve('entra-token'),
      baseURL: `${sim.url}/anthropic`,
    });
    await expect(withEntra.createMessage(request('@sim reply entra'))).resolves.toMatchObject({
      content: [{ type: 'text', text: 'entra' }],
    });
    const overloaded = await withKey.createMessage(request('@sim fail 529\nx')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(DynaflowError.isInstance(overloaded) && overloaded.code).toBe('PROVIDER_OVERLOADED');
    expect(sim.stats().byRoute).toEqual({ 'foundry.messages': 3 });
  });
});
