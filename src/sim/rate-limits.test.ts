import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { SimRateLimits } from './internal/rate-limits.js';
import { startSimulator, type SimulatorHandle } from './index.js';

const MODEL = 'claude-sonnet-5-5';
let sim: SimulatorHandle | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'test', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
}

describe('simulated rate limits', () => {
  it('CA-07 counts anthropic-ratelimit-* headers down and answers 429 with retry-after at 0', async () => {
    sim = await startSimulator({ rateLimit: { requestsPerMinute: 2, outputTokensPerMinute: 1_000 } });
    const body = {
      model: MODEL,
      max_tokens: 50,
      messages: [{ role: 'user', content: '@sim reply abcdefgh' }],
    };
    const first = await post(sim.url, body);
    expect(first.status).toBe(200);
    expect(first.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
    // 'abcdefgh' = 2 output tokens.
    expect(first.headers.get('anthropic-ratelimit-output-tokens-remaining')).toBe('998');
    const reset = Date.parse(first.headers.get('anthropic-ratelimit-requests-reset') ?? '');
    expect(reset).toBeGreaterThan(Date.now());
    expect(first.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBeNull();

    const second = await post(sim.url, body);
    expect(second.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const third = await post(sim.url, body);
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(sim.stats()).toMatchObject({ requests: 3, rateLimited: 1, errorsInjected: 0 });
  });

  it('CA-07 sends the headers through the official SDK (streaming) and not without the option', async () => {
    sim = await startSimulator({ rateLimit: { inputTokensPerMinute: 100 } });
    const client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
    const { response } = await client.messages
      .create({
        model: MODEL,
        max_tokens: 20,
        stream: true,
        messages: [{ role: 'user', content: 'x'.repeat(40) }],
      })
      .withResponse();
    expect(response.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBe('90');
    await sim.close();
    sim = await startSimulator({});
    const plain = await post(sim.url, {
      model: MODEL,
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(plain.headers.get('anthropic-ratelimit-requests-remaining')).toBeNull();
  });

  it('CA-07 opens a fresh window once the old one has passed', () => {
    let now = 1_000;
    const limits = new SimRateLimits({ requestsPerMinute: 1, windowMs: 500 }, () => now);
    expect(limits.admit()).toEqual({ ok: true });
    const refused = limits.admit();
    expect(refused).toMatchObject({ ok: false, kind: 'requests', retryAfterSeconds: 0.5 });
    now = 1_499;
    expect(limits.admit().ok).toBe(false);
    now = 1_500;
    expect(limits.admit()).toEqual({ ok: true });
    expect(limits.headers()['anthropic-ratelimit-requests-reset']).toBe(new Date(2_000).toISOString());
  });

  it('CA-07 rejects a rate limit that is not a positive integer', async () => {
    await expect(startSimulator({ rateLimit: { requestsPerMinute: 0 } })).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});
