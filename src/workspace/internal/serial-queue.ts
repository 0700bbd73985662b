/** Runs tasks one at a time, in the order they were added; a failed task does not block the next. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when everything added so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
