/**
 * A small deterministic PRNG (mulberry32) returning numbers in [0, 1). Backoff jitter takes its
 * randomness from here in tests and in seeded runs, so delays are reproducible.
 *
 * @example
 * const random = createSeededRandom(42);
 * random(); // same sequence for the same seed
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
