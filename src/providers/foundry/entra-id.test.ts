/**
 * Foundry without ANTHROPIC_FOUNDRY_API_KEY signs in with Entra ID through the Azure SDK's real
 * credential chain, here narrowed to a fake Azure CLI (testing/fake-azure-cli.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import { startSimulator, type SimulatorHandle } from '../../sim/index.js';
import { createProvider } from '../registry.js';
import { createFakeAzureCli, type FakeAzureCli } from '../testing/fake-azure-cli.js';
import { textRequest } from '../testing/text-request.js';
import type { ModelRequest } from '../types.js';
import { createFoundryProvider } from './foundry-adapter.js';

const TOKEN = 'entra-token-from-fake-az-cli';

let sim: SimulatorHandle;
let directory: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  directory = await mkdtemp(path.join(tmpdir(), 'dynaflow-entra-'));
});

afterAll(async () => {
  await sim.close();
  await rm(directory, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
  sim.reset();
});

/** Puts a fake `az` first on PATH for this test (restored after each). */
async function fakeAzureCli(signedIn: boolean): Promise<FakeAzureCli> {
  const az = await createFakeAzureCli(directory, signedIn ? { token: TOKEN } : { signedIn: false });
  for (const [name, value] of Object.entries(az.env)) vi.stubEnv(name, value);
  return az;
}

const request = (content: string): ModelRequest => textRequest('claude-sonnet-5-5', content);

describe('foundry with Microsoft Entra ID', () => {
  it('EN-01 without a key, authenticates with a token from the Azure credential chain, asked for once', async () => {
    const az = await fakeAzureCli(true);
    // The registry path a CLI run takes: only the documented variables, no key among them.
    const provider = createProvider('foundry', { ANTHROPIC_FOUNDRY_BASE_URL: `${sim.url}/anthropic` });
    for (const text of ['first', 'second']) {
      await expect(provider.createMessage(request(`@sim reply ${text}`))).resolves.toMatchObject({
        content: [{ type: 'text', text }],
      });
    }
    // The simulator refuses requests without a credential (401), so both carried the token.
    expect(sim.stats().byRoute).toEqual({ 'foundry.messages': 2 });
    expect(await az.calls()).toEqual([
      'account get-access-token --output json --resource https://ai.azure.com',
    ]);
    await provider.close?.();
  });

  it('EN-02 without a sign-in, fails with PROVIDER_CREDENTIALS_MISSING naming both ways in, and sends nothing', async () => {
    await fakeAzureCli(false);
    const provider = createProvider('foundry', { ANTHROPIC_FOUNDRY_RESOURCE: 'my-resource' });
    const error = await provider.createMessage(request('hi')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(DynaflowError.isInstance(error) && error.code).toBe('PROVIDER_CREDENTIALS_MISSING');
    const failure = error as DynaflowError;
    expect(failure.retryAfterMs).toBeUndefined();
    expect(failure.message).toContain('az login');
    expect(failure.hint).toContain('ANTHROPIC_FOUNDRY_API_KEY');
    expect(sim.stats().requests).toBe(0);
  });

  it('EN-03 keeps the token out of error messages', async () => {
    await fakeAzureCli(true);
    // A gateway that refuses the token and quotes the request's Authorization header back.
    const provider = createFoundryProvider({
      baseURL: `${sim.url}/anthropic`,
      fetch: (_url, init) => {
        const authorization = new Headers(init?.headers).get('authorization') ?? 'nothing';
        const body = {
          type: 'error',
          error: { type: 'authentication_error', message: `refused ${authorization}` },
        };
        return Promise.resolve(
          new Response(JSON.stringify(body), {
            status: 401,
            headers: { 'content-type': 'application/json' },
          }),
        );
      },
    });
    const error = await provider.createMessage(request('hi')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(DynaflowError.isInstance(error) && error.code).toBe('PROVIDER_CREDENTIALS_MISSING');
    const text = `${(error as DynaflowError).message} ${(error as DynaflowError).hint ?? ''}`;
    expect(text).toContain('refused Bearer');
    expect(text).not.toContain(TOKEN);
  });
});
