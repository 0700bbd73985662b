#!/usr/bin/env node
/**
 * dynaflow benchmarks (issue 2, item 10). Not tests: they print a table and write
 * bench/results/latest.json. `npm run bench` builds first; `node bench/run.js [makespan|overhead]`
 * runs one benchmark alone (see bench/README.md for the options).
 */
import process from 'node:process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { commandFor, IMPLEMENTATIONS } from './internal/clients.js';
import { measureProcess, rssSource } from './internal/measure.js';
import { startRecordingProxy } from './internal/capture-request.js';
import { evaluateTargets, renderReport } from './internal/report.js';
import { simulatorStats, startExternalSimulator } from './internal/simulator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCHMARKS = ['makespan', 'overhead'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string', default: IMPLEMENTATIONS.join(',') },
    repeat: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '16' },
    'makespan-agents': { type: 'string', default: '1000' },
    'makespan-latency': { type: 'string', default: '100' },
    'overhead-agents': { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '300' },
    payload: { type: 'string', default: 'agent' },
    out: { type: 'string', default: path.join(repoRoot, 'bench', 'results', 'latest.json') },
  },
});

const selected = positionals.length === 0 ? BENCHMARKS : positionals;
for (const name of selected) {
  if (!BENCHMARKS.includes(name)) throw new Error(`unknown benchmark ${name}; use ${BENCHMARKS.join(', ')}`);
}
const implementations = values.only.split(',').map((name) => name.trim());
for (const name of implementations) {
  if (!IMPLEMENTATIONS.includes(name))
    throw new Error(`unknown implementation ${name}; use ${IMPLEMENTATIONS.join(', ')}`);
}
const concurrency = Number(values.concurrency);
const repeat = Number(values.repeat);
const makespanLatency = Number(values['makespan-latency']);

/** One simulator for the whole run, with the makespan latency; the overhead prompts say `@sim latency 0`. */
const plans = {
  makespan: { n: Number(values['makespan-agents']), latency: undefined, latencyMs: makespanLatency },
  overhead: { n: Number(values['overhead-agents']), latency: 0, latencyMs: 0 },
};

if (!['agent', 'bare'].includes(values.payload)) throw new Error('--payload is agent or bare');

const sim = await startExternalSimulator({ repoRoot, latencyMs: makespanLatency });
const env = { ...process.env, ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: sim.url };
const scratch = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-bench-'));
let requestBytes;

/**
 * `--payload agent` (default): one small dynaflow run records the body its agent sends, and the
 * floor and LangGraph send that same body (system prompt, tools) with their own prompt.
 */
async function captureAgentRequest() {
  const template = path.join(scratch, 'agent-request.json');
  const command = await commandFor('ours', { n: 1, latency: 0, concurrency });
  const proxy = await startRecordingProxy(sim.url);
  try {
    await measureProcess({
      nodeArgs: command.nodeArgs,
      cwd: repoRoot,
      env: { ...env, ANTHROPIC_BASE_URL: proxy.url },
    });
  } finally {
    await proxy.stop();
    await command.cleanup();
  }
  const body = proxy.firstBody();
  if (body === undefined) throw new Error('the capture run sent no Messages API request');
  await writeFile(template, body);
  requestBytes = body.length;
  env.DYNAFLOW_BENCH_REQUEST_TEMPLATE = template;
}
const loadAtStart = os.loadavg();
const runs = [];
let failed = false;

async function measure(benchmark, implementation, plan, round) {
  const command = await commandFor(implementation, { n: plan.n, latency: plan.latency, concurrency });
  const before = await simulatorStats(sim.url);
  try {
    const result = await measureProcess({ nodeArgs: command.nodeArgs, cwd: repoRoot, env });
    const after = await simulatorStats(sim.url);
    const answered = Number(result.stdout.trim());
    const ok = result.exitCode === 0 && answered === plan.n;
    if (!ok) {
      failed = true;
      process.stderr.write(
        `${benchmark}/${implementation}: exit ${result.exitCode}, answered ${result.stdout.trim()} of ${plan.n}\n` +
          `${result.stderr.split('\n').slice(-15).join('\n')}\n`,
      );
    }
    const run = {
      benchmark,
      implementation,
      round,
      n: plan.n,
      ok,
      wallMs: result.wallMs,
      peakRssMb: result.peakRssMb,
      cpuSeconds: result.cpuSeconds,
      simRequests: after.requests - before.requests,
    };
    runs.push(run);
    process.stderr.write(
      `  ${benchmark.padEnd(8)} ${implementation.padEnd(9)} round ${round}: ${(run.wallMs / 1000).toFixed(2)} s, ` +
        `${run.peakRssMb.toFixed(0)} MB, cpu ${run.cpuSeconds.toFixed(2)} s, ${run.simRequests} requests\n`,
    );
  } finally {
    await command.cleanup();
  }
}

try {
  process.stderr.write(`simulator ${sim.url} (pid ${sim.pid}); rss via ${rssSource}\n`);
  if (values.payload === 'agent') {
    await captureAgentRequest();
    process.stderr.write(`floor and LangGraph send dynaflow's agent request (${requestBytes} bytes)\n`);
  }
  // Warm the simulator's JIT so whichever client runs first is not charged for it.
  if (Number(values.warmup) > 0) {
    const warm = await commandFor('floor', { n: Number(values.warmup), latency: 0, concurrency });
    await measureProcess({ nodeArgs: warm.nodeArgs, cwd: repoRoot, env });
  }
  for (const benchmark of selected) {
    for (let round = 1; round <= repeat; round++) {
      // Rotate the order each round so drift in machine load does not always hit the same client.
      const shift = (round - 1) % implementations.length;
      const order = [...implementations.slice(shift), ...implementations.slice(0, shift)];
      for (const implementation of order) await measure(benchmark, implementation, plans[benchmark], round);
    }
  }
} finally {
  await sim.stop();
  await rm(scratch, { recursive: true, force: true });
}

const summary = evaluateTargets(runs, { plans, concurrency });
const report = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg(),
  },
  settings: {
    concurrency,
    repeat,
    plans,
    rssSource,
    simulator: 'node bin/dynaflow.js sim --latency ' + makespanLatency + ' --seed 1',
  },
  summary,
  runs,
};
process.stdout.write(renderReport(summary, report));
await mkdir(path.dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(`written ${path.relative(process.cwd(), values.out)}\n`);
process.exitCode = failed ? 1 : 0;
