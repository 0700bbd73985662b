import { createHash } from 'node:crypto';

/**
 * A call is identified by what determines it plus its occurrence number among identical calls.
 * Completion order therefore does not matter, and an edited script still finds every unchanged
 * call in the journal — not only the longest unchanged prefix.
 */
export function callHash(parts: Record<string, unknown>): string {
  return createHash('sha256').update(stableStringify(parts)).digest('hex').slice(0, 24);
}

/** JSON with sorted object keys, so `{a,b}` and `{b,a}` hash alike. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** Hands out `<hash>#<n>` keys: the n-th call with the same hash in this run (or child workflow). */
export class CallKeyAllocator {
  private readonly seen = new Map<string, number>();

  next(hash: string): string {
    const occurrence = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, occurrence);
    return `${hash}#${occurrence}`;
  }
}
