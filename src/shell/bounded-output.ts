/**
 * Keeps long command output to a bounded size. The head shows how a command started; the tail
 * is where errors, summaries and exit reasons land, so the tail gets the larger share.
 */
export const DEFAULT_OUTPUT_LIMIT = 30_000;

export class BoundedOutput {
  private head = '';
  private tail = '';
  private total = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(private readonly limit: number = DEFAULT_OUTPUT_LIMIT) {
    this.headLimit = Math.floor(limit / 3);
    this.tailLimit = limit - this.headLimit;
  }

  append(chunk: string): void {
    this.total += chunk.length;
    if (this.head.length < this.headLimit) {
      const room = this.headLimit - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk === '') return;
    this.tail += chunk;
    // Trim lazily so a stream of small chunks does not copy the tail on every append.
    if (this.tail.length > this.tailLimit * 2) this.tail = this.tail.slice(-this.tailLimit);
  }

  get length(): number {
    return this.total;
  }

  toString(): string {
    if (this.total <= this.limit) return this.head + this.tail;
    const tail = this.tail.slice(-this.tailLimit);
    const dropped = this.total - this.head.length - tail.length;
    return `${this.head}\n[... ${dropped} chars truncated ...]\n${tail}`;
  }
}

/** Truncates finished text the same way. */
export function limitText(text: string, limit: number = DEFAULT_OUTPUT_LIMIT): string {
  const output = new BoundedOutput(limit);
  output.append(text);
  return output.toString();
}
