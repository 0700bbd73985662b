/**
 * Rate limits like the Anthropic API's, for testing clients that read `anthropic-ratelimit-*`
 * headers: requests and input/output tokens per window, counted down with every answer and
 * reported on every response of the first-party wire. Over a limit → 429 `rate_limit_error` with
 * `retry-after`. Fixed windows (the first request opens one; it resets `windowMs` later), so a
 * test can predict exactly when the headers reach 0.
 *
 * Input tokens count what is not read from cache (`input_tokens` + `cache_creation_input_tokens`),
 * as the API's input-tokens-per-minute limit does for current models.
 */
import type { SimRateLimitOptions, SimUsage } from '../types.js';

export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;

type Kind = 'requests' | 'input-tokens' | 'output-tokens';

interface Window {
  readonly kind: Kind;
  readonly limit: number;
  used: number;
  /** When the current window ends (ms since the epoch); 0 = no window open yet. */
  resetAt: number;
}

export type Admission =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number; readonly kind: Kind };

export class SimRateLimits {
  readonly #windows: Window[] = [];
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: SimRateLimitOptions, now: () => number = Date.now) {
    this.#windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
    this.#now = now;
    const add = (kind: Kind, limit: number | undefined): void => {
      if (limit !== undefined) this.#windows.push({ kind, limit, used: 0, resetAt: 0 });
    };
    add('requests', options.requestsPerMinute);
    add('input-tokens', options.inputTokensPerMinute);
    add('output-tokens', options.outputTokensPerMinute);
  }

  /** Admits one request (counting it) unless a window is used up. */
  admit(): Admission {
    const now = this.#roll();
    for (const window of this.#windows) {
      if (window.used >= window.limit) {
        return { ok: false, kind: window.kind, retryAfterSeconds: Math.max(0, window.resetAt - now) / 1000 };
      }
    }
    for (const window of this.#windows) if (window.kind === 'requests') window.used += 1;
    return { ok: true };
  }

  /** Counts an answered request's tokens. */
  record(usage: SimUsage): void {
    this.#roll();
    for (const window of this.#windows) {
      if (window.kind === 'input-tokens')
        window.used += usage.input_tokens + usage.cache_creation_input_tokens;
      if (window.kind === 'output-tokens') window.used += usage.output_tokens;
    }
  }

  /** The `anthropic-ratelimit-*` headers of the windows as they stand now. */
  headers(): Record<string, string> {
    this.#roll();
    const headers: Record<string, string> = {};
    for (const window of this.#windows) {
      const prefix = `anthropic-ratelimit-${window.kind}`;
      headers[`${prefix}-limit`] = String(window.limit);
      headers[`${prefix}-remaining`] = String(Math.max(0, window.limit - window.used));
      // RFC 3339 with milliseconds, so short test windows are reported precisely.
      headers[`${prefix}-reset`] = new Date(window.resetAt).toISOString();
    }
    return headers;
  }

  clear(): void {
    for (const window of this.#windows) {
      window.used = 0;
      window.resetAt = 0;
    }
  }

  #roll(): number {
    const now = this.#now();
    for (const window of this.#windows) {
      if (now >= window.resetAt) {
        window.used = 0;
        window.resetAt = now + this.#windowMs;
      }
    }
    return now;
  }
}
