/**
 * Group commit: writes queued in the same tick (or until the batch is full) share one
 * transaction, so one sync of the write-ahead log covers a whole wave of completions. At high
 * fan-out this is what keeps journaling far below a millisecond per completion.
 *
 * Order is kept: writes commit in the order they were queued, so a call's start is never
 * committed after its completion.
 */

export interface QueuedWrite {
  /**
   * Runs inside the batch's transaction. Returns an error that concerns this write alone (the
   * batch still commits); throwing aborts the transaction, and the batch is retried write by write.
   */
  apply(): Error | undefined;
  /** Told the outcome after the commit. Writes without it report failures through `flush()`. */
  settle?(error: Error | undefined): void;
}

export interface GroupCommitOptions {
  /** Commit at once when this many writes are queued. */
  readonly maxBatch: number;
  /** Runs `body` in one (immediate) transaction; throws when it could not commit. */
  readonly runInTransaction: (body: () => void) => void;
  /** Turns a failed commit into the error the writers see. */
  readonly describeFailure: (cause: unknown) => Error;
  /** When to commit a partial batch. Default `setImmediate`: after the current wave of I/O. */
  readonly schedule?: (callback: () => void) => void;
}

export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  /** A failure of a write nobody awaited, reported by the next `flushAndReport()`. */
  private unreportedFailure: Error | undefined;
  private readonly schedule: (callback: () => void) => void;

  constructor(private readonly options: GroupCommitOptions) {
    this.schedule = options.schedule ?? ((callback) => void setImmediate(callback));
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(write: QueuedWrite): void {
    this.queue.push(write);
    if (this.queue.length >= this.options.maxBatch) {
      this.flushSync();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => {
        this.scheduled = false;
        this.flushSync();
      });
    }
  }

  /** Commits everything queued, now. */
  flushSync(): void {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.commit(batch);
    }
  }

  /** Commits everything queued and throws the first failure of an un-awaited write since the last call. */
  flushAndReport(): void {
    this.flushSync();
    const failure = this.unreportedFailure;
    this.unreportedFailure = undefined;
    if (failure !== undefined) throw failure;
  }

  private commit(batch: readonly QueuedWrite[]): void {
    const outcomes: (Error | undefined)[] = [];
    try {
      this.options.runInTransaction(() => {
        outcomes.length = 0;
        for (const write of batch) outcomes.push(write.apply());
      });
    } catch (cause) {
      if (batch.length > 1) {
        // One bad write must not sink the others: retry them one by one to isolate it.
        for (const write of batch) this.commit([write]);
        return;
      }
      outcomes[0] = this.options.describeFailure(cause);
    }
    batch.forEach((write, index) => this.settle(write, outcomes[index]));
  }

  private settle(write: QueuedWrite, error: Error | undefined): void {
    if (write.settle) write.settle(error);
    else if (error !== undefined) this.unreportedFailure ??= error;
  }
}
