/**
 * The floor: the fan-out as a plain script over @anthropic-ai/sdk with a hand-written concurrency
 * limit (a fixed pool of workers pulling the next index). Prints the number of answered tasks.
 *
 *   ANTHROPIC_API_KEY=x ANTHROPIC_BASE_URL=http://127.0.0.1:PORT \
 *     node bench/clients/floor-sdk.js --args '{"n":1000}' --concurrency 16
 */
import process from 'node:process';
import { readOptions } from './options.js';
import { createClient, runTask } from './sdk-call.js';

const options = readOptions();
const client = await createClient(options);
// Every result is kept in input order, as dynaflow's parallel() returns them.
const results = new Array(options.n).fill(null);
let next = 0;

async function worker() {
  while (next < options.n) {
    const index = next++;
    results[index] = await runTask(client, index, options.latency);
  }
}

await Promise.all(Array.from({ length: options.concurrency }, worker));
const answered = results.filter((text) => text !== null).length;
process.stdout.write(`${JSON.stringify(answered)}\n`);
