/**
 * A FIFO queue with O(1) push, shift and removal of any entry. Waiter queues need removal from the
 * middle (a cancelled acquire), which an array can only do in O(n); `Array.shift` on ten thousand
 * waiters is O(n) per dispatch as well.
 */
export interface QueueNode<T> {
  readonly value: T;
  /** @internal links; null at the ends. */
  previous: QueueNode<T> | null;
  next: QueueNode<T> | null;
  /** False once shifted or removed, so a second removal is a harmless no-op. */
  linked: boolean;
}

export class LinkedQueue<T> {
  #head: QueueNode<T> | null = null;
  #tail: QueueNode<T> | null = null;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Appends `value` and returns its node, the handle for a later `remove`. */
  push(value: T): QueueNode<T> {
    const node: QueueNode<T> = { value, previous: this.#tail, next: null, linked: true };
    if (this.#tail === null) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#size += 1;
    return node;
  }

  /** Removes and returns the oldest value, or undefined when empty. */
  shift(): T | undefined {
    const node = this.#head;
    if (node === null) return undefined;
    this.remove(node);
    return node.value;
  }

  peek(): T | undefined {
    return this.#head?.value;
  }

  /** Unlinks `node`; returns false when it was already gone. */
  remove(node: QueueNode<T>): boolean {
    if (!node.linked) return false;
    if (node.previous === null) this.#head = node.next;
    else node.previous.next = node.next;
    if (node.next === null) this.#tail = node.previous;
    else node.next.previous = node.previous;
    node.previous = null;
    node.next = null;
    node.linked = false;
    this.#size -= 1;
    return true;
  }
}
