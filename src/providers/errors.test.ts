import { describe, expect, it } from 'vitest';

import { LimitError } from '../errors/index.js';
import { DEFAULT_RETRY_AFTER_MS, parseRetryAfterMs, redactSecrets, toProviderError } from './errors.js';

const CONTEXT = { providerName: 'Test', credentialVariable: 'TEST_API_KEY', secrets: ['sk-very-secret'] };

function apiError(status: number | undefined, headers: Record<string, string> = {}, message = 'boom') {
  return Object.assign(new Error(`${status} ${message}`), {
    name: 'APIError',
    status,
    headers: new Headers(headers),
    apiMessage: message,
  });
}

describe('toProviderError', () => {
  it.each([
    [429, 'PROVIDER_RATE_LIMITED', true],
    [529, 'PROVIDER_OVERLOADED', true],
    [500, 'PROVIDER_SERVER_ERROR', true],
    [503, 'PROVIDER_SERVER_ERROR', true],
    [408, 'PROVIDER_SERVER_ERROR', true],
    [400, 'PROVIDER_REQUEST_REJECTED', false],
    [404, 'PROVIDER_REQUEST_REJECTED', false],
    [422, 'PROVIDER_REQUEST_REJECTED', false],
    [401, 'PROVIDER_CREDENTIALS_MISSING', false],
    [403, 'PROVIDER_CREDENTIALS_MISSING', false],
  ])('maps status %i to %s (retryable: %s)', (status, code, retryable) => {
    const error = toProviderError(apiError(status), CONTEXT);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    if (retryable) expect(error.retryAfterMs).toBe(DEFAULT_RETRY_AFTER_MS);
  });

  it('maps an account out of credit or quota to terminal PROVIDER_BILLING, whatever status carries it', () => {
    const anthropic402 = Object.assign(apiError(402, {}, 'Your account has no credit.'), {
      type: 'billing_error',
    });
    const oldAnthropic400 = apiError(400, {}, 'Your credit balance is too low to access the Anthropic API.');
    // OpenAI's exhausted quota is a 429 that no retry will cure (openai's APIError carries `type`/`code`).
    const openaiQuota = Object.assign(apiError(429, {}, 'You exceeded your current quota.'), {
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    });
    for (const failure of [anthropic402, oldAnthropic400, openaiQuota]) {
      const error = toProviderError(failure, CONTEXT);
      expect(error.code).toBe('PROVIDER_BILLING');
      expect(error.retryable).toBe(false);
      expect(error.hint).toContain('TEST_API_KEY');
    }
    // A plain rate limit and a plain bad request stay what they were.
    expect(toProviderError(apiError(429, {}, 'Too many requests'), CONTEXT).code).toBe(
      'PROVIDER_RATE_LIMITED',
    );
    expect(toProviderError(apiError(400, {}, 'max_tokens too large'), CONTEXT).code).toBe(
      'PROVIDER_REQUEST_REJECTED',
    );
  });

  it('maps raw socket failures (ECONNRESET, socket hang up, undici "terminated") to PROVIDER_CONNECTION', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const hangUp = new Error('socket hang up');
    const terminated = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    for (const failure of [reset, hangUp, terminated]) {
      expect(toProviderError(failure, CONTEXT)).toMatchObject({
        code: 'PROVIDER_CONNECTION',
        retryAfterMs: 1000,
      });
    }
  });

  it('turns aborts into RUN_CANCELLED', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toProviderError(abort, CONTEXT)).toBeInstanceOf(LimitError);
    expect(toProviderError(abort, CONTEXT).code).toBe('RUN_CANCELLED');
    const controller = new AbortController();
    controller.abort();
    expect(toProviderError(apiError(500), { ...CONTEXT, signal: controller.signal }).code).toBe(
      'RUN_CANCELLED',
    );
  });

  it('keeps dynaflow errors as they are', () => {
    const original = new LimitError('BUDGET_EXHAUSTED', 'spent');
    expect(toProviderError(original, CONTEXT)).toBe(original);
  });

  it('never lets a secret through, and names the credential variable on 401', () => {
    const error = toProviderError(apiError(401, {}, 'bad key sk-very-secret'), CONTEXT);
    expect(error.describe()).not.toContain('sk-very-secret');
    expect(error.hint).toContain('TEST_API_KEY');
  });
});

describe('parseRetryAfterMs', () => {
  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '120.5' }))).toBe(121);
    expect(parseRetryAfterMs({ 'retry-after': '2' })).toBe(2000);
    const now = () => Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfterMs({ 'retry-after': 'Tue, 01 Jan 2030 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence', () => {
    expect(redactSecrets('a KEY123 b KEY123', ['KEY123'])).toBe('a [redacted] b [redacted]');
  });
});
