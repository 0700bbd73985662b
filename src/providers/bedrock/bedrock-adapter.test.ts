import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import { startSimulator, type SimulatorHandle } from '../../sim/index.js';
import { textRequest } from '../testing/text-request.js';
import type { ModelProvider, ModelRequest } from '../types.js';
import { createBedrockProvider } from './bedrock-adapter.js';

let sim: SimulatorHandle;
let directory: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  directory = await mkdtemp(join(tmpdir(), 'dynaflow-aws-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => {
  sim.reset();
});

const request = (provider: ModelProvider, content: string): ModelRequest =>
  textRequest(provider.resolveModel('haiku'), content);

async function failure(promise: Promise<unknown>): Promise<DynaflowError> {
  try {
    await promise;
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('bedrock adapter', () => {
  const keys = { region: 'us-east-1', accessKeyId: 'AKIDTEST', secretAccessKey: 'bedrock-SECRET-value-42' };

  it('maps throttling to a retryable rate limit and 503 to a retryable server error, one request each', async () => {
    const provider = createBedrockProvider({ ...keys, baseURL: sim.url });
    expect(
      await failure(provider.createMessage(request(provider, '@sim fail 429 retry-after 4\na'))),
    ).toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryAfterMs: 4000,
    });
    const unavailable = await failure(provider.createMessage(request(provider, '@sim fail 529\nb')));
    expect(unavailable).toMatchObject({ code: 'PROVIDER_SERVER_ERROR', status: 503 });
    expect(unavailable.retryable).toBe(true);
    expect((await failure(provider.createMessage(request(provider, '@sim fail truncate\nc')))).code).toBe(
      'PROVIDER_TRUNCATED',
    );
    expect(sim.stats().byRoute).toEqual({ 'bedrock.invoke-stream': 3 });
  });

  it('reports a refused signature as a credentials error that names the AWS variables, never the secret', async () => {
    // skipAuth sends no signature: the simulator answers 403 as Bedrock does.
    const provider = createBedrockProvider({ region: 'us-east-1', baseURL: sim.url, skipAuth: true });
    const error = await failure(provider.createMessage(request(provider, 'hi')));
    expect(error.code).toBe('PROVIDER_CREDENTIALS_MISSING');
    expect(error.hint).toContain('AWS_ACCESS_KEY_ID');
    const signed = createBedrockProvider({ ...keys, baseURL: sim.url });
    const rejected = await failure(signed.createMessage(request(signed, '@sim fail 403\nhi')));
    expect(rejected.describe()).not.toContain(keys.secretAccessKey);
  });

  it('signs with the credentials of AWS_PROFILE, and fails terminally when the profile has none', async () => {
    const credentials = join(directory, 'credentials');
    await writeFile(
      credentials,
      '[dynaflow-test]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n',
    );
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    vi.stubEnv('AWS_CONFIG_FILE', join(directory, 'config-absent'));
    // Never ask the EC2 metadata service from a test.
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const provider = createBedrockProvider({
      region: 'eu-west-1',
      baseURL: sim.url,
      profile: 'dynaflow-test',
    });
    await expect(provider.createMessage(request(provider, '@sim reply signed'))).resolves.toMatchObject({
      content: [{ type: 'text', text: 'signed' }],
    });
    const missing = createBedrockProvider({
      region: 'eu-west-1',
      baseURL: sim.url,
      profile: 'no-such-profile',
    });
    const error = await failure(missing.createMessage(request(missing, 'hi')));
    expect(error.code).toBe('PROVIDER_CREDENTIALS_MISSING');
    expect(error.retryable).toBe(false);
    expect(sim.stats().requests).toBe(1);
  });
});
