export const meta = {
  name: 'fanout',
  description: 'Benchmark fan-out: args.n independent agents at once; returns how many answered.',
};

/* global agent, parallel, args -- the workflow globals (SPEC §1) */

// args.latency (optional) adds an `@sim latency MS` directive to every prompt, so one simulator
// process serves both the 100 ms makespan bench and the 0 ms overhead bench.
const n = args?.n ?? 1000;
const prefix = args?.latency === undefined ? '' : `@sim latency ${args.latency}\n`;
// parallel() takes at most 4,096 thunks per call; the batches run at the same time, so there is
// no barrier between them and the scheduler sees one queue of n agents.
const BATCH = 4096;
const batches = [];
for (let start = 0; start < n; start += BATCH) {
  const thunks = [];
  for (let i = start; i < Math.min(n, start + BATCH); i++) thunks.push(() => agent(`${prefix}task ${i}`));
  batches.push(parallel(thunks));
}
const results = (await Promise.all(batches)).flat();
return results.filter((result) => result !== null).length;
