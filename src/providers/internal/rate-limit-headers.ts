/**
 * Anthropic's `anthropic-ratelimit-*` response headers → RateLimitInfo. The first-party API (and
 * Foundry) send them with every response; Bedrock and Vertex do not, so there they are absent.
 */
import type { RateLimitInfo, RateLimitWindow } from '../types.js';

/** A reset further away than this is treated as this far: a skewed clock must not stall a run. */
export const MAX_RATE_LIMIT_RESET_MS = 60_000;

const WINDOWS = {
  requests: 'requests',
  tokens: 'tokens',
  inputTokens: 'input-tokens',
  outputTokens: 'output-tokens',
} as const;

interface HeaderSource {
  get(name: string): string | null;
}

function count(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

function window(headers: HeaderSource, name: string, now: number): RateLimitWindow | undefined {
  const prefix = `anthropic-ratelimit-${name}`;
  const remaining = count(headers.get(`${prefix}-remaining`));
  if (remaining === undefined) return undefined;
  const limit = count(headers.get(`${prefix}-limit`));
  // RFC 3339; the time left is measured against our clock (second-level skew is harmless here).
  const resetAt = Date.parse(headers.get(`${prefix}-reset`) ?? '');
  const resetInMs = Number.isNaN(resetAt) ? 0 : Math.min(MAX_RATE_LIMIT_RESET_MS, Math.max(0, resetAt - now));
  return { remaining, resetInMs, ...(limit === undefined ? {} : { limit }) };
}

/**
 * The rate-limit windows a response reported, or undefined when it sent none.
 *
 * @example
 * parseRateLimitHeaders(new Headers({ 'anthropic-ratelimit-requests-remaining': '0',
 *   'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:30Z' }), Date.parse('2030-01-01T00:00:00Z'))
 * // { requests: { remaining: 0, resetInMs: 30000 } }
 */
export function parseRateLimitHeaders(
  headers: HeaderSource,
  now: number = Date.now(),
): RateLimitInfo | undefined {
  const info: { -readonly [K in keyof RateLimitInfo]: RateLimitWindow } = {};
  for (const [key, name] of Object.entries(WINDOWS) as [keyof RateLimitInfo, string][]) {
    const found = window(headers, name, now);
    if (found !== undefined) info[key] = found;
  }
  return Object.keys(info).length === 0 ? undefined : info;
}
