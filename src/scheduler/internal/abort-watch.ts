import { LimitError } from '../../errors/index.js';

/**
 * One 'abort' listener per signal, however many waiters watch it. A run's single AbortSignal is
 * shared by thousands of queued agents and sleeping retries; adding a listener per waiter would
 * trip Node's MaxListenersExceededWarning and make removal O(n).
 */
type AbortCallback = (reason: unknown) => void;

interface Watchers {
  readonly callbacks: Set<AbortCallback>;
  readonly onAbort: () => void;
}

const watched = new WeakMap<AbortSignal, Watchers>();

/**
 * Calls `callback` once when `signal` aborts. Returns the function that stops watching (call it
 * as soon as the waiter is served, so nothing leaks). The signal must not be aborted yet.
 */
export function watchAbort(signal: AbortSignal, callback: AbortCallback): () => void {
  let watchers = watched.get(signal);
  if (watchers === undefined) {
    const callbacks = new Set<AbortCallback>();
    const onAbort = (): void => {
      watched.delete(signal);
      for (const each of callbacks) each(signal.reason);
      callbacks.clear();
    };
    watchers = { callbacks, onAbort };
    watched.set(signal, watchers);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  // A fresh wrapper per watch, so the same callback function watched twice stays two entries.
  const entry: AbortCallback = (reason) => callback(reason);
  watchers.callbacks.add(entry);
  const current = watchers;
  return () => {
    if (!current.callbacks.delete(entry) || current.callbacks.size > 0) return;
    if (watched.get(signal) === current) watched.delete(signal);
    signal.removeEventListener('abort', current.onAbort);
  };
}

/** The error every wait in this folder rejects with when its signal aborts. */
export function cancelledError(what: string, reason: unknown): LimitError {
  return new LimitError('RUN_CANCELLED', `${what} was cancelled because the run is stopping.`, {
    cause: reason,
    hint: 'The run was cancelled (Ctrl-C, `dynaflow cancel`, or a ceiling stopped it); resume it with `dynaflow resume <id>`.',
  });
}
