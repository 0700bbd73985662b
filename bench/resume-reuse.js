#!/usr/bin/env node
/**
 * Resume and reuse benchmark (issue 3 acceptance). Not a test: it prints a table and writes
 * bench/results/resume-latest.json. Build first (`npm run build`), then:
 *
 *   node bench/resume-reuse.js [--agents 10000] [--concurrency 16] [--repeat 3]
 *
 * 1. a fresh 10,000-agent run of bench/fanout.workflow.js through the CLI against an external
 *    simulator (0 ms latency): wall time, peak RSS, requests;
 * 2. the same script again with `--reuse <that run>`, `--repeat` times: wall time end to end
 *    (process start to exit), peak RSS, and the simulator's request count (must stay 0);
 * 3. journaling cost per completion, in process on a file journal: a 10,000-way wave of
 *    concurrent completions (group commit), and lone completions one after another, for both
 *    durability levels.
 * Targets: reuse < 2 s with 0 requests; RSS of the 10,000-agent run < 300 MB. Exit 1 when a run
 * failed or the reuse sent a request; a missed time or memory target is reported, not an error.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { measureProcess, rssSource } from './internal/measure.js';
import { simulatorStats, startExternalSimulator } from './internal/simulator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    repeat: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(repoRoot, 'bench', 'results', 'resume-latest.json') },
  },
});
const agents = Number(values.agents);
const concurrency = Number(values.concurrency);
const repeat = Number(values.repeat);

const sim = await startExternalSimulator({ repoRoot, latencyMs: 0 });
const env = { ...process.env, ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: sim.url };
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-bench-resume-'));
let failed = false;

function runArgs(extra = []) {
  return [
    'bin/dynaflow.js',
    'run',
    'bench/fanout.workflow.js',
    '--provider',
    'anthropic',
    '--yes',
    '--quiet',
    '--concurrency',
    String(concurrency),
    '--max-agents',
    String(Math.max(agents, 1000)),
    '--args',
    JSON.stringify({ n: agents, latency: 0 }),
    '--state-dir',
    stateDir,
    ...extra,
  ];
}

async function measuredRun(label, extra) {
  const before = (await simulatorStats(sim.url)).requests;
  const result = await measureProcess({ nodeArgs: runArgs(extra), cwd: repoRoot, env });
  const requests = (await simulatorStats(sim.url)).requests - before;
  const answered = Number(result.stdout.trim());
  const ok = result.exitCode === 0 && answered === agents;
  if (!ok) {
    failed = true;
    process.stderr.write(
      `${label}: exit ${result.exitCode}, answered ${result.stdout.trim()}\n${result.stderr.slice(-2000)}\n`,
    );
  }
  const runId = /^run (wf_[a-z0-9-]+)$/m.exec(result.stderr)?.[1];
  const tally = /(\d+) from journal, (\d+) live/.exec(result.stderr);
  return {
    label,
    ok,
    runId,
    requests,
    wallMs: result.wallMs,
    peakRssMb: result.peakRssMb,
    reused: tally ? Number(tally[1]) : null,
    live: tally ? Number(tally[2]) : null,
  };
}

try {
  const fresh = await measuredRun(`fresh ${agents}`, []);
  const reuses = [];
  for (let round = 0; round < repeat && fresh.runId; round += 1) {
    const reuse = await measuredRun(`reuse ${agents} #${round + 1}`, ['--reuse', fresh.runId]);
    if (reuse.requests !== 0) {
      failed = true;
      process.stderr.write(`reuse sent ${reuse.requests} requests (expected 0)\n`);
    }
    reuses.push(reuse);
  }
  const journal = await journalingCost();

  const bestReuse = Math.min(...reuses.map((r) => r.wallMs));
  const medianReuse = median(reuses.map((r) => r.wallMs));
  const rows = [
    [
      'fresh run',
      `${agents} agents`,
      ms(fresh.wallMs),
      mb(fresh.peakRssMb),
      String(fresh.requests),
      `${fresh.live} live`,
    ],
    ...reuses.map((r) => [
      r.label,
      '--reuse',
      ms(r.wallMs),
      mb(r.peakRssMb),
      String(r.requests),
      `${r.reused} reused, ${r.live} live`,
    ]),
  ];
  printTable(['run', 'what', 'wall', 'peak RSS', 'requests', 'calls'], rows);
  process.stdout.write('\njournaling cost per completion (file journal, in process):\n');
  printTable(
    ['durability', `${journal.wave} concurrent (group commit)`, `lone, one after another (${journal.lone}×)`],
    journal.results.map((r) => [
      r.durability,
      `${r.waveMicros.toFixed(1)} µs`,
      `${r.loneMillis.toFixed(3)} ms`,
    ]),
  );
  const targets = [
    ['reuse of a finished run makes 0 requests', reuses.every((r) => r.requests === 0)],
    [
      `reuse of ${agents} agents < 2 s end to end (best ${ms(bestReuse)}, median ${ms(medianReuse)})`,
      bestReuse < 2000,
    ],
    [`peak RSS of the ${agents}-agent run < 300 MB (${mb(fresh.peakRssMb)})`, fresh.peakRssMb < 300],
    [
      `journaling well under 1 ms per completion at fan-out`,
      journal.results.every((r) => r.waveMicros < 1000),
    ],
  ];
  process.stdout.write('\ntargets:\n');
  for (const [text, met] of targets) process.stdout.write(`  ${met ? 'met   ' : 'MISSED'} ${text}\n`);
  process.stdout.write(
    `\n(peak RSS from ${rssSource}; load average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})\n`,
  );

  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(
    values.out,
    `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, agents, concurrency, fresh, reuses, journal, targets }, null, 2)}\n`,
  );
} finally {
  await sim.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

/** The journal alone: what one completion costs at high fan-out and when it commits by itself. */
async function journalingCost() {
  const { openJournal } = await import(
    pathToFileURL(path.join(repoRoot, 'dist', 'journal', 'index.js')).href
  );
  const wave = 10_000;
  const lone = 200;
  const results = [];
  for (const durability of ['power-loss', 'process-crash']) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-bench-journal-'));
    try {
      const journal = openJournal({ stateDir: dir, durability, heartbeatMs: 0 });
      const run = journal.createRun({
        scriptPath: 'bench.workflow.js',
        scriptHash: 'h',
        scriptText: 'return 1',
        argsJson: null,
        provider: 'sim',
        model: 'sonnet',
        limits: { concurrency: 16, maxAgents: wave, budgetTokens: null, maxCostUsd: null },
        seed: 1,
      });
      const completion = (key) => ({
        runId: run.id,
        callKey: key,
        status: 'done',
        resultJson: JSON.stringify({ summary: 'x'.repeat(400) }),
        usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 900, cacheCreationTokens: 0 },
        costUsd: 0.004,
        attempts: 1,
        toolCalls: 2,
        error: null,
        worktree: null,
        branch: null,
      });
      const start = (key) =>
        journal.startCall({
          runId: run.id,
          callKey: key,
          kind: 'agent',
          label: key,
          phase: null,
          model: 'sonnet',
          prompt: `task ${key}`,
          optionsJson: '{}',
        });
      for (let i = 0; i < wave; i += 1) start(`w${i}`);
      await journal.flush();
      let started = performance.now();
      await Promise.all(Array.from({ length: wave }, (_, i) => journal.completeCall(completion(`w${i}`))));
      const waveMicros = ((performance.now() - started) / wave) * 1000;
      for (let i = 0; i < lone; i += 1) start(`l${i}`);
      await journal.flush();
      started = performance.now();
      for (let i = 0; i < lone; i += 1) await journal.completeCall(completion(`l${i}`));
      const loneMillis = (performance.now() - started) / lone;
      journal.close();
      results.push({ durability, waveMicros, loneMillis });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { wave, lone, results };
}

function printTable(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) =>
    cells
      .map((cell, column) => String(cell).padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function ms(value) {
  return `${Math.round(value)} ms`;
}

function mb(value) {
  return Number.isFinite(value) ? `${Math.round(value)} MB` : '—';
}
