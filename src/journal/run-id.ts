import { randomBytes } from 'node:crypto';

/** Fixed width keeps ids sortable as text until the year 5188. */
const TIME_WIDTH = 9;
const RANDOM_LENGTH = 8;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** What a run id looks like (as Claude Code's `resumeFromRunId`). */
export const RUN_ID_PATTERN = /^wf_[a-z0-9-]+$/;

/**
 * A new run id: `wf_<time, base 36>-<random>`. Ids sort by creation time as plain text, and the
 * 41 random bits keep ids unique across processes and hosts.
 *
 * @example
 * newRunId() // → 'wf_0mbx3k9z2-k3f9q0a1'
 */
export function newRunId(nowMs: number = Date.now()): string {
  const time = Math.max(0, Math.floor(nowMs)).toString(36).padStart(TIME_WIDTH, '0');
  const bytes = randomBytes(RANDOM_LENGTH);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  return `wf_${time}-${suffix}`;
}

export function isRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}
