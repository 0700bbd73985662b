/** One call the script made through the bridge, waiting to be handed to the host. */
export interface QueuedHostCall {
  readonly id: number;
  readonly kind: string;
  readonly payloadJson: string;
}

/**
 * Hands the script's calls to the host in the order it made them, at most `perTurn` per
 * event-loop turn. A fan-out makes thousands of calls in one synchronous slice: handing them over
 * in turns lets the first agents' requests go out (and the provider work on them) while the host
 * still takes in the others, instead of after all of them.
 */
export class HostCallQueue {
  private calls: QueuedHostCall[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly perTurn: number,
    private readonly invoke: (call: QueuedHostCall) => void,
  ) {}

  push(call: QueuedHostCall): void {
    this.calls.push(call);
    this.scheduleTurn();
  }

  /** Hands over up to `limit` calls now (all of them with Infinity); the rest go in later turns. */
  flush(limit: number): void {
    const end = Math.min(this.calls.length, this.head + limit);
    while (this.head < end) this.invoke(this.calls[this.head++]!);
    if (this.head < this.calls.length) {
      this.scheduleTurn();
    } else {
      this.calls = [];
      this.head = 0;
    }
  }

  private scheduleTurn(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush(this.perTurn);
    });
  }
}

/**
 * JSON texts joined into JSON arrays of at most `maxChars` each (one text alone may exceed it):
 * the host's answers enter the VM a batch per entry, without copying thousands of large results
 * into VM memory at once.
 */
export function batchJsonArrays(texts: readonly string[], maxChars: number): string[] {
  const batches: string[] = [];
  let start = 0;
  while (start < texts.length) {
    let end = start + 1;
    let size = texts[start]!.length;
    while (end < texts.length && size + texts[end]!.length <= maxChars) {
      size += texts[end]!.length;
      end += 1;
    }
    batches.push(`[${texts.slice(start, end).join(',')}]`);
    start = end;
  }
  return batches;
}
