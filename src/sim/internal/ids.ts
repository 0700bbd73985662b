/**
 * Hashes and ids. Everything the simulator "chooses" is derived from a hash of the seed and the
 * request, never from a shared random stream, so answers stay deterministic under concurrency.
 */
import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A value in [0, 1) derived from `key`. */
export function unitFraction(key: string): number {
  const digest = createHash('sha1').update(key).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** `prefix` + 24 base62 characters derived from `key` (looks like `msg_01…`, `toolu_01…`). */
export function idFrom(prefix: string, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let out = prefix;
  for (let i = 0; i < 24; i++) out += BASE62[digest[i]! % 62];
  return out;
}

/**
 * Request ids only need to be unique, not deterministic: a counter salted per server is enough
 * and costs no hashing on the hot path.
 */
export function createRequestIdSource(seed: number): () => string {
  let counter = 0;
  const salt = (seed >>> 0).toString(36);
  return () => {
    counter += 1;
    return `req_011C${salt}x${counter.toString(36).padStart(10, '0')}`;
  };
}
