#!/usr/bin/env node
/**
 * Prompt-caching benchmark (issue 5 acceptance). Not a test: it prints a table and writes
 * bench/results/cache-fanout-latest.json. Build first (`npm run build`), then:
 *
 *   node bench/cache-fanout.js [--agents 100] [--guide-chars 40000] [--concurrency 16] [--latency 40]
 *
 * A fan-out of N agents whose prompts share one guide (`agent(GUIDE + '\n\nReview ' + file)`),
 * run twice through the runtime and the anthropic adapter against an external `dynaflow sim`:
 * with cache warming (the default) and without. Measured by the simulator's own counters
 * (`/_sim/stats`): cache-read share of input tokens = cacheRead / (input + cacheRead +
 * cacheCreation), cache writes, and the cost of those counters, which must equal the run's
 * estimate (the sum of the call costs in the journal). Target: read share ≥ 80 % with warming.
 * Exit 1 when a run failed or the costs differ; a missed share target is reported, not an error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

import { startExternalSimulator, simulatorStats } from './internal/simulator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (subsystem) => import(path.join(repoRoot, 'dist', subsystem, 'index.js'));
const [{ startRun }, { openMemoryJournal }, { createAnthropicProvider, estimateCostUsd }, { parseScript }] =
  await Promise.all([dist('runtime'), dist('journal'), dist('providers'), dist('script')]);

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '100' },
    'guide-chars': { type: 'string', default: '40000' },
    concurrency: { type: 'string', default: '16' },
    latency: { type: 'string', default: '40' },
    out: { type: 'string', default: path.join(repoRoot, 'bench', 'results', 'cache-fanout-latest.json') },
  },
});
const agents = Number(values.agents);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);
const TARGET_SHARE = 0.8;

function guide(chars) {
  const lines = [];
  let length = 0;
  for (let rule = 1; length < chars; rule++) {
    const line = `Rule ${rule}: check error handling, naming, input validation and tests of every changed function.`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

const SCRIPT = parseScript(
  `export const meta = { name: 'cache-fanout', description: 'many reviews sharing one guide' }
const results = await parallel(args.files.map((file) => () => agent(args.guide + '\\n\\nReview ' + file, { label: file })))
return results.filter((result) => result !== null).length
`,
  'cache-fanout.workflow.js',
);

const sim = await startExternalSimulator({ repoRoot, latencyMs });
const provider = createAnthropicProvider({ apiKey: 'bench', baseURL: sim.url });
const args = {
  guide: guide(Number(values['guide-chars'])),
  files: Array.from({ length: agents }, (_, index) => `src/module-${index}.ts`),
};
let failed = false;
const rows = [];

/** USD in units of 1e-8: every list price per million tokens is a multiple of 0.01 $, so this is exact. */
const exactUnits = (usd) => Math.round(usd * 1e8);

try {
  for (const cacheWarming of [true, false]) {
    await globalThis.fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    const journal = openMemoryJournal();
    const started = performance.now();
    const outcome = await startRun(
      { journal, provider, projectRoot: repoRoot, cacheWarming },
      { script: SCRIPT, args, seed: 1, limits: { concurrency, maxAgents: Math.max(1000, agents) } },
    );
    const wallMs = performance.now() - started;
    const stats = await simulatorStats(sim.url);
    const calls = journal.listCalls(outcome.runId).filter((call) => call.kind === 'agent');
    const journalCost = calls.reduce((total, call) => total + call.costUsd, 0);
    const model = calls[0]?.model ?? 'sonnet';
    const simulatorCost = estimateCostUsd(model, stats, provider.pricing);
    const prompt = stats.inputTokens + stats.cacheReadTokens + stats.cacheCreationTokens;
    const row = {
      warming: cacheWarming,
      status: outcome.status,
      answered: outcome.result,
      requests: stats.requests,
      readShare: stats.cacheReadTokens / prompt,
      inputTokens: stats.inputTokens,
      cacheReadTokens: stats.cacheReadTokens,
      cacheCreationTokens: stats.cacheCreationTokens,
      outputTokens: stats.outputTokens,
      journalCostUsd: journalCost,
      simulatorCostUsd: simulatorCost,
      costsEqual: exactUnits(journalCost) === exactUnits(simulatorCost),
      wallMs: Math.round(wallMs),
    };
    rows.push(row);
    journal.close();
    if (outcome.status !== 'done' || outcome.result !== agents || !row.costsEqual) failed = true;
  }
} finally {
  await provider.close?.();
  await sim.stop();
}

const percent = (share) => `${(share * 100).toFixed(1)} %`;
process.stdout.write(
  `cache-fanout: ${agents} agents, guide ${args.guide.length} chars (~${Math.ceil(args.guide.length / 4)} tokens), concurrency ${concurrency}, sim latency ${latencyMs} ms\n`,
);
process.stdout.write(
  'warming  read share  cache read  cache write  input  cost (journal)  cost (sim)  equal  wall\n',
);
for (const row of rows) {
  process.stdout.write(
    `${row.warming ? 'on ' : 'off'}      ${percent(row.readShare).padStart(8)}  ${String(row.cacheReadTokens).padStart(10)}  ${String(row.cacheCreationTokens).padStart(11)}  ${String(row.inputTokens).padStart(5)}  $${row.journalCostUsd.toFixed(6).padStart(12)}  $${row.simulatorCostUsd.toFixed(6)}  ${row.costsEqual ? 'yes' : 'NO '}    ${row.wallMs} ms\n`,
  );
}
const warm = rows.find((row) => row.warming);
if (warm && warm.readShare < TARGET_SHARE) {
  process.stdout.write(`target missed: read share ${percent(warm.readShare)} < ${percent(TARGET_SHARE)}\n`);
}
await mkdir(path.dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify({ agents, concurrency, latencyMs, rows }, null, 2)}\n`);
process.exit(failed ? 1 : 0);
