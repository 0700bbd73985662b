import type { Clock } from './clock.js';
import { cancelledError, watchAbort } from './internal/abort-watch.js';
import { LinkedQueue, type QueueNode } from './internal/linked-queue.js';
import { requireInteger } from './internal/validate.js';

/** How long requests are held for a prefix being written (Claude Code holds its fan-out ~5 s). */
export const DEFAULT_WARM_HOLD_MS = 5_000;
/** A prompt-cache entry lives 5 minutes after its last use (Anthropic's default TTL). */
export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
/** Prefixes remembered per run; the least recently used warm one is forgotten beyond this. */
export const MAX_WARM_PREFIXES = 1_024;

export interface WarmTicket {
  /** True for the request that writes the prefix; the others read it. */
  readonly writes: boolean;
  /** The writer's response has begun: the prefix is readable, so the held requests may go. */
  started(): void;
  /** The writer failed before its response began: the next held request writes instead. */
  failed(): void;
}

export interface CacheWarmerOptions {
  readonly clock: Clock;
  /** Longest hold of a request behind the writer of its prefix. Default {@link DEFAULT_WARM_HOLD_MS}. */
  readonly holdMs?: number;
  /** After this long unused a prefix counts as cold again. Default {@link DEFAULT_CACHE_TTL_MS}. */
  readonly ttlMs?: number;
}

interface Waiter {
  readonly grant: (ticket: WarmTicket) => void;
}

interface Entry {
  readonly key: string;
  /** The current writer's identity while the prefix is being written; null once readable. */
  writer: object | null;
  lastUsed: number;
  readonly waiters: LinkedQueue<Waiter>;
}

const READER: WarmTicket = { writes: false, started: () => undefined, failed: () => undefined };

/**
 * Prompt-cache warming. A cached prefix is readable only once the response that writes it has
 * begun, so sixteen agents that share a 10k-token guide and start together pay sixteen cache
 * writes. The warmer lets the first request with a given prefix key go (the writer) and holds the
 * others with the same key until the writer's response has begun (`started()`), at most `holdMs`;
 * then they all read the cache. Requests whose prefix is already warm are never held.
 *
 * The key is the caller's hash of everything the cached prefix consists of (model, system, tools,
 * the shared part of the prompt). Cheap per request: one map lookup when warm.
 *
 * @example
 * const ticket = await warmer.enter(prefixKey, signal);
 * try {
 *   const response = await provider.createMessage(request, {
 *     onEvent: (event) => event.type === 'response-start' && ticket.started(),
 *   });
 *   ticket.started();
 * } catch (error) {
 *   ticket.failed();
 *   throw error;
 * }
 */
export class CacheWarmer {
  readonly #clock: Clock;
  readonly #holdMs: number;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, Entry>();
  #writes = 0;
  #held = 0;
  #timeouts = 0;

  constructor(options: CacheWarmerOptions) {
    this.#clock = options.clock;
    this.#holdMs = options.holdMs ?? DEFAULT_WARM_HOLD_MS;
    this.#ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    requireInteger(this.#holdMs, 0, 'The cache-warming hold', 'the holdMs option');
    requireInteger(this.#ttlMs, 1, 'The prompt-cache lifetime', 'the ttlMs option');
  }

  /** Requests that went first and wrote a prefix. */
  get writes(): number {
    return this.#writes;
  }

  /** Requests that were held behind a writer. */
  get held(): number {
    return this.#held;
  }

  /** Holds that ended because the writer's response had not begun within `holdMs`. */
  get timeouts(): number {
    return this.#timeouts;
  }

  /**
   * The ticket of one request with prefix `key`: at once when the prefix is warm (or cold: then
   * this request writes it), after the writer's response has begun when it is being written.
   * Rejects with LimitError `RUN_CANCELLED` if `signal` aborts while held.
   */
  enter(key: string, signal?: AbortSignal): Promise<WarmTicket> {
    if (signal?.aborted) return Promise.reject(cancelledError('Waiting for the prompt cache', signal.reason));
    const now = this.#clock.now();
    const entry = this.#entries.get(key);
    if (entry === undefined || (entry.writer === null && now - entry.lastUsed > this.#ttlMs)) {
      return Promise.resolve(this.#startWriting(key));
    }
    if (entry.writer === null || this.#holdMs === 0) {
      this.#touch(key, entry, now);
      return Promise.resolve(READER);
    }
    return this.#hold(entry, signal);
  }

  #startWriting(key: string): WarmTicket {
    const entry: Entry = { key, writer: null, lastUsed: this.#clock.now(), waiters: new LinkedQueue() };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#evict();
    return this.#writerTicket(key, entry);
  }

  #writerTicket(key: string, entry: Entry): WarmTicket {
    const identity = {};
    entry.writer = identity;
    this.#writes += 1;
    return {
      writes: true,
      started: () => {
        if (entry.writer !== identity) return;
        this.#releaseAll(key, entry);
      },
      failed: () => {
        if (entry.writer !== identity) return;
        const next = entry.waiters.shift();
        if (next !== undefined) {
          next.grant(this.#writerTicket(key, entry));
          return;
        }
        entry.writer = null;
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    };
  }

  /** The prefix is readable (or we stop waiting for it): every held request goes. */
  #releaseAll(key: string, entry: Entry): void {
    entry.writer = null;
    this.#touch(key, entry, this.#clock.now());
    for (let waiter = entry.waiters.shift(); waiter !== undefined; waiter = entry.waiters.shift()) {
      waiter.grant(READER);
    }
  }

  #hold(entry: Entry, signal: AbortSignal | undefined): Promise<WarmTicket> {
    this.#held += 1;
    return new Promise<WarmTicket>((resolve, reject) => {
      const timer = new AbortController();
      let unwatch = (): void => undefined;
      const done = (): void => {
        unwatch();
        timer.abort();
      };
      const node: QueueNode<Waiter> = entry.waiters.push({
        grant: (ticket) => {
          done();
          resolve(ticket);
        },
      });
      // Bounded: a writer whose response has not begun after holdMs releases everyone it holds.
      this.#clock.sleep(this.#holdMs, timer.signal).then(
        () => {
          if (!node.linked) return;
          this.#timeouts += 1;
          this.#releaseAll(entry.key, entry);
        },
        () => undefined,
      );
      if (signal !== undefined) {
        unwatch = watchAbort(signal, (reason) => {
          if (!entry.waiters.remove(node)) return;
          done();
          reject(cancelledError('Waiting for the prompt cache', reason));
        });
      }
    });
  }

  /** Least recently used last in the map's order: delete and re-insert. */
  #touch(key: string, entry: Entry, now: number): void {
    entry.lastUsed = now;
    const current = this.#entries.get(key);
    if (current !== undefined && current !== entry) return;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  #evict(): void {
    if (this.#entries.size <= MAX_WARM_PREFIXES) return;
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= MAX_WARM_PREFIXES) return;
      if (entry.writer === null) this.#entries.delete(key);
    }
  }
}
