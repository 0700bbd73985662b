/**
 * What the reference clients share with the dynaflow run, so all three send the same requests:
 * the prompt of task i, the model, max_tokens and the command-line shape
 * (`--args '{"n":1000,"latency":0}' --concurrency 16`, like `dynaflow run`).
 */
import process from 'node:process';
import { parseArgs } from 'node:util';

/** A current, non-deprecated id: the SDK warns once per call on deprecated ids, which skews timings. */
export const MODEL = 'claude-sonnet-5-5';
/** dynaflow's default max_tokens per model turn (src/agent). */
export const MAX_TOKENS = 32_000;

/** Same text as bench/fanout.workflow.js builds. */
export function promptFor(index, latency) {
  const prefix = latency === undefined ? '' : `@sim latency ${latency}\n`;
  return `${prefix}task ${index}`;
}

export function readOptions(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      args: { type: 'string', default: '{}' },
      concurrency: { type: 'string', default: '16' },
      // `undici`: the SDK's fetch is undici 7's over one Agent, the transport dynaflow's adapters use.
      transport: { type: 'string', default: 'node' },
    },
  });
  const parsed = JSON.parse(values.args);
  const baseURL = process.env.ANTHROPIC_BASE_URL;
  const apiKey = process.env.ANTHROPIC_API_KEY;
  if (!baseURL || !apiKey) throw new Error('set ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY');
  return {
    n: parsed.n ?? 1000,
    latency: parsed.latency,
    concurrency: Number(values.concurrency),
    transport: values.transport,
    baseURL,
    apiKey,
  };
}
