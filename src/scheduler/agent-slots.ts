import { cancelledError, watchAbort } from './internal/abort-watch.js';
import { LinkedQueue, type QueueNode } from './internal/linked-queue.js';
import { requireInteger } from './internal/validate.js';

/** Gives a slot back. Idempotent: calling it twice frees one slot, not two. */
export type ReleaseSlot = () => void;

interface SlotWaiter {
  readonly priority: number;
  readonly grant: (release: ReleaseSlot) => void;
  unwatch: () => void;
}

/**
 * At most `concurrency` agents run at once. Waiters are served highest priority first and FIFO
 * within a priority: the sandbox passes a pipeline stage index as the priority, so an item that
 * reached stage 3 is not starved behind thousands of queued stage-1 agents.
 *
 * acquire/release are O(1) amortised: one linked queue per distinct priority (a handful) plus a
 * sorted list of the priorities that have waiters.
 *
 * @example
 * const slots = new AgentSlots(16);
 * const release = await slots.acquire(0, signal);
 * try { await runAgent(); } finally { release(); }
 */
export class AgentSlots {
  #concurrency: number;
  #running = 0;
  #queued = 0;
  #paused = false;
  readonly #queues = new Map<number, LinkedQueue<SlotWaiter>>();
  /** Priorities that have waiters, highest first. */
  readonly #priorities: number[] = [];

  constructor(concurrency: number) {
    requireInteger(concurrency, 1, 'The agent concurrency', '--concurrency');
    this.#concurrency = concurrency;
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  /** Agents holding a slot now. */
  get running(): number {
    return this.#running;
  }

  /** Agents waiting for a slot. */
  get queued(): number {
    return this.#queued;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Waits for a slot. Rejects with LimitError `RUN_CANCELLED` if `signal` aborts while waiting
   * (the waiter leaves the queue; no slot is held).
   */
  acquire(priority: number, signal?: AbortSignal): Promise<ReleaseSlot> {
    if (!Number.isFinite(priority)) throw new RangeError(`priority must be a finite number, got ${priority}`);
    if (signal?.aborted) return Promise.reject(cancelledError('Waiting for an agent slot', signal.reason));
    if (!this.#paused && this.#queued === 0 && this.#running < this.#concurrency) {
      this.#running += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: SlotWaiter = { priority, grant: resolve, unwatch: () => undefined };
      const node = this.#enqueue(waiter);
      if (signal !== undefined) {
        waiter.unwatch = watchAbort(signal, (reason) => {
          this.#dequeue(node);
          reject(cancelledError('Waiting for an agent slot', reason));
        });
      }
    });
  }

  /** Stops handing out slots; running agents go on. */
  pause(): void {
    this.#paused = true;
  }

  /** Hands out slots again, to as many waiters as there is room for. */
  resume(): void {
    this.#paused = false;
    this.#dispatch();
  }

  /** Changes the ceiling; lowering it never stops running agents, it only delays new ones. */
  setConcurrency(concurrency: number): void {
    requireInteger(concurrency, 1, 'The agent concurrency', '--concurrency');
    this.#concurrency = concurrency;
    this.#dispatch();
  }

  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      this.#dispatch();
    };
  }

  #dispatch(): void {
    while (!this.#paused && this.#running < this.#concurrency && this.#queued > 0) {
      const waiter = this.#shiftHighest();
      if (waiter === undefined) return;
      waiter.unwatch();
      this.#running += 1;
      waiter.grant(this.#releaser());
    }
  }

  #enqueue(waiter: SlotWaiter): QueueNode<SlotWaiter> {
    let queue = this.#queues.get(waiter.priority);
    if (queue === undefined) {
      queue = new LinkedQueue<SlotWaiter>();
      this.#queues.set(waiter.priority, queue);
      this.#insertPriority(waiter.priority);
    }
    this.#queued += 1;
    return queue.push(waiter);
  }

  #dequeue(node: QueueNode<SlotWaiter>): void {
    const priority = node.value.priority;
    const queue = this.#queues.get(priority);
    if (queue === undefined || !queue.remove(node)) return;
    this.#queued -= 1;
    if (queue.size === 0) this.#dropPriority(priority);
  }

  #shiftHighest(): SlotWaiter | undefined {
    const priority = this.#priorities[0];
    if (priority === undefined) return undefined;
    const queue = this.#queues.get(priority);
    const waiter = queue?.shift();
    if (waiter === undefined) return undefined;
    this.#queued -= 1;
    if (queue?.size === 0) this.#dropPriority(priority);
    return waiter;
  }

  /** Keeps #priorities sorted, highest first. There are few distinct priorities (stage indices). */
  #insertPriority(priority: number): void {
    let index = 0;
    while (index < this.#priorities.length && (this.#priorities[index] as number) > priority) index += 1;
    this.#priorities.splice(index, 0, priority);
  }

  #dropPriority(priority: number): void {
    this.#queues.delete(priority);
    const index = this.#priorities.indexOf(priority);
    if (index >= 0) this.#priorities.splice(index, 1);
  }
}
