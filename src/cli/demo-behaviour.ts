/**
 * What the simulated model answers during `dynaflow demo`: plausible review findings and
 * verdicts instead of schema filler, so the demo reads like a real run. Everything else (the
 * wire protocol, streaming, usage, the journal) is exactly what a real run does.
 */
import { createHash } from 'node:crypto';
import type { SimBehaviour } from '../sim/index.js';

const FINDINGS = [
  { title: 'token expiry compared with <= instead of <', severity: 'high' },
  { title: 'retry loop never resets its backoff', severity: 'medium' },
  { title: 'cache key ignores the tenant id', severity: 'high' },
  { title: 'error swallowed in the catch of a promise chain', severity: 'medium' },
  { title: 'off-by-one when paging the last result set', severity: 'low' },
  { title: 'unbounded queue growth when consumers stall', severity: 'medium' },
  { title: 'user input interpolated into a search query', severity: 'high' },
  { title: 'float arithmetic used for money amounts', severity: 'high' },
] as const;

function pick(text: string, modulo: number): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % modulo;
}

export const demoBehaviour: SimBehaviour = {
  respond(request) {
    const prompt = request.sim.firstUserText;
    const review = /^Review (\S+) for correctness bugs/.exec(prompt);
    if (review) {
      const file = review[1] ?? '';
      const first = pick(file, FINDINGS.length);
      const chosen = [FINDINGS[first], FINDINGS[(first + 3) % FINDINGS.length]].slice(
        0,
        1 + pick(`${file}#n`, 2),
      );
      return {
        json: {
          findings: chosen.map((finding, n) => ({ ...finding, line: 12 + pick(`${file}${n}`, 180) })),
        },
      };
    }
    if (/^(Try to refute|Independently check)/.test(prompt)) {
      const holds = pick(prompt, 4) !== 0;
      return {
        json: {
          holds,
          reason: holds ? 'reproduced by reading the code path' : 'guarded by an earlier check',
        },
      };
    }
    if (prompt.startsWith('Write a three-line summary')) {
      return {
        text: 'Most confirmed issues are input-handling and boundary bugs.\nFix the high-severity ones first.\nEach finding survived two independent verifiers.',
      };
    }
    return undefined;
  },
};
