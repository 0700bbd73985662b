import type { Clock } from '../../src/scheduler/index.js';

/**
 * A clock whose sleeps pass `factor` times faster, so retry backoff is exercised for real
 * (same code path, same ordering) without slowing the suite down.
 */
export function fastClock(factor = 100): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms / factor);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          },
          { once: true },
        );
      }),
  };
}
