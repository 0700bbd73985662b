import { DynaflowError, type ErrorCode } from '../errors/index.js';
import type { AdaptiveLimiter, RequestPermit } from './adaptive-limiter.js';
import type { Clock } from './clock.js';
import { cancelledError, watchAbort } from './internal/abort-watch.js';
import { requireInteger } from './internal/validate.js';

export const DEFAULT_MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/** Codes worth another try: the provider may well answer the same request next time. */
const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_OVERLOADED',
  'PROVIDER_SERVER_ERROR',
  'PROVIDER_CONNECTION',
  'PROVIDER_TRUNCATED',
]);

/** Codes that mean "you are sending too much": they lower the adaptive limit. A 500 does not. */
const CONGESTION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_OVERLOADED',
]);

export interface RetryInfo {
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly error: unknown;
  /** How long we wait before the next attempt. */
  readonly delayMs: number;
}

export interface SendWithRetryOptions {
  readonly limiter: AdaptiveLimiter;
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
  /** Default {@link DEFAULT_MAX_ATTEMPTS}. */
  readonly maxAttempts?: number | undefined;
  /** Jitter source in [0, 1). Default Math.random; inject a seeded one for reproducible delays. */
  readonly random?: (() => number) | undefined;
  /** Called as each attempt starts, after it got its permit (the journal counts attempts). */
  readonly onAttempt?: ((attempt: number) => void) | undefined;
  /** Called after a failed attempt that will be retried, before the backoff wait. */
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
}

export interface SendResult<T> {
  readonly value: T;
  /** Attempts made, including the successful one. */
  readonly attempts: number;
}

/** True for a DynaflowError marked retryable, or carrying a transient provider code. */
export function isRetryable(error: unknown): boolean {
  return DynaflowError.isInstance(error) && (error.retryable || TRANSIENT_CODES.has(error.code));
}

/** True for a rate limit (429) or overload (529): the provider wants fewer requests at once. */
export function isCongestion(error: unknown): boolean {
  return DynaflowError.isInstance(error) && CONGESTION_CODES.has(error.code);
}

/**
 * Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], raised to
 * the provider's `retryAfterMs` when that is larger. Full jitter spreads a burst of retries evenly
 * instead of synchronising them into the next burst.
 */
export function backoffDelay(attempt: number, random: () => number, retryAfterMs = 0): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs);
}

/**
 * Sends one request with retries. Each attempt holds a permit of the adaptive limiter while it is
 * in flight (not while backing off); 429/529 lower the limit, successes raise it. Only retryable
 * DynaflowErrors are retried; anything else, or the last attempt's error, is rethrown as is.
 * If `signal` aborts, rejects at once with LimitError `RUN_CANCELLED` (an attempt that ignores the
 * signal keeps its permit until it really settles, so the limiter stays truthful).
 *
 * @example
 * const { value, attempts } = await sendWithRetry((n) => provider.send(request, { signal }), {
 *   limiter, clock: systemClock, signal,
 * });
 */
export async function sendWithRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: SendWithRetryOptions,
): Promise<SendResult<T>> {
  const { limiter, clock, signal } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  requireInteger(maxAttempts, 1, 'maxAttempts', 'the maxAttempts option');
  const random = options.random ?? Math.random;

  for (let attemptNumber = 1; ; attemptNumber += 1) {
    if (signal?.aborted) throw cancelledError('A model request', signal.reason);
    const permit = await limiter.acquire(signal);
    let value: T;
    try {
      value = await settleOrAbort(start(attempt, attemptNumber, options.onAttempt), permit, limiter, signal);
    } catch (error) {
      if (signal?.aborted) throw cancelledError('A model request', signal.reason);
      if (!isRetryable(error) || attemptNumber >= maxAttempts) throw error;
      const retryAfterMs = DynaflowError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0;
      const delayMs = backoffDelay(attemptNumber, random, retryAfterMs);
      options.onRetry?.({ attempt: attemptNumber, error, delayMs });
      await clock.sleep(delayMs, signal);
      continue;
    }
    return { value, attempts: attemptNumber };
  }
}

/** Starts an attempt; a synchronous throw becomes a rejection so the permit is still released. */
async function start<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  attemptNumber: number,
  onAttempt: ((attempt: number) => void) | undefined,
): Promise<T> {
  onAttempt?.(attemptNumber);
  return attempt(attemptNumber);
}

/**
 * Awaits one attempt, reporting its outcome to the limiter and releasing the permit when the
 * attempt settles; rejects early (RUN_CANCELLED) when the signal aborts.
 */
async function settleOrAbort<T>(
  pending: Promise<T>,
  permit: RequestPermit,
  limiter: AdaptiveLimiter,
  signal: AbortSignal | undefined,
): Promise<T> {
  const settled = pending.then(
    (value) => {
      limiter.onSuccess();
      permit.release();
      return value;
    },
    (error: unknown) => {
      if (isCongestion(error)) limiter.onCongestion(permit);
      permit.release();
      throw error;
    },
  );
  if (signal === undefined) return settled;
  // If the abort wins the race, the attempt's late outcome is moot (its permit is still released).
  settled.catch(() => undefined);
  if (signal.aborted) throw cancelledError('A model request', signal.reason);
  let unwatch = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    unwatch = watchAbort(signal, (reason) => reject(cancelledError('A model request', reason)));
  });
  try {
    return await Promise.race([settled, aborted]);
  } finally {
    unwatch();
  }
}
